#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace regiomap::api::html {

// A small map of GeoJSON features (CRS84) as inline SVG: Web Mercator
// scaled to fit, points as dots, lines as strokes, polygons filled (holes
// kept), each feature a link to `link_of(feature)` with its `label` as the
// tooltip. No tiles, no script: it needs nothing but the page itself.
// Empty when no feature has a geometry.
struct MapFeature {
    const nlohmann::ordered_json* geometry = nullptr;  // a GeoJSON geometry object
    std::string href;
    std::string label;
};

std::string svg_map(const std::vector<MapFeature>& features, const std::string& accessible_name);

}  // namespace regiomap::api::html
