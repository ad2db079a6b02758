#include "core/web_mercator.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace regiomap {

namespace {

// WGS 84 semi-major axis: Web Mercator projects the ellipsoid's lon/lat
// onto a sphere of this radius.
constexpr double kEarthRadius = 6378137.0;
constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;

}  // namespace

void WebMercatorProjection::project(std::span<Coord> coords) const {
    for (Coord& c : coords) {
        const double lat = std::clamp(c.y, -kMaxMercatorLatitude, kMaxMercatorLatitude) * kRadiansPerDegree;
        c.x = std::clamp(kEarthRadius * c.x * kRadiansPerDegree, -kHalfWorld, kHalfWorld);
        // asinh(tan φ) = ln(tan(π/4 + φ/2)), without the cancellation near
        // the equator.
        c.y = std::clamp(kEarthRadius * std::asinh(std::tan(lat)), -kHalfWorld, kHalfWorld);
    }
}

Geometry WebMercatorProjection::project(const Geometry& geometry) const {
    Geometry projected = geometry;
    project(projected.coords);
    return projected;
}

}  // namespace regiomap
