#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/geometry.hpp"
#include "core/geometry_arena.hpp"
#include "core/spatial_index.hpp"
#include "core/tiles/generalise.hpp"
#include "core/tiles/mvt_values.hpp"

namespace regiomap {

struct Feature;

// What the tiler needs of one collection, made once at load: every
// geometry projected to EPSG:3857 in one arena, the feature ids, every
// property value interned for MVT (mvt_values.hpp), an R-tree pruned by the
// zoom at which each feature is first drawn (generalise.hpp), their extent.
// Immutable once built.
//
// The layer keeps the features in its own order — along a Hilbert curve
// through their centres — so that a tile's features lie next to each other
// in memory, not wherever the source put them (waiting for memory was the
// largest single cost of a dense tile). "Slots" are positions in that
// order; feature_position() maps a slot back to the collection.
class TileLayer {
public:
    TileLayer() = default;
    // `field_count`: how many properties each feature has (the collection's fields).
    TileLayer(std::span<const Feature> features, std::size_t field_count, const GeneralisationOptions& generalisation);

    std::size_t size() const { return ids_.size(); }
    GeometryView geometry(std::size_t slot) const { return arena_[slot]; }
    const GeometryArena& arena() const { return arena_; }
    std::int64_t feature_id(std::size_t slot) const { return ids_[slot]; }
    std::uint32_t feature_position(std::size_t slot) const { return positions_[slot]; }
    // The slot's property values as ids into values(), one per field.
    std::span<const std::uint32_t> value_ids(std::size_t slot) const {
        return std::span<const std::uint32_t>(value_ids_).subspan(slot * field_count_, field_count_);
    }
    const MvtValues& values() const { return values_; }
    std::uint8_t first_zoom(std::size_t slot) const { return first_zoom_[slot]; }

    // Slots of the features drawn at `zoom` whose EPSG:3857 box meets
    // `box`, in collection order (the order a tile's features are written).
    std::vector<std::uint32_t> candidates(const Box& box, int zoom) const;
    // Slots of every feature whose EPSG:3857 box meets `box`, ascending.
    std::vector<std::uint32_t> search(const Box& box) const { return index_.search(box); }

    Box extent() const { return extent_; }  // EPSG:3857

private:
    GeometryArena arena_;
    std::vector<std::int64_t> ids_;
    std::vector<std::uint32_t> positions_;
    std::size_t field_count_ = 0;
    std::vector<std::uint32_t> value_ids_;  // slot × field
    MvtValues values_;
    std::vector<std::uint8_t> first_zoom_;
    SpatialIndex index_;
    Box extent_;
};

}  // namespace regiomap
