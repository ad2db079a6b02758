#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
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

// A geometry on a tile's integer grid, ready to encode, in flat arrays (as
// Geometry): `points` holds every part, one after the other, and
// `part_ends` one past each part's last point. Points are one part. Polygon
// parts are rings without the repeated closing point, each exterior ring
// clockwise in tile coordinates (y down; positive shoelace area) and
// followed by its holes (counter-clockwise). No part has consecutive
// duplicate points; lines have at least 2 points, rings at least 3 and a
// non-zero area.
struct TileGeometry {
    TileGeometryType type = TileGeometryType::point;
    std::vector<GridPoint> points;
    std::vector<std::uint32_t> part_ends;

    std::size_t part_count() const { return part_ends.size(); }
    std::span<const GridPoint> part(std::size_t i) const {
        const std::uint32_t begin = i == 0 ? 0 : part_ends[i - 1];
        return {points.data() + begin, part_ends[i] - begin};
    }
    // Every part as its own vector (a copy), and the reverse: for tests and tools.
    std::vector<std::vector<GridPoint>> parts() const;
    static TileGeometry from_parts(TileGeometryType type, const std::vector<std::vector<GridPoint>>& parts);
};

// Twice the signed area of a ring on the grid, as MVT reads it (y down):
// positive for an exterior ring.
std::int64_t grid_area2(std::span<const GridPoint> ring);

// What cutting did, counted for tests and benchmarks: how many polygon
// features went to GEOS because the fast path could not prove its own
// result valid or they were too large.
struct CutStats {
    std::uint64_t polygons_through_geos = 0;
};

// Cuts features (in EPSG:3857) for one tile: transform to the grid, clip to
// the tile plus its buffer, simplify for the zoom, snap to the integer grid
// and repair what snapping breaks, orient rings. One cutter serves every
// feature of a tile and keeps its working buffers from one to the next, so
// that cutting allocates nothing once they have grown (allocation was a
// sixth of a dense tile's instructions). Not thread-safe: one per tile.
class TileCutter {
public:
    // `geos`: a context to use when the fast path cannot prove a polygon
    // valid; without one, the cutter makes its own on first need (most
    // tiles never need GEOS). `stats`, when given, is added to.
    TileCutter(TileId tile, const TileOptions& options, const geos::Context* geos = nullptr, CutStats* stats = nullptr);
    ~TileCutter();
    TileCutter(const TileCutter&) = delete;
    TileCutter& operator=(const TileCutter&) = delete;

    // Overwrites `out` with the feature's part of the tile; false when
    // nothing is left (outside, smaller than a pixel, or degenerate).
    bool cut(GeometryView mercator, TileGeometry& out);

    struct Buffers;  // the working buffers (tile_geometry.cpp)

private:
    bool points(const GeometryView& g, TileGeometry& out) const;
    bool lines(const GeometryView& g, TileGeometry& out);
    bool polygons(const GeometryView& g, TileGeometry& out);
    bool simple_polygons(const GeometryView& g, TileGeometry& out);
    bool polygons_with_geos(const GeometryView& g, bool all_inside, TileGeometry& out);
    const geos::Context& geos();

    TileTransform to_grid_;
    Box box_;               // the tile plus its buffer, in grid units
    double tolerance_ = 0;  // Douglas–Peucker, grid units
    double min_size_ = 0;   // lines and polygons smaller than this in both directions are dropped
    const geos::Context* geos_;
    std::optional<geos::Context> own_geos_;
    CutStats* stats_;
    std::unique_ptr<Buffers> buffers_;
};

// One feature for one tile with a cutter of its own (tests and tools; the
// tiler keeps one cutter per tile). Nullopt when nothing is left.
std::optional<TileGeometry> make_tile_geometry(GeometryView mercator, TileId tile, const TileOptions& options,
                                               const geos::Context& geos, CutStats* stats = nullptr);

// Douglas–Peucker on a path, keeping its end points; exposed for tests.
std::vector<Coord> simplify(const std::vector<Coord>& path, double tolerance);

}  // namespace regiomap
