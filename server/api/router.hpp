#pragma once

#include <string>
#include <vector>

namespace regiomap::api {

enum class Route {
    landing,       // /
    conformance,   // /conformance
    api,           // /api
    collections,   // /collections
    collection,    // /collections/{collectionId}
    items,         // /collections/{collectionId}/items
    item,          // /collections/{collectionId}/items/{featureId}
    health,        // /health
    tilejson,      // /tiles.json and /tiles/{collectionId}.json
    tile,          // /tiles/{z}/{x}/{y}.mvt and /tiles/{collectionId}/{z}/{x}/{y}.mvt
    style,         // /styles/{name}.json
    search,        // /search?q=
    glyphs,        // /fonts/{fontstack}/{range}.pbf (MapLibre glyphs)
    metrics,       // /metrics (Prometheus)
    admin_reload,  // POST /admin/reload
    static_file,   // anything else: a file under the web root, if there is one
    unrouted,      // not routed at all (malformed target, method not allowed)
};
inline constexpr std::size_t kRouteCount = static_cast<std::size_t>(Route::unrouted) + 1;

// A stable name for logs and metrics, e.g. "items".
std::string_view route_name(Route route);

struct RouteMatch {
    Route route = Route::static_file;
    std::string collection_id;  // empty for "every collection" on tile routes
    std::string feature_id;
    std::vector<std::string> tile;  // z, x, "y.mvt" as sent
    std::string file;               // the style file name; the glyph range file
    std::string fontstack;          // comma-separated font names
};

// Matches decoded path segments (see url.hpp) to a route.
RouteMatch match_route(const std::vector<std::string>& segments);

}  // namespace regiomap::api
