#pragma once

#include <ogr_geometry.h>

#include "core/geometry.hpp"

namespace regiomap {

// Appends an OGR geometry (2D, linear) to `out` in our flat layout, rings
// closed; false for types we do not serve (geometry collections, curves
// not yet linearised). Rings are kept as they are: orient them after.
bool from_ogr(const OGRGeometry& geometry, Geometry& out);

// No NaN or infinite coordinate.
bool all_finite(const Geometry& geometry);

}  // namespace regiomap
