#include "core/tiles/tile_geometry.hpp"

#include <algorithm>

#include "core/tiles/ring_clip.hpp"

namespace regiomap {

namespace {

bool contains(const Box& box, Coord c) {
    return c.x >= box.min_x && c.x <= box.max_x && c.y >= box.min_y && c.y <= box.max_y;
}

// std::lround (half away from zero) without the call into libm, which was
// 2 % of a tile: exact for |v| < 2^52, and snapped points lie in the tile.
std::int32_t round_to_grid(double v) {
    const auto toward_zero = static_cast<std::int64_t>(v);
    const double fraction = v - static_cast<double>(toward_zero);
    return static_cast<std::int32_t>(toward_zero + (fraction >= 0.5) - (fraction <= -0.5));
}

GridPoint snap(Coord c) {
    return {round_to_grid(c.x), round_to_grid(c.y)};
}

Box bounds_of(std::span<const Coord> path) {
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

// Marks in `keep` the points Douglas–Peucker keeps between first and last.
void douglas_peucker(std::span<const Coord> path, std::size_t first, std::size_t last, double tolerance2,
                     std::vector<std::uint8_t>& keep, std::vector<std::pair<std::size_t, std::size_t>>& stack) {
    // Iterative, so that a path of a million vertices cannot overflow the stack.
    stack.assign(1, {first, last});
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
            keep[index] = 1;
            stack.emplace_back(a, index);
            stack.emplace_back(index, b);
        }
    }
}

// Appends the path snapped to the grid to `out`, without consecutive
// duplicates; returns how many points it appended.
std::size_t append_snapped(std::span<const Coord> path, std::vector<GridPoint>& out) {
    const std::size_t start = out.size();
    for (const Coord& c : path) {
        const GridPoint p = snap(c);
        if (out.size() == start || !(out.back() == p)) {
            out.push_back(p);
        }
    }
    return out.size() - start;
}

// The same for a closed path as an MVT ring: without its closing point.
std::size_t append_snapped_ring(std::span<const Coord> path, std::vector<GridPoint>& out) {
    const std::size_t start = out.size();
    std::size_t n = append_snapped(path, out);
    if (n > 1 && out[start] == out.back()) {
        out.pop_back();
        --n;
    }
    return n;
}

std::span<const GridPoint> tail_of(const std::vector<GridPoint>& points, std::size_t start) {
    return std::span<const GridPoint>(points).subspan(start);
}

}  // namespace

// The working buffers of a cutter, kept from one feature to the next.
struct TileCutter::Buffers {
    std::vector<Coord> path;                // one path or ring on the grid
    std::vector<Coord> clipped;             // lines: the pieces in the box; rings: the clipped ring
    std::vector<std::uint32_t> piece_ends;  // lines: one past each piece in `clipped`
    std::vector<Coord> clip_scratch;        // Sutherland–Hodgman's second buffer
    std::vector<Coord> simplified;          // Douglas–Peucker's result
    std::vector<std::uint8_t> keep;         // Douglas–Peucker's marks
    std::vector<std::pair<std::size_t, std::size_t>> stack;
    std::vector<std::pair<std::size_t, std::size_t>> parts;  // polygons kept: [first ring, end ring)
    std::vector<std::uint8_t> exterior;                      // per ring written: whether it is an exterior
    struct Segment {
        GridPoint a, b;
        std::size_t ring, index, ring_size;
    };
    std::vector<Segment> segments;  // the validity proof's

    // Douglas–Peucker on `path`: the path itself when nothing can go, else
    // the points kept, in `simplified`.
    std::span<const Coord> simplify(std::span<const Coord> line, double tolerance) {
        if (line.size() <= 2 || tolerance <= 0) {
            return line;
        }
        keep.assign(line.size(), 0);
        keep.front() = 1;
        keep.back() = 1;
        douglas_peucker(line, 0, line.size() - 1, tolerance * tolerance, keep, stack);
        simplified.clear();
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (keep[i]) {
                simplified.push_back(line[i]);
            }
        }
        return simplified;
    }
};

