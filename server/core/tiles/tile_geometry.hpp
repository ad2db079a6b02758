#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/geometry.hpp"
#include "core/geos_handles.hpp"
#include "core/tiles/tile.hpp"

namespace regiomap {

struct GridPoint {
    std::int32_t x = 0;
    std::int32_t y = 0;
    bool operator==(const GridPoint&) const = default;
};

// The three MVT geometry types.
enum class TileGeometryType : std::uint8_t { point = 1, line = 2, polygon = 3 };

// A geometry on a tile's integer grid, ready to encode. Polygon parts are
// rings without the repeated closing point, each exterior ring clockwise
// in tile coordinates (y down; positive shoelace area) and followed by its
// holes (counter-clockwise). No part has consecutive duplicate points;
// lines have at least 2 points, rings at least 3 and a non-zero area.
struct TileGeometry {
    TileGeometryType type = TileGeometryType::point;
    std::vector<std::vector<GridPoint>> parts;
};

// Twice the signed area of a ring on the grid, as MVT reads it (y down):
// positive for an exterior ring.
std::int64_t grid_area2(const std::vector<GridPoint>& ring);

// What make_tile_geometry did, counted for tests and benchmarks: how many
// polygon features went to GEOS because the fast path could not prove its
// own result valid or they were too large.
struct CutStats {
    std::uint64_t polygons_through_geos = 0;
};

// Cuts one feature (in EPSG:3857) for one tile: transform to the grid,
// clip to the tile plus its buffer, simplify for the zoom, snap to the
// integer grid and repair what snapping breaks, orient rings. Nullopt when
// nothing is left (outside, or smaller than a pixel, or degenerate).
// `stats`, when given, is added to.
std::optional<TileGeometry> make_tile_geometry(GeometryView mercator, TileId tile, const TileOptions& options,
                                               const geos::Context& geos, CutStats* stats = nullptr);

// Douglas–Peucker on a path, keeping its end points; exposed for tests.
std::vector<Coord> simplify(const std::vector<Coord>& path, double tolerance);

}  // namespace regiomap
