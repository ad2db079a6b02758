#pragma once

#include <optional>

#include "core/geometry.hpp"

namespace regiomap {

// Where a map of some data should look: TileJSON's `bounds`, `center` and
// its zoom. Whatever the data holds, the view is one MapLibre and Leaflet
// accept: longitudes within ±180°, latitudes within what Web Mercator tiles
// show (±85.0511°), the centre inside the bounds.
struct MapView {
    Box bounds;
    Coord center;
    int zoom = 0;
};

// The view of data that spans `extent` and whose bulk lies in `focus` (both
// CRS84; `focus` may be empty), for tiles from zoom 0 to `max_zoom`: the
// zoom at which the focus fills about one 512-pixel view. Non-finite or
// out-of-range values are clamped, never passed on. Nullopt when `extent`
// is empty (no feature has a geometry).
std::optional<MapView> map_view(const Box& extent, const Box& focus, int max_zoom);

}  // namespace regiomap