namespace {

// Splits a path into the pieces that lie inside the box: into `pieces`,
// each ending at an entry of `ends`.
void clip_path(std::span<const Coord> path, const Box& box, std::vector<Coord>& pieces,
               std::vector<std::uint32_t>& ends) {
    pieces.clear();
    ends.clear();
    std::size_t piece_start = 0;
    auto end_piece = [&] {
        if (pieces.size() > piece_start) {
            ends.push_back(static_cast<std::uint32_t>(pieces.size()));
            piece_start = pieces.size();
        }
    };
    bool a_inside = !path.empty() && contains(box, path[0]);
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        Coord a = path[i];
        Coord b = path[i + 1];
        const bool b_inside = contains(box, b);
        // A segment with both ends inside needs no clipping (most of them).
        if (!(a_inside && b_inside) && !clip_segment(a, b, box)) {
            end_piece();
            a_inside = b_inside;
            continue;
        }
        if (pieces.size() == piece_start) {
            pieces.push_back(a);
        }
        pieces.push_back(b);
        if (!b_inside) {
            end_piece();
        }
        a_inside = b_inside;
    }
    end_piece();
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

// Appends a GEOS ring snapped to the grid, as an MVT ring (no consecutive
// duplicates, no closing point); returns how many points it appended.
std::size_t append_grid_ring(const geos::Context& geos, const GEOSGeometry* ring, std::vector<GridPoint>& out) {
    const GEOSCoordSequence* sequence = GEOSGeom_getCoordSeq_r(geos.get(), ring);
    unsigned size = 0;
    GEOSCoordSeq_getSize_r(geos.get(), sequence, &size);
    const std::size_t start = out.size();
    for (unsigned i = 0; i < size; ++i) {
        double x = 0;
        double y = 0;
        GEOSCoordSeq_getXY_r(geos.get(), sequence, i, &x, &y);
        GridPoint p = snap({x, y});
        if (out.size() == start || !(out.back() == p)) {
            out.push_back(p);
        }
    }
    if (out.size() - start > 1 && out[start] == out.back()) {
        out.pop_back();  // MVT closes rings with ClosePath, not a repeated point
    }
    return out.size() - start;
}

// Appends one ring, oriented as an exterior (positive area) or a hole;
// nothing when it has no area on the grid. Whether it was appended.
bool append_oriented_ring(const geos::Context& geos, const GEOSGeometry* ring, bool exterior, TileGeometry& out) {
    const std::size_t start = out.points.size();
    const std::size_t n = append_grid_ring(geos, ring, out.points);
    const std::int64_t area = n >= 3 ? grid_area2(tail_of(out.points, start)) : 0;
    if (area == 0) {
        out.points.resize(start);
        return false;
    }
    if ((area > 0) != exterior) {
        std::reverse(out.points.begin() + static_cast<std::ptrdiff_t>(start), out.points.end());
    }
    out.part_ends.push_back(static_cast<std::uint32_t>(out.points.size()));
    return true;
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
    if (!append_oriented_ring(geos, GEOSGetExteriorRing_r(geos.get(), geometry), true, out)) {
        return;
    }
    for (int i = 0, n = GEOSGetNumInteriorRings_r(geos.get(), geometry); i < n; ++i) {
        append_oriented_ring(geos, GEOSGetInteriorRingN_r(geos.get(), geometry, i), false, out);
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

bool ring_contains(std::span<const GridPoint> ring, GridPoint p) {
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

// The rings of `rings` (a tile geometry), `exterior` marking exteriors.
bool provably_valid(const TileGeometry& rings, const std::vector<std::uint8_t>& exterior,
                    std::vector<TileCutter::Buffers::Segment>& segments) {
    segments.clear();
    for (std::size_t r = 0; r < rings.part_count(); ++r) {
        const auto ring = rings.part(r);
        for (std::size_t i = 0; i < ring.size(); ++i) {
            segments.push_back({ring[i], ring[(i + 1) % ring.size()], r, i, ring.size()});
        }
    }
    for (std::size_t s = 0; s < segments.size(); ++s) {
        const auto& u = segments[s];
        for (std::size_t t = s + 1; t < segments.size(); ++t) {
            const auto& v = segments[t];
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
    for (std::size_t r = 0; r < rings.part_count(); ++r) {
        if (exterior[r]) {
            shell = r;
        } else if (!ring_contains(rings.part(shell), rings.part(r)[0])) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::vector<std::vector<GridPoint>> TileGeometry::parts() const {
    std::vector<std::vector<GridPoint>> out;
    for (std::size_t i = 0; i < part_count(); ++i) {
        const auto p = part(i);
        out.emplace_back(p.begin(), p.end());
    }
    return out;
}

TileGeometry TileGeometry::from_parts(TileGeometryType type, const std::vector<std::vector<GridPoint>>& parts) {
    TileGeometry out{type, {}, {}};
    for (const auto& part : parts) {
        out.points.insert(out.points.end(), part.begin(), part.end());
        out.part_ends.push_back(static_cast<std::uint32_t>(out.points.size()));
    }
    return out;
}

std::int64_t grid_area2(std::span<const GridPoint> ring) {
    std::int64_t sum = 0;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const GridPoint& a = ring[i];
        const GridPoint& b = ring[(i + 1) % n];
        sum += static_cast<std::int64_t>(a.x) * b.y - static_cast<std::int64_t>(b.x) * a.y;
    }
    return sum;
}

TileCutter::TileCutter(TileId tile, const TileOptions& options, const geos::Context* geos, CutStats* stats)
    : to_grid_(tile, options.extent),
      tolerance_(options.scaled(options.tolerance)),
      min_size_(options.scaled(options.min_feature_size)),
      geos_(geos),
      stats_(stats),
      buffers_(std::make_unique<Buffers>()) {
    const double buffer = static_cast<double>(options.buffer);
    const double far = static_cast<double>(options.extent) + buffer;
    box_ = {-buffer, -buffer, far, far};
}

TileCutter::~TileCutter() = default;

const geos::Context& TileCutter::geos() {
    if (geos_) {
        return *geos_;
    }
    if (!own_geos_) {
        own_geos_.emplace();
    }
    return *own_geos_;
}

bool TileCutter::cut(GeometryView mercator, TileGeometry& out) {
    out.points.clear();
    out.part_ends.clear();
    if (mercator.empty()) {
        return false;
    }
    switch (mercator.type) {
        case GeometryType::point:
        case GeometryType::multi_point:
            return points(mercator, out);
        case GeometryType::line_string:
        case GeometryType::multi_line_string:
            return lines(mercator, out);
        case GeometryType::polygon:
        case GeometryType::multi_polygon:
            return polygons(mercator, out);
    }
    return false;
}

bool TileCutter::points(const GeometryView& g, TileGeometry& out) const {
    out.type = TileGeometryType::point;
    for (const Coord& c : g.coords) {
        const Coord p = to_grid_(c);
        if (contains(box_, p)) {
            out.points.push_back(snap(p));
        }
    }
    if (out.points.empty()) {
        return false;
    }
    out.part_ends.push_back(static_cast<std::uint32_t>(out.points.size()));
    return true;
}

bool TileCutter::lines(const GeometryView& g, TileGeometry& out) {
    out.type = TileGeometryType::line;
    Buffers& b = *buffers_;
    Box whole;
    auto add_piece = [&](std::span<const Coord> piece) {
        whole.extend(bounds_of(piece));
        const std::size_t start = out.points.size();
        if (append_snapped(b.simplify(piece, tolerance_), out.points) >= 2) {
            out.part_ends.push_back(static_cast<std::uint32_t>(out.points.size()));
        } else {
            out.points.resize(start);
        }
    };
    for (std::size_t i = 0; i < g.path_count(); ++i) {
        b.path.clear();
        bool inside = true;
        for (const Coord& c : g.path(i)) {
            b.path.push_back(to_grid_(c));
            inside = inside && contains(box_, b.path.back());
        }
        if (inside) {
            add_piece(b.path);
            continue;
        }
        clip_path(b.path, box_, b.clipped, b.piece_ends);
        std::uint32_t begin = 0;
        for (std::uint32_t end : b.piece_ends) {
            add_piece(std::span<const Coord>(b.clipped).subspan(begin, end - begin));
            begin = end;
        }
    }
    return !out.part_ends.empty() && !smaller_than(whole, min_size_);
}

bool TileCutter::polygons(const GeometryView& g, TileGeometry& out) {
    out.type = TileGeometryType::polygon;
    Buffers& b = *buffers_;
    // Cheap rejections per polygon first: outside the tile, or below a pixel.
    b.parts.clear();
    bool all_inside = true;
    std::size_t first_ring = 0;
    std::size_t vertices = 0;
    for (std::uint32_t end_ring : g.polygon_ends) {
        if (end_ring <= first_ring) {
            continue;  // a polygon without rings (an empty member): nothing to draw, no ring to read
        }
        Box grid_box;
        for (const Coord& c : g.path(first_ring)) {
            grid_box.extend(to_grid_(c));
        }
        const bool outside = grid_box.max_x < box_.min_x || grid_box.min_x > box_.max_x ||
                             grid_box.max_y < box_.min_y || grid_box.min_y > box_.max_y;
        if (!outside && !smaller_than(grid_box, min_size_)) {
            b.parts.emplace_back(first_ring, end_ring);
            all_inside = all_inside && grid_box.min_x >= box_.min_x && grid_box.max_x <= box_.max_x &&
                         grid_box.min_y >= box_.min_y && grid_box.max_y <= box_.max_y;
            vertices +=
                (end_ring == 0 ? 0 : g.path_ends[end_ring - 1]) - (first_ring == 0 ? 0 : g.path_ends[first_ring - 1]);
        }
        first_ring = end_ring;
    }
    if (b.parts.empty()) {
        return false;
    }
    // Inside the box, clipping cannot make a polygon smaller, so one over the
    // limit needs no trying. One that crosses the box may be small inside it.
    if ((!all_inside || vertices <= kFastPathMaxVertices) && simple_polygons(g, out)) {
        return !out.part_ends.empty();
    }
    if (stats_) {
        ++stats_->polygons_through_geos;
    }
    return polygons_with_geos(g, all_inside, out);
}

// Simplifies and snaps each ring of the kept polygons, clipped to the box
// first when it crosses it, and proves the result valid; false when the
// proof fails (GEOS must do it). Clipping a valid polygon to a convex box
// keeps it valid as long as no ring leaves and re-enters the box through
// one side; when one does, its clipped ring runs back along that side and
// the proof fails on the overlapping edges.
//
// Not inlined: inlined into polygons(), it made GCC 12 keep the bounds
// computed there on the stack, and rejecting the tiny polygons of a
// low-zoom tile took 38 ns each instead of 23 (BM_TileGeometry_Polygons/8).
[[gnu::noinline]] bool TileCutter::simple_polygons(const GeometryView& g, TileGeometry& out) {
    Buffers& b = *buffers_;
    out.points.clear();
    out.part_ends.clear();
    b.exterior.clear();
    std::size_t vertices = 0;  // after clipping: what the proof below costs, quadratically
    for (auto [first, end] : b.parts) {
        for (std::size_t r = first; r < end; ++r) {
            b.path.clear();
            bool inside = true;
            for (const Coord& c : g.path(r)) {
                b.path.push_back(to_grid_(c));
                inside = inside && contains(box_, b.path.back());
            }
            std::span<const Coord> ring = b.path;
            if (!inside) {
                clip_ring(b.path, box_, b.clipped, b.clip_scratch);
                if (b.clipped.empty()) {
                    if (r == first) {
                        break;  // no area of the exterior in the box, so none of its holes either
                    }
                    continue;  // a hole outside the box
                }
                ring = b.clipped;
            }
            vertices += ring.size();
            if (vertices > kFastPathMaxVertices) {
                return false;
            }
            const std::size_t start = out.points.size();
            std::size_t n = append_snapped_ring(b.simplify(ring, tolerance_), out.points);
            std::int64_t area = n >= 3 ? grid_area2(tail_of(out.points, start)) : 0;
            if (area == 0 && r == first) {
                // Douglas–Peucker collapses a ring thinner than its tolerance
                // (a sliver cut off by the box, a small polygon at a low zoom)
                // where GEOS's topology-preserving simplifier keeps it; so do
                // we, unsimplified.
                out.points.resize(start);
                n = append_snapped_ring(ring, out.points);
                if (n < 3) {
                    out.points.resize(start);
                    break;  // every vertex on one or two grid points: nothing of it is left
                }
                area = grid_area2(tail_of(out.points, start));
                if (area == 0) {
                    return false;  // let GEOS decide what remains
                }
            }
            if (area == 0) {
                out.points.resize(start);
                continue;  // a hole that vanished on the grid
            }
            const bool is_exterior = r == first;
            if ((area > 0) != is_exterior) {
                std::reverse(out.points.begin() + static_cast<std::ptrdiff_t>(start), out.points.end());
            }
            out.part_ends.push_back(static_cast<std::uint32_t>(out.points.size()));
            b.exterior.push_back(is_exterior);
        }
    }
    return out.part_ends.empty() || provably_valid(out, b.exterior, b.segments);
}

bool TileCutter::polygons_with_geos(const GeometryView& g, bool all_inside, TileGeometry& out) {
    out.points.clear();
    out.part_ends.clear();
    const geos::Context& geos = this->geos();
    // Every part together as one multipolygon: snapping parts one by one
    // could make two nearby parts overlap on the grid.
    std::vector<GEOSGeometry*> kept;
    for (auto [first, end] : buffers_->parts) {
        if (auto polygon = polygon_to_geos(geos, g, first, end, to_grid_)) {
            kept.push_back(polygon.release());
        }
    }
    if (kept.empty()) {
        return false;
    }
    auto whole = geos::own(geos, GEOSGeom_createCollection_r(geos.get(), GEOS_MULTIPOLYGON, kept.data(),
                                                             static_cast<unsigned>(kept.size())));
    if (!whole) {
        return false;
    }
    auto clipped = all_inside ? std::move(whole)
                              : geos::own(geos, GEOSClipByRect_r(geos.get(), whole.get(), box_.min_x, box_.min_y,
                                                                 box_.max_x, box_.max_y));
    if (!clipped || GEOSisEmpty_r(geos.get(), clipped.get())) {
        return false;
    }
    auto simplified = geos::own(geos, GEOSTopologyPreserveSimplify_r(geos.get(), clipped.get(), tolerance_));
    const GEOSGeometry* to_snap = simplified ? simplified.get() : clipped.get();
    // Snap-rounding onto the unit grid (GEOS OverlayNG): the result is
    // valid, parts that meet on the grid are merged, rings that collapse
    // under rounding are removed.
    auto snapped = geos::own(geos, GEOSGeom_setPrecision_r(geos.get(), to_snap, 1.0, 0));
    if (!snapped) {
        return false;
    }
    append_polygons(geos, snapped.get(), out);
    return !out.part_ends.empty();
}

std::vector<Coord> simplify(const std::vector<Coord>& path, double tolerance) {
    TileCutter::Buffers buffers;
    const auto kept = buffers.simplify(path, tolerance);
    return {kept.begin(), kept.end()};
}

std::optional<TileGeometry> make_tile_geometry(GeometryView mercator, TileId tile, const TileOptions& options,
                                               const geos::Context& geos, CutStats* stats) {
    TileCutter cutter(tile, options, &geos, stats);
    TileGeometry out;
    if (!cutter.cut(mercator, out)) {
        return std::nullopt;
    }
    return out;
}

}  // namespace regiomap
