#include "core/cql2/geometry_literal.hpp"

#include <cmath>
#include <string>

namespace regiomap::cql2::literal {

namespace {

void check_finite(const Path& path) {
    for (const Coord& c : path) {
        if (!std::isfinite(c.x) || !std::isfinite(c.y)) {
            throw std::invalid_argument("a coordinate is not a finite number");
        }
    }
}

void append_path(Geometry& g, const Path& path) {
    check_finite(path);
    g.coords.insert(g.coords.end(), path.begin(), path.end());
    g.path_ends.push_back(static_cast<std::uint32_t>(g.coords.size()));
}

void append_polygon(Geometry& g, const Rings& rings) {
    if (rings.empty()) {
        throw std::invalid_argument("a polygon needs at least one ring");
    }
    for (const Path& ring : rings) {
        if (ring.size() < 4) {
            throw std::invalid_argument(
                "a polygon ring needs at least 4 positions (the first repeated at the end), not " +
                std::to_string(ring.size()));
        }
        if (!(ring.front() == ring.back())) {
            throw std::invalid_argument("a polygon ring must end where it starts");
        }
        append_path(g, ring);
    }
    g.polygon_ends.push_back(static_cast<std::uint32_t>(g.path_ends.size()));
}

}  // namespace

Geometry point(Coord c) {
    Geometry g;
    g.type = GeometryType::point;
    append_path(g, {c});
    return g;
}

Geometry line_string(const Path& path) {
    if (path.size() < 2) {
        throw std::invalid_argument("a line string needs at least 2 positions");
    }
    Geometry g;
    g.type = GeometryType::line_string;
    append_path(g, path);
    return g;
}

Geometry polygon(const Rings& rings) {
    Geometry g;
    g.type = GeometryType::polygon;
    append_polygon(g, rings);
    orient_rings_rfc7946(g);
    return g;
}

Geometry multi_point(const Path& points) {
    if (points.empty()) {
        throw std::invalid_argument("a multipoint needs at least one point");
    }
    Geometry g;
    g.type = GeometryType::multi_point;
    for (const Coord& c : points) {
        append_path(g, {c});
    }
    return g;
}

Geometry multi_line_string(const std::vector<Path>& lines) {
    if (lines.empty()) {
        throw std::invalid_argument("a multilinestring needs at least one line string");
    }
    Geometry g;
    g.type = GeometryType::multi_line_string;
    for (const Path& line : lines) {
        if (line.size() < 2) {
            throw std::invalid_argument("a line string needs at least 2 positions");
        }
        append_path(g, line);
    }
    return g;
}

Geometry multi_polygon(const std::vector<Rings>& polygons) {
    if (polygons.empty()) {
        throw std::invalid_argument("a multipolygon needs at least one polygon");
    }
    Geometry g;
    g.type = GeometryType::multi_polygon;
    for (const Rings& rings : polygons) {
        append_polygon(g, rings);
    }
    orient_rings_rfc7946(g);
    return g;
}

std::vector<Box> bbox_boxes(double west, double south, double east, double north) {
    for (double v : {west, south, east, north}) {
        if (!std::isfinite(v)) {
            throw std::invalid_argument("a BBOX value is not a finite number");
        }
    }
    if (south > north) {
        throw std::invalid_argument("the BBOX's southern edge lies north of its northern edge");
    }
    if (west <= east) {
        return {Box{west, south, east, north}};
    }
    return {Box{west, south, 180, north}, Box{-180, south, east, north}};
}

}  // namespace regiomap::cql2::literal
