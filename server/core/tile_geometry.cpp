#include "core/tile_geometry.hpp"

#include <cmath>

namespace regiomap {

namespace {

struct GridBox {
    double min = 0;
    double max = 0;
    bool contains(Coord c) const { return c.x >= min && c.x <= max && c.y >= min && c.y <= max; }
};

GridPoint snap(Coord c) {
    return {static_cast<std::int32_t>(std::lround(c.x)), static_cast<std::int32_t>(std::lround(c.y))};
}

Box bounds_of(const std::vector<Coord>& path) {
    Box b;
    for (const Coord& c : path) {
        b.extend(c);
    }
    return b;
}

bool smaller_than(const Box& b, double size) { return b.max_x - b.min_x < size && b.max_y - b.min_y < size; }

// Squared distance from p to the segment a–b.
double segment_distance2(Coord p, Coord a, Coord b) {
    double dx = b.x - a.x;
    double dy = b.y - a.y;
    double t = 0;
    if (dx != 0 || dy != 0) {
        t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
    }
    double ex = a.x + t * dx - p.x;
    double ey = a.y + t * dy - p.y;
    return ex * ex + ey * ey;
}

void douglas_peucker(const std::vector<Coord>& path, std::size_t first, std::size_t last, double tolerance2,
                     std::vector<bool>& keep) {
    // Iterative, so that a path of a million vertices cannot overflow the stack.
    std::vector<std::pair<std::size_t, std::size_t>> stack{{first, last}};
    while (!stack.empty()) {
        auto [a, b] = stack.back();
        stack.pop_back();
        double worst = 0;
        std::size_t index = a;
        for (std::size_t i = a + 1; i < b; ++i) {
            double d = segment_distance2(path[i], path[a], path[b]);
            if (d > worst) {
                worst = d;
                index = i;
            }
        }
        if (worst > tolerance2) {
            keep[index] = true;
            stack.emplace_back(a, index);
            stack.emplace_back(index, b);
        }
    }
}

// Splits a path into the pieces that lie inside the box.
std::vector<std::vector<Coord>> clip_path(const std::vector<Coord>& path, const GridBox& box) {
    const Box rect{box.min, box.min, box.max, box.max};
    std::vector<std::vector<Coord>> pieces;
    std::vector<Coord> current;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        Coord a = path[i];
        Coord b = path[i + 1];
        const bool b_inside = box.contains(b);
        if (!clip_segment(a, b, rect)) {
            if (!current.empty()) {
                pieces.push_back(std::move(current));
                current.clear();
            }
            continue;
        }
        if (current.empty()) {
            current.push_back(a);
        }
        current.push_back(b);
        if (!b_inside) {
            pieces.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty()) {
        pieces.push_back(std::move(current));
    }
    return pieces;
}

std::vector<GridPoint> snap_path(const std::vector<Coord>& path) {
    std::vector<GridPoint> out;
    out.reserve(path.size());
    for (const Coord& c : path) {
        GridPoint p = snap(c);
        if (out.empty() || !(out.back() == p)) {
            out.push_back(p);
        }
    }
    return out;
}

std::optional<TileGeometry> points(const Geometry& g, const TileTransform& to_grid, const GridBox& box) {
    TileGeometry out{TileGeometryType::point, {{}}};
    for (const Coord& c : g.coords) {
        Coord p = to_grid(c);
        if (box.contains(p)) {
            out.parts[0].push_back(snap(p));
        }
    }
    if (out.parts[0].empty()) {
        return std::nullopt;
    }
    return out;
}

std::optional<TileGeometry> lines(const Geometry& g, const TileTransform& to_grid, const GridBox& box,
                                  const TileOptions& options) {
    TileGeometry out{TileGeometryType::line, {}};
    const double tolerance = options.scaled(options.tolerance);
    Box whole;
    for (std::size_t i = 0; i < g.path_count(); ++i) {
        std::vector<Coord> path;
        for (const Coord& c : g.path(i)) {
            path.push_back(to_grid(c));
        }
        for (auto& piece : clip_path(path, box)) {
            whole.extend(bounds_of(piece));
            auto snapped = snap_path(simplify(piece, tolerance));
            if (snapped.size() >= 2) {
                out.parts.push_back(std::move(snapped));
            }
        }
    }
    if (out.parts.empty() || smaller_than(whole, options.scaled(options.min_feature_size))) {
        return std::nullopt;
    }
    return out;
}

// --- polygons, through GEOS: rectangle clip, topology-preserving
// simplification and snap-rounding to the integer grid, each of which keeps
// a valid polygon valid.

geos::GeometryPtr ring_to_geos(const geos::Context& geos, std::span<const Coord> ring,
                               const TileTransform& to_grid) {
    GEOSCoordSequence* sequence = GEOSCoordSeq_create_r(geos.get(), static_cast<unsigned>(ring.size()), 2);
    for (std::size_t i = 0; i < ring.size(); ++i) {
        Coord p = to_grid(ring[i]);
        GEOSCoordSeq_setXY_r(geos.get(), sequence, static_cast<unsigned>(i), p.x, p.y);
    }
    return geos::own(geos, GEOSGeom_createLinearRing_r(geos.get(), sequence));
}

geos::GeometryPtr polygon_to_geos(const geos::Context& geos, const Geometry& g, std::size_t first_ring,
                                  std::size_t end_ring, const TileTransform& to_grid) {
    auto shell = ring_to_geos(geos, g.path(first_ring), to_grid);
    if (!shell) {
        return geos::own(geos, nullptr);
    }
    std::vector<GEOSGeometry*> holes;
    for (std::size_t r = first_ring + 1; r < end_ring; ++r) {
        auto hole = ring_to_geos(geos, g.path(r), to_grid);
        if (hole) {
            holes.push_back(hole.release());
        }
    }
    return geos::own(geos, GEOSGeom_createPolygon_r(geos.get(), shell.release(), holes.data(),
                                                    static_cast<unsigned>(holes.size())));
}

std::vector<GridPoint> grid_ring(const geos::Context& geos, const GEOSGeometry* ring) {
    const GEOSCoordSequence* sequence = GEOSGeom_getCoordSeq_r(geos.get(), ring);
    unsigned size = 0;
    GEOSCoordSeq_getSize_r(geos.get(), sequence, &size);
    std::vector<GridPoint> out;
    out.reserve(size);
    for (unsigned i = 0; i < size; ++i) {
        double x = 0;
        double y = 0;
        GEOSCoordSeq_getXY_r(geos.get(), sequence, i, &x, &y);
        GridPoint p = snap({x, y});
        if (out.empty() || !(out.back() == p)) {
            out.push_back(p);
        }
    }
    if (out.size() > 1 && out.front() == out.back()) {
        out.pop_back();  // MVT closes rings with ClosePath, not a repeated point
    }
    return out;
}

void append_polygons(const geos::Context& geos, const GEOSGeometry* geometry, TileGeometry& out) {
    const int type = GEOSGeomTypeId_r(geos.get(), geometry);
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0, n = GEOSGetNumGeometries_r(geos.get(), geometry); i < n; ++i) {
            append_polygons(geos, GEOSGetGeometryN_r(geos.get(), geometry, i), out);
        }
        return;
    }
    if (type != GEOS_POLYGON || GEOSisEmpty_r(geos.get(), geometry)) {
        return;  // lines and points left by a collapse are not polygons
    }
    auto exterior = grid_ring(geos, GEOSGetExteriorRing_r(geos.get(), geometry));
    std::int64_t area = grid_area2(exterior);
    if (exterior.size() < 3 || area == 0) {
        return;
    }
    if (area < 0) {
        std::reverse(exterior.begin(), exterior.end());
    }
    out.parts.push_back(std::move(exterior));
    for (int i = 0, n = GEOSGetNumInteriorRings_r(geos.get(), geometry); i < n; ++i) {
        auto hole = grid_ring(geos, GEOSGetInteriorRingN_r(geos.get(), geometry, i));
        std::int64_t hole_area = grid_area2(hole);
        if (hole.size() < 3 || hole_area == 0) {
            continue;
        }
        if (hole_area > 0) {
            std::reverse(hole.begin(), hole.end());
        }
        out.parts.push_back(std::move(hole));
    }
}

