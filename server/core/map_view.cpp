#include "core/map_view.hpp"

#include <algorithm>
#include <cmath>

#include "core/web_mercator.hpp"

namespace regiomap {

namespace {

// `value` within [low, high]; NaN (which std::clamp would pass on) becomes `fallback`.
double within(double value, double low, double high, double fallback) {
    return std::isnan(value) ? fallback : std::clamp(value, low, high);
}

// The box clamped to the world Web Mercator tiles show, or nullopt when
// nothing of it is left.
std::optional<Box> clamped(const Box& box) {
    if (!(box.min_x <= box.max_x && box.min_y <= box.max_y)) {  // empty, or NaN
        return std::nullopt;
    }
    constexpr double lat = kMaxMercatorLatitude;
    return Box{within(box.min_x, -180, 180, -180), within(box.min_y, -lat, lat, -lat),
               within(box.max_x, -180, 180, 180), within(box.max_y, -lat, lat, lat)};
}

}  // namespace

std::optional<MapView> map_view(const Box& extent, const Box& focus, int max_zoom) {
    const auto bounds = clamped(extent);
    if (!bounds) {
        return std::nullopt;
    }
    Box area = *bounds;
    if (auto inner = clamped(focus); inner && inner->intersects(*bounds)) {
        area = Box{std::max(inner->min_x, bounds->min_x), std::max(inner->min_y, bounds->min_y),
                   std::min(inner->max_x, bounds->max_x), std::min(inner->max_y, bounds->max_y)};
    }
    MapView view;
    view.bounds = *bounds;
    view.center = {(area.min_x + area.max_x) / 2, (area.min_y + area.max_y) / 2};
    const double degrees = std::max(area.max_x - area.min_x, area.max_y - area.min_y);
    const int fitting = degrees > 0 ? static_cast<int>(std::floor(std::log2(360.0 / degrees))) + 1 : max_zoom;
    view.zoom = std::clamp(fitting, 0, std::max(max_zoom, 0));
    return view;
}

}  // namespace regiomap
