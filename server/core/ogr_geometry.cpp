#include "core/ogr_geometry.hpp"

#include <memory>

namespace regiomap {

namespace {

template <typename Curve>
std::unique_ptr<Curve> curve_of(std::span<const Coord> path) {
    auto curve = std::make_unique<Curve>();
    curve->setNumPoints(static_cast<int>(path.size()), false);
    for (std::size_t i = 0; i < path.size(); ++i) {
        curve->setPoint(static_cast<int>(i), path[i].x, path[i].y);
    }
    return curve;
}

// One polygon of a geometry: its rings are paths [first, end).
std::unique_ptr<OGRPolygon> polygon_of(const Geometry& geometry, std::size_t first, std::size_t end) {
    auto polygon = std::make_unique<OGRPolygon>();
    for (std::size_t ring = first; ring < end; ++ring) {
        polygon->addRingDirectly(curve_of<OGRLinearRing>(geometry.path(ring)).release());
    }
    return polygon;
}

}  // namespace

gdal::GeometryPtr to_ogr(const Geometry& geometry) {
    if (geometry.empty()) {
        return nullptr;
    }
    switch (geometry.type) {
        case GeometryType::point:
            return gdal::GeometryPtr{new OGRPoint(geometry.coords[0].x, geometry.coords[0].y)};
        case GeometryType::line_string:
            return gdal::GeometryPtr{curve_of<OGRLineString>(geometry.path(0)).release()};
        case GeometryType::polygon:
            return gdal::GeometryPtr{polygon_of(geometry, 0, geometry.path_count()).release()};
        case GeometryType::multi_point: {
            auto points = std::make_unique<OGRMultiPoint>();
            for (const Coord& c : geometry.coords) {
                points->addGeometryDirectly(new OGRPoint(c.x, c.y));
            }
            return gdal::GeometryPtr{points.release()};
        }
        case GeometryType::multi_line_string: {
            auto lines = std::make_unique<OGRMultiLineString>();
            for (std::size_t i = 0; i < geometry.path_count(); ++i) {
                lines->addGeometryDirectly(curve_of<OGRLineString>(geometry.path(i)).release());
            }
            return gdal::GeometryPtr{lines.release()};
        }
        case GeometryType::multi_polygon: {
            auto polygons = std::make_unique<OGRMultiPolygon>();
            std::size_t first = 0;
            for (std::uint32_t end : geometry.polygon_ends) {
                polygons->addGeometryDirectly(polygon_of(geometry, first, end).release());
                first = end;
            }
            return gdal::GeometryPtr{polygons.release()};
        }
    }
    return nullptr;
}

}  // namespace regiomap