std::optional<TileGeometry> polygons(const Geometry& g, const TileTransform& to_grid, const GridBox& box,
                                     const TileOptions& options, const geos::Context& geos) {
    // Cheap rejections per polygon before GEOS: outside the tile, or below
    // a pixel. The rest go to GEOS together, as one multipolygon: snapping
    // parts one by one could make two nearby parts overlap on the grid.
    std::vector<GEOSGeometry*> kept;
    bool all_inside = true;
    std::size_t first_ring = 0;
    for (std::uint32_t end_ring : g.polygon_ends) {
        Box grid_box;
        for (const Coord& c : g.path(first_ring)) {
            grid_box.extend(to_grid(c));
        }
        const bool outside = grid_box.max_x < box.min || grid_box.min_x > box.max || grid_box.max_y < box.min ||
                             grid_box.min_y > box.max;
        if (!outside && !smaller_than(grid_box, options.scaled(options.min_feature_size))) {
            if (auto polygon = polygon_to_geos(geos, g, first_ring, end_ring, to_grid)) {
                kept.push_back(polygon.release());
                all_inside = all_inside && grid_box.min_x >= box.min && grid_box.max_x <= box.max &&
                             grid_box.min_y >= box.min && grid_box.max_y <= box.max;
            }
        }
        first_ring = end_ring;
    }
    if (kept.empty()) {
        return std::nullopt;
    }
    auto whole = geos::own(geos, GEOSGeom_createCollection_r(geos.get(), GEOS_MULTIPOLYGON, kept.data(),
                                                             static_cast<unsigned>(kept.size())));
    if (!whole) {
        return std::nullopt;
    }
    auto clipped = all_inside ? std::move(whole)
                              : geos::own(geos, GEOSClipByRect_r(geos.get(), whole.get(), box.min, box.min, box.max,
                                                                 box.max));
    if (!clipped || GEOSisEmpty_r(geos.get(), clipped.get())) {
        return std::nullopt;
    }
    auto simplified =
        geos::own(geos, GEOSTopologyPreserveSimplify_r(geos.get(), clipped.get(), options.scaled(options.tolerance)));
    const GEOSGeometry* to_snap = simplified ? simplified.get() : clipped.get();
    // Snap-rounding onto the unit grid (GEOS OverlayNG): the result is
    // valid, parts that meet on the grid are merged, rings that collapse
    // under rounding are removed.
    auto snapped = geos::own(geos, GEOSGeom_setPrecision_r(geos.get(), to_snap, 1.0, 0));
    if (!snapped) {
        return std::nullopt;
    }
    TileGeometry out{TileGeometryType::polygon, {}};
    append_polygons(geos, snapped.get(), out);
    if (out.parts.empty()) {
        return std::nullopt;
    }
    return out;
}

}  // namespace

