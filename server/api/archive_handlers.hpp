#pragma once

#include "api/routes.hpp"

namespace regiomap::api {

// /archives/{archiveId}.json and /basemap.json: TileJSON 3.0 from the
// archive's header and metadata (vector_layers, attribution, bounds,
// center, zooms); the basemap's says "x-schema": "protomaps" when it is a
// Protomaps basemap. 404 without such an archive.
Response archive_tilejson(const ApiContext& context, const RouteArgs& args);
Response basemap_tilejson(const ApiContext& context, const RouteArgs& args);

// /archives/{archiveId}/{z}/{x}/{y}.mvt and /basemap/{z}/{x}/{y}.mvt: the
// tile as stored (its gzip bytes sent as they are to clients that accept
// gzip), through the tile cache; 204 where the archive has none, 404
// outside its zooms.
Response archive_tile(const ApiContext& context, const RouteArgs& args);
Response basemap_tile(const ApiContext& context, const RouteArgs& args);

}  // namespace regiomap::api
