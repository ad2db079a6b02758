#include "api/routes.hpp"

#include <algorithm>
#include <stdexcept>

#include <charconv>
#include <optional>

#include "core/error.hpp"

namespace regiomap::api {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> parts;
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        auto slash = path.find('/');
        parts.push_back(path.substr(0, slash));
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    }
    return parts;
}

void assign(RouteArgs& args, std::string (&tile)[3], const std::string& param, const std::string& value) {
    if (param == "collectionId") {
        args.collection_id = value;
    } else if (param == "featureId") {
        args.feature_id = value;
    } else if (param == "z" || param == "tileMatrix") {
        tile[0] = value;
    } else if (param == "x" || param == "tileCol") {
        tile[1] = value;
    } else if (param == "y" || param == "tileRow") {
        tile[2] = value;
    } else if (param == "fontstack") {
        args.fontstack = value;
    } else {
        args.name = value;
    }
}

std::optional<std::uint32_t> parse_index(std::string_view text) {
    if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string_view::npos) {
        return std::nullopt;
    }
    std::uint32_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

bool method_matches(std::string_view route_method, std::string_view method) {
    return route_method == method || (method == "HEAD" && route_method == "GET");
}

}  // namespace

TileId parse_tile_id(const std::string& z_text, const std::string& x_text, const std::string& y_text,
                     const TileParamNames& names) {
    auto z = parse_index(z_text);
    if (!z) {
        throw Error::bad_parameter(
            std::string(names.z),
            "'" + z_text + "' is not a zoom level; use an integer from 0 to " + std::to_string(kMaxTileZoom));
    }
    auto x = parse_index(x_text);
    auto y = parse_index(y_text);
    if (!x || !y) {
        throw Error::bad_parameter(std::string(x ? names.y : names.x),
                                   "'" + (x ? y_text : x_text) + "' is not a tile index; use a non-negative integer");
    }
    if (*z > static_cast<std::uint32_t>(kMaxTileZoom)) {
        throw Error::not_found("zoom " + z_text + " is beyond this server's tiles: zoom levels are 0 to " +
                               std::to_string(kMaxTileZoom));
    }
    const std::uint32_t count = 1u << *z;
    if (*x >= count || *y >= count) {
        throw Error::not_found("tile " + z_text + "/" + x_text + "/" + y_text + " is outside the pyramid: at zoom " +
                               z_text + ", x and y run from 0 to " + std::to_string(count - 1));
    }
    return {static_cast<int>(*z), *x, *y};
}

void RouteTable::add(Route route) {
    Compiled compiled;
    for (std::string_view part : split_path(route.path)) {
        Segment segment;
        if (part.starts_with('{')) {
            auto close = part.find('}');
            if (close == std::string_view::npos) {
                throw std::invalid_argument("route template " + route.path + ": unclosed parameter");
            }
            std::string_view name = part.substr(1, close - 1);
            if (name.ends_with("...")) {
                segment.rest = true;
                compiled.wildcard = true;
                name.remove_suffix(3);
            }
            segment.param = name;
            segment.suffix = part.substr(close + 1);
        } else {
            segment.literal = part;
        }
        compiled.segments.push_back(std::move(segment));
    }
    routes_.push_back(std::move(route));
    compiled_.push_back(std::move(compiled));
}

bool RouteTable::match(const Compiled& compiled, const std::vector<std::string>& segments, RouteArgs& args,
                       std::string (&tile)[3]) const {
    const auto& pattern = compiled.segments;
    const bool rest = !pattern.empty() && pattern.back().rest;
    if (rest ? segments.size() < pattern.size() - 1 : segments.size() != pattern.size()) {
        return false;
    }
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const Segment& part = pattern[i];
        if (part.rest) {
            args.rest.assign(segments.begin() + static_cast<std::ptrdiff_t>(i), segments.end());
            return true;
        }
        const std::string& segment = segments[i];
        if (part.param.empty()) {
            if (segment != part.literal) {
                return false;
            }
            continue;
        }
        if (segment.size() <= part.suffix.size() || !segment.ends_with(part.suffix)) {
            return false;
        }
        assign(args, tile, part.param, segment.substr(0, segment.size() - part.suffix.size()));
    }
    return true;
}

RouteTable::Resolution RouteTable::resolve(std::string_view method, const std::vector<std::string>& segments) const {
    Resolution resolution;
    std::string tile[3];
    // Only a preflight needs every method of the path; any other request
    // stops at the first route that takes it (tiles are the hot path).
    const bool all_methods = method == "OPTIONS";
    auto scan = [&](bool wildcards) {
        for (std::size_t i = 0; i < routes_.size(); ++i) {
            if (compiled_[i].wildcard != wildcards) {
                continue;
            }
            RouteArgs args;
            std::string parts[3];
            if (!match(compiled_[i], segments, args, parts)) {
                continue;
            }
            const Route& route = routes_[i];
            if (std::find(resolution.allowed.begin(), resolution.allowed.end(), route.method) ==
                resolution.allowed.end()) {
                resolution.allowed.push_back(route.method);
            }
            if (!resolution.route && method_matches(route.method, method)) {
                resolution.route = &route;
                resolution.index = i;
                resolution.args = std::move(args);
                std::copy(std::begin(parts), std::end(parts), std::begin(tile));
                if (!all_methods) {
                    return;
                }
            }
        }
    };
    // Templates first, the catch-all only when no template knows the path:
    // a known path with the wrong method is a 405, not a missing file.
    scan(false);
    if (resolution.allowed.empty()) {
        scan(true);
    }
    if (resolution.route && !tile[0].empty()) {
        // OGC API – Tiles names the same numbers tileMatrix, tileCol, tileRow.
        const bool ogc_names = resolution.route->path.find("{tileMatrix}") != std::string::npos;
        resolution.args.tile =
            parse_tile_id(tile[0], tile[1], tile[2],
                          ogc_names ? TileParamNames{"tileMatrix", "tileCol", "tileRow"} : TileParamNames{});
    }
    return resolution;
}

}  // namespace regiomap::api
