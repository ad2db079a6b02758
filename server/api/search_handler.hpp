#pragma once

#include "api/routes.hpp"

namespace regiomap::api {

// /search?q=text[&limit=n]: features of every collection whose name fields
// (string properties named "name" or starting with "name_", e.g. name_zh,
// name_en) contain the text — case-insensitively for Latin letters, as
// written for Chinese. Names that start with the text come first. Answers a
// GeoJSON FeatureCollection whose features also carry "collection" and a
// "bbox", so a client can fly to them without another request.
Response search(const ApiContext& context, const RouteArgs& args);

}  // namespace regiomap::api
