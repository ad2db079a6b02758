#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "core/tiles/tile.hpp"

namespace regiomap::api {

// A route's path parameters, parsed once by the router: handlers get typed
// values, never path segments.
struct RouteArgs {
    std::string collection_id;      // {collectionId}; empty on routes of every collection
    std::string feature_id;         // {featureId}
    TileId tile;                    // {z}/{x}/{y}, validated against the pyramid
    std::string name;               // {styleId}, {range} of a glyph file
    std::string fontstack;          // {fontstack}
    std::vector<std::string> rest;  // what a trailing {path...} matched
};

// What the three tile parameters are called in the route, for errors.
struct TileParamNames {
    std::string_view z = "z";
    std::string_view x = "x";
    std::string_view y = "y";
};

// Parses z/x/y strictly; throws Error (400 for non-numbers, 404 for a tile
// outside the pyramid) naming the valid range.
TileId parse_tile_id(const std::string& z, const std::string& x, const std::string& y,
                     const TileParamNames& names = {});

using RouteHandler = std::function<Response(const ApiContext&, const RouteArgs&)>;

// One row of the route table: everything the server knows of an endpoint.
struct Route {
    std::string name;    // label in metrics and logs, e.g. "items"
    std::string method;  // "GET" (HEAD is answered as GET), "POST", …
    // The path template: literal segments, "{param}", "{param}.ext" (a
    // segment ending in .ext), or a last "{param...}" taking the rest.
    std::string path;
    RouteHandler handler;  // while the data loads, ApiContext::data() answers 503 for it
    // The OpenAPI operation object of the route; none: not in the document.
    std::function<nlohmann::ordered_json()> openapi;
};

// The routes, in priority order: a request goes to the first row whose
// template and method match. A path that some template matches with
// another method is a 405 naming the methods it has; a trailing
// "{param...}" row is only tried when no other template matches the path.
class RouteTable {
public:
    void add(Route route);

    struct Resolution {
        const Route* route = nullptr;  // null: no route for this method (see allowed) or path
        std::size_t index = 0;         // of the route in routes(), for per-route counters
        RouteArgs args;
        std::vector<std::string> allowed;  // the methods this path has ("GET" implies HEAD)
    };
    // Matches decoded path segments. Throws Error (400/404) when a typed
    // parameter is malformed or out of range (a tile outside the pyramid).
    Resolution resolve(std::string_view method, const std::vector<std::string>& segments) const;

    const std::vector<Route>& routes() const { return routes_; }

private:
    struct Segment {
        std::string literal;  // when not a parameter
        std::string param;    // parameter name
        std::string suffix;   // ".mvt" of "{y}.mvt"
        bool rest = false;    // "{path...}"
    };
    struct Compiled {
        std::vector<Segment> segments;
        bool wildcard = false;
    };
    bool match(const Compiled& compiled, const std::vector<std::string>& segments, RouteArgs& args,
               std::string (&tile)[3]) const;

    std::vector<Route> routes_;
    std::vector<Compiled> compiled_;
};

}  // namespace regiomap::api
