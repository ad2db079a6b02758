#pragma once

#include <memory>
#include <span>

#include "core/geometry.hpp"

namespace regiomap {

// Web Mercator (EPSG:3857) constants: the square world is
// [-half_world, half_world]² metres, reached at latitude ±85.0511…°.
inline constexpr double kHalfWorld = 20037508.342789244;
inline constexpr double kMaxMercatorLatitude = 85.05112877980659;

// The CRS84 → EPSG:3857 operation as a PROJ pipeline (what PROJ's database
// resolves the pair to).
inline constexpr const char* kWebMercatorPipeline =
    "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
    "+step +proj=webmerc +lat_0=0 +lon_0=0 +x_0=0 +y_0=0 +ellps=WGS84";

// Transforms CRS84 lon/lat to EPSG:3857 with PROJ. Owns its own PROJ
// context, so use one per thread. Latitudes beyond ±85.0511° are clamped
// first: Web Mercator has no finite y for the poles.
class WebMercatorProjection {
public:
    WebMercatorProjection();
    ~WebMercatorProjection();
    WebMercatorProjection(const WebMercatorProjection&) = delete;
    WebMercatorProjection& operator=(const WebMercatorProjection&) = delete;

    // Projects the coordinates in place.
    void project(std::span<Coord> coords) const;

    // A copy of `geometry` in EPSG:3857.
    Geometry project(const Geometry& geometry) const;

private:
    struct Handles;
    std::unique_ptr<Handles> handles_;
};

}  // namespace regiomap
