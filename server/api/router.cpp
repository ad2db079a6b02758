#include "api/router.hpp"

namespace regiomap::api {

namespace {

RouteMatch only(Route route) {
    RouteMatch match;
    match.route = route;
    return match;
}

RouteMatch for_collection(Route route, std::string collection_id, std::string feature_id = {}) {
    RouteMatch match = only(route);
    match.collection_id = std::move(collection_id);
    match.feature_id = std::move(feature_id);
    return match;
}

RouteMatch for_tile(std::string collection_id, const std::string& z, const std::string& x, const std::string& y) {
    RouteMatch match = for_collection(Route::tile, std::move(collection_id));
    match.tile = {z, x, y};
    return match;
}

}  // namespace

std::string_view route_name(Route route) {
    switch (route) {
        case Route::landing:
            return "landing";
        case Route::conformance:
            return "conformance";
        case Route::api:
            return "api";
        case Route::collections:
            return "collections";
        case Route::collection:
            return "collection";
        case Route::items:
            return "items";
        case Route::item:
            return "item";
        case Route::health:
            return "health";
        case Route::tilejson:
            return "tilejson";
        case Route::tile:
            return "tile";
        case Route::style:
            return "style";
        case Route::search:
            return "search";
        case Route::glyphs:
            return "glyphs";
        case Route::metrics:
            return "metrics";
        case Route::admin_reload:
            return "admin_reload";
        case Route::static_file:
            return "static";
        case Route::unrouted:
            return "unrouted";
    }
    return "unrouted";
}

RouteMatch match_route(const std::vector<std::string>& segments) {
    const std::size_t n = segments.size();
    if (n == 0) {
        return only(Route::landing);
    }
    const std::string& head = segments[0];
    if (n == 1) {
        if (head == "conformance")
            return only(Route::conformance);
        if (head == "api")
            return only(Route::api);
        if (head == "health")
            return only(Route::health);
        if (head == "collections")
            return only(Route::collections);
        if (head == "tiles.json")
            return only(Route::tilejson);
        if (head == "search")
            return only(Route::search);
        if (head == "metrics")
            return only(Route::metrics);
    }
    if (head == "collections") {
        if (n == 2)
            return for_collection(Route::collection, segments[1]);
        if (n == 3 && segments[2] == "items")
            return for_collection(Route::items, segments[1]);
        if (n == 4 && segments[2] == "items")
            return for_collection(Route::item, segments[1], segments[3]);
    }
    if (head == "tiles") {
        if (n == 2 && segments[1].ends_with(".json") && segments[1].size() > 5) {
            return for_collection(Route::tilejson, segments[1].substr(0, segments[1].size() - 5));
        }
        if (n == 4)
            return for_tile({}, segments[1], segments[2], segments[3]);
        if (n == 5)
            return for_tile(segments[1], segments[2], segments[3], segments[4]);
    }
    if (head == "admin" && n == 2 && segments[1] == "reload") {
        return only(Route::admin_reload);
    }
    if (head == "fonts" && n == 3) {
        RouteMatch match = only(Route::glyphs);
        match.fontstack = segments[1];
        match.file = segments[2];
        return match;
    }
    if (head == "styles" && n == 2) {
        RouteMatch match = only(Route::style);
        match.file = segments[1];
        return match;
    }
    return only(Route::static_file);
}

}  // namespace regiomap::api
