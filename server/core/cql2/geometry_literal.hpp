#pragma once

#include <stdexcept>
#include <vector>

#include "core/geometry.hpp"

// Geometry literals of a filter (WKT in cql2-text, GeoJSON in cql2-json)
// into the store's flat Geometry. Both readers build through these, so a
// ring that is not closed is refused the same way in either encoding.
namespace regiomap::cql2::literal {

using Path = std::vector<Coord>;
using Rings = std::vector<Path>;

// Each throws std::invalid_argument saying what is wrong (a ring of three
// points, a ring that does not close, a coordinate that is not finite).
Geometry point(Coord c);
Geometry line_string(const Path& path);
Geometry polygon(const Rings& rings);
Geometry multi_point(const Path& points);
Geometry multi_line_string(const std::vector<Path>& lines);
Geometry multi_polygon(const std::vector<Rings>& polygons);

// A BBOX(west, south, east, north) as polygons: one box, or two when west
// lies east of east (the box crosses the antimeridian).
std::vector<Box> bbox_boxes(double west, double south, double east, double north);

}  // namespace regiomap::cql2::literal
