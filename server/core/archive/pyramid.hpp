#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "core/tiles/tile.hpp"

namespace regiomap {

// Whether any feature's EPSG:3857 box meets a box (an index look-up, no
// cutting): false proves a tile, and every tile below it, empty.
using HasData = std::function<bool(const Box& mercator_box)>;

// The tiles of zooms min_zoom..max_zoom that meet `mercator_box` (EPSG:3857)
// and whose box grown by `buffer_fraction` of a tile (a feature just
// outside a tile still reaches into its buffer) has data, in PMTiles tile
// id order: the order a clustered archive stores them in. The pyramid is
// walked from zoom 0 down, so an empty tile's descendants are never
// visited (sparse data over a large area costs what its data covers).
std::vector<TileId> pyramid_tiles(const Box& mercator_box, int min_zoom, int max_zoom, double buffer_fraction,
                                  const HasData& has_data);

// Runs make(i) for i in [0, count) on `threads` workers and consume(i,
// result) on the calling thread strictly in the order 0, 1, 2, …, with
// fewer than 2 × `window` results made ahead of the consumer (bounded
// memory: `window` waiting in order, and as many handed over at once).
// Returns false when `stop` became true before the end. An exception from
// make or consume stops the workers and is rethrown here.
bool run_ordered(std::size_t count, unsigned threads, std::size_t window,
                 const std::function<std::string(std::size_t)>& make,
                 const std::function<void(std::size_t, std::string&)>& consume, const std::atomic<bool>& stop);

}  // namespace regiomap
