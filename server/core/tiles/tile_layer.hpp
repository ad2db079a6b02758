#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/geometry.hpp"
#include "core/geometry_arena.hpp"
#include "core/spatial_index.hpp"
#include "core/tiles/generalise.hpp"

namespace regiomap {

struct Feature;

// What the tiler needs of one collection, apart from its properties: every
// geometry projected once to EPSG:3857 in one arena, an R-tree over them
// pruned by the zoom at which each feature is first drawn (generalise.hpp),
// their extent, and where the data is densest for a map's first view.
// Positions run parallel to the collection's features. Immutable once built.
class TileLayer {
public:
    TileLayer() = default;
    TileLayer(std::span<const Feature> features, const GeneralisationOptions& generalisation);

    GeometryView geometry(std::size_t position) const { return arena_[position]; }
    const GeometryArena& arena() const { return arena_; }

    // Positions of the features drawn at `zoom` whose EPSG:3857 box meets
    // `box`, ascending.
    std::vector<std::uint32_t> candidates(const Box& box, int zoom) const;
    // Positions of every feature whose EPSG:3857 box meets `box`, ascending.
    std::vector<std::uint32_t> search(const Box& box) const { return index_.search(box); }
    std::uint8_t first_zoom(std::size_t position) const { return first_zoom_[position]; }

    Box extent() const { return extent_; }  // EPSG:3857

private:
    GeometryArena arena_;
    std::vector<std::uint8_t> first_zoom_;
    SpatialIndex index_;
    Box extent_;
};

}  // namespace regiomap
