#include "core/tiles/tile_layer.hpp"

#include <algorithm>

#include "core/feature_store.hpp"
#include "core/web_mercator.hpp"

namespace regiomap {

TileLayer::TileLayer(std::span<const Feature> features, std::size_t field_count,
                     const GeneralisationOptions& generalisation)
    : field_count_(field_count) {
    // The layer's order, from the CRS84 boxes (monotonic in each axis to
    // EPSG:3857's, so the same neighbours); features without geometry last.
    std::vector<std::uint32_t> order;
    {
        std::vector<Box> boxes;
        boxes.reserve(features.size());
        for (const Feature& feature : features) {
            boxes.push_back(feature.geometry.bounds());
        }
        order = hilbert_order(boxes);
        for (std::uint32_t i = 0; i < features.size(); ++i) {
            if (boxes[i].empty()) {
                order.push_back(i);
            }
        }
    }

    const WebMercatorProjection projection;
    std::size_t coords = 0, paths = 0, polygons = 0;
    for (const Feature& feature : features) {
        coords += feature.geometry.coords.size();
        paths += feature.geometry.path_ends.size();
        polygons += feature.geometry.polygon_ends.size();
    }
    arena_.reserve(features.size(), coords, paths, polygons);
    ids_.reserve(features.size());
    positions_.reserve(features.size());
    value_ids_.reserve(features.size() * field_count);
    std::vector<Box> boxes;
    boxes.reserve(features.size());
    for (std::uint32_t position : order) {
        const Feature& feature = features[position];
        const Geometry projected = projection.project(feature.geometry);
        boxes.push_back(projected.bounds());
        extent_.extend(boxes.back());
        arena_.push_back(projected);
        ids_.push_back(feature.id);
        positions_.push_back(position);
        for (std::size_t f = 0; f < field_count; ++f) {
            value_ids_.push_back(f < feature.properties.size() ? values_.intern(feature.properties[f])
                                                               : MvtValues::kNull);
        }
    }
    values_.finish_interning();
    first_zoom_ = first_zooms(arena_, generalisation, positions_);
    index_ = SpatialIndex::build(boxes, first_zoom_);
}

std::vector<std::uint32_t> TileLayer::candidates(const Box& box, int zoom) const {
    // Found in the index's order, written in the collection's: sorted by
    // collection position (high half) with the slot alongside (low half).
    std::vector<std::uint64_t> found;
    const auto max_rank = static_cast<std::uint8_t>(std::clamp(zoom, 0, 254));
    index_.visit(
        box, [&](std::uint32_t slot) { found.push_back(static_cast<std::uint64_t>(positions_[slot]) << 32 | slot); },
        max_rank);
    std::sort(found.begin(), found.end());
    std::vector<std::uint32_t> slots(found.size());
    for (std::size_t i = 0; i < found.size(); ++i) {
        slots[i] = static_cast<std::uint32_t>(found[i]);
    }
    return slots;
}

}  // namespace regiomap
