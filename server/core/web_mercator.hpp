#pragma once

#include <span>

#include "core/geometry.hpp"

namespace regiomap {

// Web Mercator (EPSG:3857) constants: the square world is
// [-half_world, half_world]² metres, reached at latitude ±85.0511…°.
inline constexpr double kHalfWorld = 20037508.342789244;
inline constexpr double kMaxMercatorLatitude = 85.05112877980659;

// Transforms CRS84 lon/lat to EPSG:3857 with the spherical Mercator
// formulas, the operation PROJ's database gives for the pair (the unit test
// WebMercator.SameAsTheDatabaseOperation holds the two equal). Not through
// PROJ: the formula is two lines and needs no context or proj.db per
// collection (no measurable speed-up of an export: GDAL opens proj.db
// anyway, docs/BENCHMARKS.md). Latitudes beyond
// ±85.0511° are clamped first: Web Mercator has no finite y for the poles.
class WebMercatorProjection {
public:
    // Projects the coordinates in place.
    void project(std::span<Coord> coords) const;

    // A copy of `geometry` in EPSG:3857.
    Geometry project(const Geometry& geometry) const;
};

}  // namespace regiomap
