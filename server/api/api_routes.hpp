#pragma once

#include "api/routes.hpp"

namespace regiomap::api {

// Adds the API's routes to `table`: OGC API – Features, tiles and
// TileJSON, styles, glyphs, search, and the web map's files.
void add_api_routes(RouteTable& table);

}  // namespace regiomap::api
