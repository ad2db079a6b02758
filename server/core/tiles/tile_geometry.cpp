#include "core/tiles/tile_geometry.hpp"

#include <cmath>

#include "core/tiles/ring_clip.hpp"

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

bool smaller_than(const Box& b, double size) {
    return b.max_x - b.min_x < size && b.max_y - b.min_y < size;
}

// The squared distance from points to the segment a–b, multiplied by the
// segment's squared length: Douglas–Peucker only compares the points of one
// range with each other and with one threshold, so the scaled distances
// serve as well and the loop over the points needs no division (which was
// most of simplify()'s time).
class ScaledSegmentDistance {
public:
    ScaledSegmentDistance(Coord a, Coord b) : a_(a), b_(b), dx_(b.x - a.x), dy_(b.y - a.y) {
        length2_ = dx_ * dx_ + dy_ * dy_;
    }
    double operator()(Coord p) const {
        const double px = p.x - a_.x;
        const double py = p.y - a_.y;
        if (length2_ == 0) {
            return px * px + py * py;  // a ring's closing range: a and b are one point
        }
        const double along = px * dx_ + py * dy_;
        if (along <= 0) {
            return (px * px + py * py) * length2_;
        }
        if (along >= length2_) {
            const double qx = p.x - b_.x;
            const double qy = p.y - b_.y;
            return (qx * qx + qy * qy) * length2_;
        }
        const double cross = px * dy_ - py * dx_;
        return cross * cross;
    }
    // Whether a scaled distance is over `tolerance2` (a squared distance).
    bool over(double scaled, double tolerance2) const {
        return scaled > (length2_ == 0 ? tolerance2 : tolerance2 * length2_);
    }

private:
    Coord a_, b_;
    double dx_, dy_;
    double length2_ = 0;
};

