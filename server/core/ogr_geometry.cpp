#include "core/ogr_geometry.hpp"

#include <cmath>

namespace regiomap {

namespace {

// Appends the OGR geometry's vertices to `out`; false for types we do not
// serve (geometry collections, …).
bool append_path(const OGRSimpleCurve& curve, Geometry& out, bool close_ring) {
    const int n = curve.getNumPoints();
    for (int i = 0; i < n; ++i) {
        out.coords.push_back({curve.getX(i), curve.getY(i)});
    }
    if (close_ring && n > 0 && !(out.coords[out.coords.size() - static_cast<std::size_t>(n)] == out.coords.back())) {
        out.coords.push_back(out.coords[out.coords.size() - static_cast<std::size_t>(n)]);
    }
    out.path_ends.push_back(static_cast<std::uint32_t>(out.coords.size()));
    return true;
}

void append_polygon(const OGRPolygon& polygon, Geometry& out) {
    for (const OGRLinearRing* ring : polygon) {
        append_path(*ring, out, true);
    }
    out.polygon_ends.push_back(static_cast<std::uint32_t>(out.path_ends.size()));
}

}  // namespace

bool from_ogr(const OGRGeometry& geometry, Geometry& out) {
    switch (wkbFlatten(geometry.getGeometryType())) {
        case wkbPoint: {
            const auto& point = *geometry.toPoint();
            out.type = GeometryType::point;
            out.coords.push_back({point.getX(), point.getY()});
            out.path_ends.push_back(1);
            return true;
        }
        case wkbLineString:
            out.type = GeometryType::line_string;
            return append_path(*geometry.toLineString(), out, false);
        case wkbPolygon:
            out.type = GeometryType::polygon;
            append_polygon(*geometry.toPolygon(), out);
            return true;
        case wkbMultiPoint:
            out.type = GeometryType::multi_point;
            for (const OGRPoint* point : *geometry.toMultiPoint()) {
                out.coords.push_back({point->getX(), point->getY()});
                out.path_ends.push_back(static_cast<std::uint32_t>(out.coords.size()));
            }
            return true;
        case wkbMultiLineString:
            out.type = GeometryType::multi_line_string;
            for (const OGRLineString* line : *geometry.toMultiLineString()) {
                append_path(*line, out, false);
            }
            return true;
        case wkbMultiPolygon:
            out.type = GeometryType::multi_polygon;
            for (const OGRPolygon* polygon : *geometry.toMultiPolygon()) {
                append_polygon(*polygon, out);
            }
            return true;
        default:
            return false;
    }
}

bool all_finite(const Geometry& geometry) {
    for (const Coord& c : geometry.coords) {
        if (!std::isfinite(c.x) || !std::isfinite(c.y)) {
            return false;
        }
    }
    return true;
}

}  // namespace regiomap