std::int64_t grid_area2(const std::vector<GridPoint>& ring) {
    std::int64_t sum = 0;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const GridPoint& a = ring[i];
        const GridPoint& b = ring[(i + 1) % n];
        sum += static_cast<std::int64_t>(a.x) * b.y - static_cast<std::int64_t>(b.x) * a.y;
    }
    return sum;
}

std::vector<Coord> simplify(const std::vector<Coord>& path, double tolerance) {
    if (path.size() <= 2 || tolerance <= 0) {
        return path;
    }
    std::vector<bool> keep(path.size(), false);
    keep.front() = true;
    keep.back() = true;
    douglas_peucker(path, 0, path.size() - 1, tolerance * tolerance, keep);
    std::vector<Coord> out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (keep[i]) {
            out.push_back(path[i]);
        }
    }
    return out;
}

std::optional<TileGeometry> make_tile_geometry(const Geometry& mercator, TileId tile, const TileOptions& options,
                                               const geos::Context& geos) {
    if (mercator.empty()) {
        return std::nullopt;
    }
    const TileTransform to_grid(tile, options.extent);
    const double buffer = static_cast<double>(options.buffer);
    const GridBox box{-buffer, static_cast<double>(options.extent) + buffer};
    switch (mercator.type) {
        case GeometryType::point:
        case GeometryType::multi_point:
            return points(mercator, to_grid, box);
        case GeometryType::line_string:
        case GeometryType::multi_line_string:
            return lines(mercator, to_grid, box, options);
        case GeometryType::polygon:
        case GeometryType::multi_polygon:
            return polygons(mercator, to_grid, box, options, geos);
    }
    return std::nullopt;
}

}  // namespace regiomap
