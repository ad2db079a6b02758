#include "core/tiles/tile_layer.hpp"

#include <algorithm>

#include "core/feature_store.hpp"
#include "core/web_mercator.hpp"

namespace regiomap {

TileLayer::TileLayer(std::span<const Feature> features, const GeneralisationOptions& generalisation) {
    const WebMercatorProjection projection;
    std::size_t coords = 0, paths = 0, polygons = 0;
    for (const Feature& feature : features) {
        coords += feature.geometry.coords.size();
        paths += feature.geometry.path_ends.size();
        polygons += feature.geometry.polygon_ends.size();
    }
    arena_.reserve(features.size(), coords, paths, polygons);
    std::vector<Box> boxes;
    boxes.reserve(features.size());
    for (const Feature& feature : features) {
        const Geometry projected = projection.project(feature.geometry);
        boxes.push_back(projected.bounds());
        extent_.extend(boxes.back());
        arena_.push_back(projected);
    }
    first_zoom_ = first_zooms(arena_, generalisation);
    index_ = SpatialIndex::build(boxes, first_zoom_);
}

std::vector<std::uint32_t> TileLayer::candidates(const Box& box, int zoom) const {
    std::vector<std::uint32_t> found;
    const auto max_rank = static_cast<std::uint8_t>(std::clamp(zoom, 0, 254));
    index_.visit(
        box, [&](std::uint32_t item) { found.push_back(item); }, max_rank);
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace regiomap
