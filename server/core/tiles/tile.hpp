#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "core/web_mercator.hpp"

namespace regiomap {

inline constexpr int kMaxTileZoom = 22;  // tiles answer up to here (overzoom)

// An XYZ tile address (y grows southwards, as in every web map).
struct TileId {
    int z = 0;
    std::uint32_t x = 0;
    std::uint32_t y = 0;

    bool valid() const { return z >= 0 && z <= kMaxTileZoom && x < (1u << z) && y < (1u << z); }
    bool operator==(const TileId&) const = default;
    std::string to_string() const { return std::to_string(z) + "/" + std::to_string(x) + "/" + std::to_string(y); }
};

// How tiles are cut; the defaults are those of the MVT ecosystem.
struct TileOptions {
    std::uint32_t extent = 4096;  // integer grid of one tile
    std::uint32_t buffer = 64;    // grid units kept beyond each tile edge
    // Douglas–Peucker tolerance in grid units at extent 4096 (scaled for
    // other extents): 3 units = 3/16 of a pixel on a 256-pixel tile, below
    // anything visible.
    double tolerance = 3.0;
    // Lines and polygons whose bounding box is smaller than this many grid
    // units in both directions are dropped: one pixel of a 256-pixel tile.
    double min_feature_size = 16.0;

    double scaled(double at_4096) const { return at_4096 * extent / 4096.0; }
};

// EPSG:3857 bounds of a tile.
inline Box tile_bounds(TileId tile) {
    const double size = 2 * kHalfWorld / static_cast<double>(1u << tile.z);
    const double min_x = -kHalfWorld + tile.x * size;
    const double max_y = kHalfWorld - tile.y * size;
    return {min_x, max_y - size, min_x + size, max_y};
}

// Maps EPSG:3857 metres into a tile's integer grid (as doubles, y down).
struct TileTransform {
    TileTransform(TileId tile, std::uint32_t extent) {
        Box b = tile_bounds(tile);
        origin_x = b.min_x;
        origin_y = b.max_y;
        scale = extent / (b.max_x - b.min_x);
    }
    Coord operator()(Coord mercator) const {
        return {(mercator.x - origin_x) * scale, (origin_y - mercator.y) * scale};
    }
    double origin_x = 0;
    double origin_y = 0;
    double scale = 1;
};

}  // namespace regiomap
