#include "http/router.hpp"

namespace regiomap::http {

RouteMatch match_route(const std::vector<std::string>& segments) {
    const std::size_t n = segments.size();
    if (n == 0) {
        return {Route::landing, {}, {}};
    }
    const std::string& head = segments[0];
    if (n == 1 && head == "conformance") {
        return {Route::conformance, {}, {}};
    }
    if (n == 1 && head == "api") {
        return {Route::api, {}, {}};
    }
    if (n == 1 && head == "health") {
        return {Route::health, {}, {}};
    }
    if (head == "collections") {
        if (n == 1) {
            return {Route::collections, {}, {}};
        }
        if (n == 2) {
            return {Route::collection, segments[1], {}};
        }
        if (n == 3 && segments[2] == "items") {
            return {Route::items, segments[1], {}};
        }
        if (n == 4 && segments[2] == "items") {
            return {Route::item, segments[1], segments[3]};
        }
    }
    return {Route::static_file, {}, {}};
}

}  // namespace regiomap::http
