#pragma once

#include <span>
#include <string>

#include "core/feature_store.hpp"
#include "core/tiles/tile.hpp"

namespace regiomap {

// What one tile holds, for logs and tests.
struct TileStats {
    std::size_t features = 0;  // encoded
    std::size_t dropped = 0;   // candidates with nothing left (outside after clipping, sub-pixel, degenerate)
};

// Renders one MVT tile with one layer per collection (named by the
// collection id; empty layers are left out). An empty string means an
// empty tile. Thread-safe: every call has its own buffers (and GEOS
// context, made only when a polygon needs it).
std::string render_tile(std::span<const Collection* const> collections, TileId tile, const TileOptions& options,
                        TileStats* stats = nullptr);

}  // namespace regiomap
