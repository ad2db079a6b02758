#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace regiomap {

struct Coord {
    double x = 0;  // longitude (CRS84) or easting
    double y = 0;  // latitude (CRS84) or northing
    bool operator==(const Coord&) const = default;
};

// An axis-aligned box; a default box is empty and grows by extend().
struct Box {
    double min_x = std::numeric_limits<double>::infinity();
    double min_y = std::numeric_limits<double>::infinity();
    double max_x = -std::numeric_limits<double>::infinity();
    double max_y = -std::numeric_limits<double>::infinity();

    bool empty() const { return min_x > max_x || min_y > max_y; }
    void extend(Coord c) {
        min_x = std::min(min_x, c.x);
        min_y = std::min(min_y, c.y);
        max_x = std::max(max_x, c.x);
        max_y = std::max(max_y, c.y);
    }
    void extend(const Box& b) {
        min_x = std::min(min_x, b.min_x);
        min_y = std::min(min_y, b.min_y);
        max_x = std::max(max_x, b.max_x);
        max_y = std::max(max_y, b.max_y);
    }
    bool intersects(const Box& b) const {
        return min_x <= b.max_x && b.min_x <= max_x && min_y <= b.max_y && b.min_y <= max_y;
    }
};

enum class GeometryType : std::uint8_t {
    point,
    line_string,
    polygon,
    multi_point,
    multi_line_string,
    multi_polygon,
};

// A simple-features geometry in flat arrays, so that a million features
// cost a few allocations each rather than one per ring:
//   coords       every vertex, in order;
//   path_ends    one entry per path (a point of a multipoint, a line
//                string, or a ring): the index one past its last vertex;
//   polygon_ends one entry per polygon: one past the index of its last
//                ring in path_ends (the first ring is the exterior).
// Polygons are stored with the RFC 7946 right-hand rule: exterior rings
// counter-clockwise, holes clockwise. An empty geometry has no coords.
struct Geometry {
    GeometryType type = GeometryType::point;
    std::vector<Coord> coords;
    std::vector<std::uint32_t> path_ends;
    std::vector<std::uint32_t> polygon_ends;

    bool empty() const { return coords.empty(); }
    std::size_t path_count() const { return path_ends.size(); }
    std::span<const Coord> path(std::size_t i) const {
        std::uint32_t begin = i == 0 ? 0 : path_ends[i - 1];
        return {coords.data() + begin, path_ends[i] - begin};
    }
    Box bounds() const;
};

// A read-only view of a geometry in the same flat layout, wherever it is
// stored (a Geometry, or one slot of a GeometryArena): path_ends and
// polygon_ends count from the view's own first vertex and first path.
struct GeometryView {
    GeometryType type = GeometryType::point;
    std::span<const Coord> coords;
    std::span<const std::uint32_t> path_ends;
    std::span<const std::uint32_t> polygon_ends;

    GeometryView() = default;
    GeometryView(GeometryType t, std::span<const Coord> c, std::span<const std::uint32_t> p,
                 std::span<const std::uint32_t> r)
        : type(t), coords(c), path_ends(p), polygon_ends(r) {}
    // Implicit on purpose: a Geometry is viewed wherever a view is taken.
    GeometryView(const Geometry& g)  // NOLINT(google-explicit-constructor)
        : type(g.type), coords(g.coords), path_ends(g.path_ends), polygon_ends(g.polygon_ends) {}

    bool empty() const { return coords.empty(); }
    std::size_t path_count() const { return path_ends.size(); }
    std::span<const Coord> path(std::size_t i) const {
        std::uint32_t begin = i == 0 ? 0 : path_ends[i - 1];
        return coords.subspan(begin, path_ends[i] - begin);
    }
    Box bounds() const;
};

// Twice the signed area of a ring (positive when counter-clockwise in a
// y-up system); the ring may or may not repeat its first vertex.
double signed_area2(std::span<const Coord> ring);

// Reorients every ring of a (multi)polygon to the right-hand rule.
void orient_rings_rfc7946(Geometry& geometry);

}  // namespace regiomap

namespace regiomap {

// Whether the geometry and the box share at least one point: a vertex in
// the box, a segment crossing it, or the box inside a polygon.
bool intersects(const Geometry& geometry, const Box& box);

// Liang–Barsky: clips the segment a–b to the box in place; false when the
// segment misses the box (a and b are then unspecified).
bool clip_segment(Coord& a, Coord& b, const Box& box);

}  // namespace regiomap
