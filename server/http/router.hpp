#pragma once

#include <string>
#include <vector>

namespace regiomap::http {

enum class Route {
    landing,      // /
    conformance,  // /conformance
    api,          // /api
    collections,  // /collections
    collection,   // /collections/{collectionId}
    items,        // /collections/{collectionId}/items
    item,         // /collections/{collectionId}/items/{featureId}
    health,       // /health
    static_file,  // anything else: a file under the web root, if there is one
};

struct RouteMatch {
    Route route = Route::static_file;
    std::string collection_id;
    std::string feature_id;
};

// Matches decoded path segments (see url.hpp) to a route.
RouteMatch match_route(const std::vector<std::string>& segments);

}  // namespace regiomap::http