void douglas_peucker(const std::vector<Coord>& path, std::size_t first, std::size_t last, double tolerance2,
                     std::vector<bool>& keep) {
    // Iterative, so that a path of a million vertices cannot overflow the stack.
    std::vector<std::pair<std::size_t, std::size_t>> stack{{first, last}};
    while (!stack.empty()) {
        auto [a, b] = stack.back();
        stack.pop_back();
        const ScaledSegmentDistance distance(path[a], path[b]);
        double worst = 0;
        std::size_t index = a;
        for (std::size_t i = a + 1; i < b; ++i) {
            const double d = distance(path[i]);
            if (d > worst) {
                worst = d;
                index = i;
            }
        }
        if (distance.over(worst, tolerance2)) {
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

// A closed path on the grid as an MVT ring: without its closing point.
std::vector<GridPoint> snap_ring(const std::vector<Coord>& path) {
    auto ring = snap_path(path);
    if (ring.size() > 1 && ring.front() == ring.back()) {
        ring.pop_back();
    }
    return ring;
}

std::optional<TileGeometry> points(const GeometryView& g, const TileTransform& to_grid, const GridBox& box) {
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

std::optional<TileGeometry> lines(const GeometryView& g, const TileTransform& to_grid, const GridBox& box,
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

geos::GeometryPtr ring_to_geos(const geos::Context& geos, std::span<const Coord> ring, const TileTransform& to_grid) {
    GEOSCoordSequence* sequence = GEOSCoordSeq_create_r(geos.get(), static_cast<unsigned>(ring.size()), 2);
    for (std::size_t i = 0; i < ring.size(); ++i) {
        Coord p = to_grid(ring[i]);
        GEOSCoordSeq_setXY_r(geos.get(), sequence, static_cast<unsigned>(i), p.x, p.y);
    }
    return geos::own(geos, GEOSGeom_createLinearRing_r(geos.get(), sequence));
}

geos::GeometryPtr polygon_to_geos(const geos::Context& geos, const GeometryView& g, std::size_t first_ring,
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
    return geos::own(
        geos, GEOSGeom_createPolygon_r(geos.get(), shell.release(), holes.data(), static_cast<unsigned>(holes.size())));
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

// --- the fast path: most polygons of a tile at high zooms (parcels,
// buildings) lie inside it, and most of the rest cross its edge simply.
// Clip each ring to the box (Sutherland–Hodgman), simplify and snap it
// ourselves, then prove the result valid on the integer grid: no two
// segments meet except neighbours at their shared vertex, no spikes, no
// ring under 3 points or without area, every hole inside its exterior.
// When the proof fails (or the polygon is large), GEOS does the work.

constexpr std::size_t kFastPathMaxVertices = 256;

std::int64_t orient(GridPoint a, GridPoint b, GridPoint c) {
    return static_cast<std::int64_t>(b.x - a.x) * (c.y - a.y) - static_cast<std::int64_t>(b.y - a.y) * (c.x - a.x);
}

bool within_box(GridPoint a, GridPoint b, GridPoint p) {
    return std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y &&
           p.y <= std::max(a.y, b.y);
}

// Whether the closed segments a–b and c–d share any point.
bool segments_meet(GridPoint a, GridPoint b, GridPoint c, GridPoint d) {
    if (std::max(a.x, b.x) < std::min(c.x, d.x) || std::max(c.x, d.x) < std::min(a.x, b.x) ||
        std::max(a.y, b.y) < std::min(c.y, d.y) || std::max(c.y, d.y) < std::min(a.y, b.y)) {
        return false;
    }
    const std::int64_t o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
    if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
        return true;
    }
    return (o1 == 0 && within_box(a, b, c)) || (o2 == 0 && within_box(a, b, d)) || (o3 == 0 && within_box(c, d, a)) ||
           (o4 == 0 && within_box(c, d, b));
}

bool ring_contains(const std::vector<GridPoint>& ring, GridPoint p) {
    bool in = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const GridPoint& a = ring[i];
        const GridPoint& b = ring[j];
        if ((a.y > p.y) != (b.y > p.y)) {
            // x of the edge at p.y, compared without division.
            const std::int64_t lhs = static_cast<std::int64_t>(p.x - a.x) * (b.y - a.y);
            const std::int64_t rhs = static_cast<std::int64_t>(b.x - a.x) * (p.y - a.y);
            if ((b.y - a.y > 0) ? lhs < rhs : lhs > rhs) {
                in = !in;
            }
        }
    }
    return in;
}

// `rings` of one tile geometry, `first_of_polygon` marking exteriors.
bool provably_valid(const std::vector<std::vector<GridPoint>>& rings, const std::vector<bool>& exterior) {
    struct Segment {
        GridPoint a, b;
        std::size_t ring, index, ring_size;
    };
    std::vector<Segment> segments;
    for (std::size_t r = 0; r < rings.size(); ++r) {
        const auto& ring = rings[r];
        for (std::size_t i = 0; i < ring.size(); ++i) {
            segments.push_back({ring[i], ring[(i + 1) % ring.size()], r, i, ring.size()});
        }
    }
    for (std::size_t s = 0; s < segments.size(); ++s) {
        const Segment& u = segments[s];
        for (std::size_t t = s + 1; t < segments.size(); ++t) {
            const Segment& v = segments[t];
            const bool neighbours =
                u.ring == v.ring && (v.index == u.index + 1 || (u.index == 0 && v.index + 1 == v.ring_size));
            if (neighbours) {
                // They share one vertex; they must not fold back over each other.
                const GridPoint& shared = v.index == u.index + 1 ? u.b : u.a;
                const GridPoint& p = v.index == u.index + 1 ? u.a : u.b;
                const GridPoint& q = v.index == u.index + 1 ? v.b : v.a;
                if (orient(p, shared, q) == 0 && static_cast<std::int64_t>(shared.x - p.x) * (q.x - shared.x) +
                                                         static_cast<std::int64_t>(shared.y - p.y) * (q.y - shared.y) <
                                                     0) {
                    return false;
                }
                continue;
            }
            if (segments_meet(u.a, u.b, v.a, v.b)) {
                return false;
            }
        }
    }
    std::size_t shell = 0;
    for (std::size_t r = 0; r < rings.size(); ++r) {
        if (exterior[r]) {
            shell = r;
        } else if (!ring_contains(rings[shell], rings[r][0])) {
            return false;
        }
    }
    return true;
}

// What the fast path made of a feature's polygons.
enum class FastPath {
    proven,    // the rings are valid on the grid (none: nothing of it is in the box)
    unproven,  // GEOS must do it
};

// Simplifies and snaps each ring of `parts`, clipped to the box first when
// it crosses it, and proves the result valid. Clipping a valid polygon to a
// convex box keeps it valid as long as no ring leaves and re-enters the box
// through one side; when one does, its clipped ring runs back along that
// side and the proof fails on the overlapping edges.
//
// Not inlined: inlined into polygons(), it made GCC 12 keep the bounds
// computed there on the stack, and rejecting the tiny polygons of a
// low-zoom tile took 38 ns each instead of 23 (BM_TileGeometry_Polygons/8).
[[gnu::noinline]] FastPath simple_polygons(const GeometryView& g,
                                           const std::vector<std::pair<std::size_t, std::size_t>>& parts,
                                           const TileTransform& to_grid, const GridBox& box, const TileOptions& options,
                                           std::vector<std::vector<GridPoint>>& rings) {
    const double tolerance = options.scaled(options.tolerance);
    const Box rect{box.min, box.min, box.max, box.max};
    std::vector<bool> exterior;
    std::size_t vertices = 0;  // after clipping: what the proof below costs, quadratically
    for (auto [first, end] : parts) {
        for (std::size_t r = first; r < end; ++r) {
            std::vector<Coord> path;
            path.reserve(g.path(r).size());
            bool inside = true;
            for (const Coord& c : g.path(r)) {
                path.push_back(to_grid(c));
                inside = inside && box.contains(path.back());
            }
            if (!inside) {
                path = clip_ring(path, rect);
                if (path.empty()) {
                    if (r == first) {
                        break;  // no area of the exterior in the box, so none of its holes either
                    }
                    continue;  // a hole outside the box
                }
            }
            vertices += path.size();
            if (vertices > kFastPathMaxVertices) {
                return FastPath::unproven;
            }
            auto ring = snap_ring(simplify(path, tolerance));
            std::int64_t area = ring.size() >= 3 ? grid_area2(ring) : 0;
            if (area == 0 && r == first) {
                // Douglas–Peucker collapses a ring thinner than its tolerance
                // (a sliver cut off by the box, a small polygon at a low zoom)
                // where GEOS's topology-preserving simplifier keeps it; so do
                // we, unsimplified.
                ring = snap_ring(path);
                if (ring.size() < 3) {
                    break;  // every vertex on one or two grid points: nothing of it is left
                }
                area = grid_area2(ring);
                if (area == 0) {
                    return FastPath::unproven;  // let GEOS decide what remains
                }
            }
            if (area == 0) {
                continue;  // a hole that vanished on the grid
            }
            const bool is_exterior = r == first;
            if ((area > 0) != is_exterior) {
                std::reverse(ring.begin(), ring.end());
            }
            rings.push_back(std::move(ring));
            exterior.push_back(is_exterior);
        }
    }
    return rings.empty() || provably_valid(rings, exterior) ? FastPath::proven : FastPath::unproven;
}

std::optional<TileGeometry> polygons(const GeometryView& g, const TileTransform& to_grid, const GridBox& box,
                                     const TileOptions& options, const geos::Context& geos, CutStats* stats) {
    // Cheap rejections per polygon first: outside the tile, or below a pixel.
    std::vector<std::pair<std::size_t, std::size_t>> parts;  // [first ring, end ring)
    bool all_inside = true;
    std::size_t first_ring = 0;
    std::size_t vertices = 0;
    for (std::uint32_t end_ring : g.polygon_ends) {
        Box grid_box;
        for (const Coord& c : g.path(first_ring)) {
            grid_box.extend(to_grid(c));
        }
        const bool outside = grid_box.max_x < box.min || grid_box.min_x > box.max || grid_box.max_y < box.min ||
                             grid_box.min_y > box.max;
        if (!outside && !smaller_than(grid_box, options.scaled(options.min_feature_size))) {
            parts.emplace_back(first_ring, end_ring);
            all_inside = all_inside && grid_box.min_x >= box.min && grid_box.max_x <= box.max &&
                         grid_box.min_y >= box.min && grid_box.max_y <= box.max;
            vertices +=
                (end_ring == 0 ? 0 : g.path_ends[end_ring - 1]) - (first_ring == 0 ? 0 : g.path_ends[first_ring - 1]);
        }
        first_ring = end_ring;
    }
    if (parts.empty()) {
        return std::nullopt;
    }
    // Inside the box, clipping cannot make a polygon smaller, so one over the
    // limit needs no trying. One that crosses the box may be small inside it.
    if (!all_inside || vertices <= kFastPathMaxVertices) {
        std::vector<std::vector<GridPoint>> rings;
        if (simple_polygons(g, parts, to_grid, box, options, rings) == FastPath::proven) {
            if (rings.empty()) {
                return std::nullopt;
            }
            return TileGeometry{TileGeometryType::polygon, std::move(rings)};
        }
    }
    if (stats) {
        ++stats->polygons_through_geos;
    }
    // GEOS, with every part together as one multipolygon: snapping parts
    // one by one could make two nearby parts overlap on the grid.
    std::vector<GEOSGeometry*> kept;
    for (auto [first, end] : parts) {
        if (auto polygon = polygon_to_geos(geos, g, first, end, to_grid)) {
            kept.push_back(polygon.release());
        }
    }
    if (kept.empty()) {
        return std::nullopt;
    }
    auto whole = geos::own(geos, GEOSGeom_createCollection_r(geos.get(), GEOS_MULTIPOLYGON, kept.data(),
                                                             static_cast<unsigned>(kept.size())));
    if (!whole) {
        return std::nullopt;
    }
    auto clipped = all_inside
                       ? std::move(whole)
                       : geos::own(geos, GEOSClipByRect_r(geos.get(), whole.get(), box.min, box.min, box.max, box.max));
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

std::optional<TileGeometry> make_tile_geometry(GeometryView mercator, TileId tile, const TileOptions& options,
                                               const geos::Context& geos, CutStats* stats) {
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
            return polygons(mercator, to_grid, box, options, geos, stats);
    }
    return std::nullopt;
}

}  // namespace regiomap
