#pragma once

#include "api/routes.hpp"

namespace regiomap::api {

// Whether a request for the landing page comes from a browser that wants
// the web map: it asks for text/html before JSON and sends no query.
bool wants_web_map(const ApiContext& context);

// A file of the web map (web root) for the rest of the path; 404 when none.
Response web_file(const ApiContext& context, const RouteArgs& args);

// /fonts/{fontstack}/{range}.pbf: MapLibre asks for a font stack ("A,B");
// the first font we have glyphs of wins.
Response glyphs(const ApiContext& context, const RouteArgs& args);

}  // namespace regiomap::api
