#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/geometry_arena.hpp"

namespace regiomap {

// How a large collection is thinned for low zooms ("drop densest as
// needed", as tippecanoe does), so that a tile's size and cost depend on
// what can be seen in it, not on how many features lie under it.
struct GeneralisationOptions {
    // Collections with at most this many features are never thinned: every
    // feature is in every tile it touches (sub-pixel lines and polygons
    // excepted), which keeps small data sets exact at every zoom.
    std::size_t thin_above = 5000;
    // From this zoom on nothing is thinned (the TileJSON maxzoom).
    int detail_zoom = 14;
    // Below detail_zoom, at most one feature per square cell of this many
    // pixels (of a 256-pixel tile): at most (256/8)² = 1024 per layer and
    // tile, plus those near its edges. 4-pixel cells let the densest tiles
    // of a 10^6-feature set reach 330 KiB and 120 ms at z12 (issue 6).
    double cell_px = 8;
    // Lines and polygons smaller than this in both directions are not drawn.
    double min_size_px = 1;
};

// The first zoom at which each feature (EPSG:3857 geometry) is drawn: 0 for
// all of a small collection; for a large one, the first zoom at which its
// grid cell is free (larger features claim cells first) and it is at least
// min_size_px big. 255 for features without geometry. Features of equal
// size claim cells in collection order: `collection_order` gives each
// geometry's position in its collection when the arena holds them in
// another order (empty: the arena's order is the collection's).
std::vector<std::uint8_t> first_zooms(const GeometryArena& mercator, const GeneralisationOptions& options,
                                      std::span<const std::uint32_t> collection_order = {});

}  // namespace regiomap
