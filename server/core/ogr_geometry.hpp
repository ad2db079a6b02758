#pragma once

#include "core/gdal_handles.hpp"
#include "core/geometry.hpp"

namespace regiomap {

// A stored geometry as an OGR geometry of the same kind (2D, CRS84), for
// writing it back to a source: the inverse of clean_geometry's layout, so
// the source of record holds exactly what the store serves (empty members
// dropped, rings oriented). Null for an empty geometry.
gdal::GeometryPtr to_ogr(const Geometry& geometry);

}  // namespace regiomap
