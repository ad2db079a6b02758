#include "core/geometry.hpp"

namespace regiomap {

Box Geometry::bounds() const {
    Box box;
    for (const Coord& c : coords) {
        box.extend(c);
    }
    return box;
}

Box GeometryView::bounds() const {
    Box box;
    for (const Coord& c : coords) {
        box.extend(c);
    }
    return box;
}

double signed_area2(std::span<const Coord> ring) {
    double sum = 0;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const Coord& a = ring[i];
        const Coord& b = ring[(i + 1) % n];
        sum += (a.x * b.y) - (b.x * a.y);
    }
    return sum;
}

void orient_rings_rfc7946(Geometry& geometry) {
    if (geometry.type != GeometryType::polygon && geometry.type != GeometryType::multi_polygon) {
        return;
    }
    std::uint32_t ring = 0;
    for (std::uint32_t polygon_end : geometry.polygon_ends) {
        for (std::uint32_t first = ring; ring < polygon_end; ++ring) {
            std::uint32_t begin = ring == 0 ? 0 : geometry.path_ends[ring - 1];
            std::uint32_t end = geometry.path_ends[ring];
            auto* data = geometry.coords.data();
            bool counter_clockwise = signed_area2({data + begin, end - begin}) > 0;
            bool exterior = ring == first;
            if (counter_clockwise != exterior) {
                std::reverse(data + begin, data + end);
            }
        }
    }
}

}  // namespace regiomap

namespace regiomap {

namespace {

bool inside(const Box& box, Coord c) {
    return box.min_x <= c.x && c.x <= box.max_x && box.min_y <= c.y && c.y <= box.max_y;
}

// Even–odd crossing test of one ring.
bool ring_contains(std::span<const Coord> ring, Coord p) {
    bool in = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const Coord& a = ring[i];
        const Coord& b = ring[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) {
            in = !in;
        }
    }
    return in;
}

}  // namespace

bool clip_segment(Coord& a, Coord& b, const Box& box) {
    double t0 = 0;
    double t1 = 1;
    const double dx = b.x - a.x;
    const double dy = b.y - a.y;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {a.x - box.min_x, box.max_x - a.x, a.y - box.min_y, box.max_y - a.y};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] < 0) {
                return false;  // parallel to this edge and outside it
            }
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0) {
            t0 = std::max(t0, t);
        } else {
            t1 = std::min(t1, t);
        }
        if (t0 > t1) {
            return false;
        }
    }
    const Coord start{a.x + t0 * dx, a.y + t0 * dy};
    const Coord end{a.x + t1 * dx, a.y + t1 * dy};
    a = start;
    b = end;
    return true;
}

bool intersects(const Geometry& geometry, const Box& box) {
    if (geometry.empty() || !geometry.bounds().intersects(box)) {
        return false;
    }
    for (std::size_t i = 0; i < geometry.path_count(); ++i) {
        auto path = geometry.path(i);
        if (path.size() == 1 && inside(box, path[0])) {
            return true;
        }
        for (std::size_t k = 0; k + 1 < path.size(); ++k) {
            Coord a = path[k];
            Coord b = path[k + 1];
            if (clip_segment(a, b, box)) {
                return true;
            }
        }
    }
    if (geometry.type != GeometryType::polygon && geometry.type != GeometryType::multi_polygon) {
        return false;
    }
    // No boundary meets the box: it intersects only if the box lies inside
    // a polygon, i.e. one of its corners is inside (even–odd over all rings
    // of that polygon accounts for holes).
    const Coord corner{box.min_x, box.min_y};
    std::uint32_t ring = 0;
    for (std::uint32_t polygon_end : geometry.polygon_ends) {
        bool in = false;
        for (; ring < polygon_end; ++ring) {
            if (ring_contains(geometry.path(ring), corner)) {
                in = !in;
            }
        }
        if (in) {
            return true;
        }
    }
    return false;
}

}  // namespace regiomap
