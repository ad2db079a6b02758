#include "core/tiles/tile_cache.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/web_mercator.hpp"

namespace regiomap {

namespace {

// Bookkeeping overhead of an entry beyond its bytes: key copies, list and
// hash nodes, the CachedTile object with its ETag.
constexpr std::size_t kEntryOverhead = 192;

// How many invalidations are remembered for tiles still being made from
// older data. A request older than the oldest one remembered does not keep
// its tile (it is still served to that request): at 100 edits per second
// this reaches back tens of seconds, far beyond any tile's making.
constexpr std::size_t kLogLength = 4096;

constexpr double kInfinity = std::numeric_limits<double>::infinity();

double longitude_of(double x) {
    return x / kHalfWorld * 180.0;
}

double latitude_of(double y) {
    return std::atan(std::sinh(y / kHalfWorld * std::numbers::pi)) * 180.0 / std::numbers::pi;
}

// The CRS84 box of a tile grown by its buffer. Tiles at the edges of the
// world reach to infinity, so that data beyond ±85.05° (which the tiler
// clamps onto the edge rows) still meets them.
Box tile_region(TileId tile, double buffer_fraction) {
    const Box b = tile_bounds(tile);
    const double margin = (b.max_x - b.min_x) * buffer_fraction;
    const std::uint32_t last = (1u << tile.z) - 1;
    Box box{longitude_of(b.min_x - margin), latitude_of(b.min_y - margin), longitude_of(b.max_x + margin),
            latitude_of(b.max_y + margin)};
    if (tile.x == 0) {
        box.min_x = -kInfinity;
    }
    if (tile.x == last) {
        box.max_x = kInfinity;
    }
    if (tile.y == 0) {
        box.max_y = kInfinity;
    }
    if (tile.y == last) {
        box.min_y = -kInfinity;
    }
    return box;
}

std::string live_key(const LiveTileKey& key) {
    return key.layer + '/' + key.tile.to_string();
}

}  // namespace

bool TileCache::Invalidation::meets(const Region& region) const {
    if (std::find(layers.begin(), layers.end(), region.layer) == layers.end()) {
        return false;
    }
    return std::any_of(boxes.begin(), boxes.end(), [&](const Box& box) { return box.intersects(region.box); });
}

std::shared_ptr<const CachedTile> TileCache::get(const std::string& key, const Maker& make) {
    return get_or_make(key, key, std::nullopt, 0, false, make).tile;
}

std::shared_ptr<const CachedTile> TileCache::get(const LiveTileKey& key, std::uint64_t generation, const Maker& make) {
    return get_live(key, generation, false, make).tile;
}

LiveTile TileCache::get_allowing_stale(const LiveTileKey& key, std::uint64_t generation, const Maker& make) {
    return get_live(key, generation, true, make);
}

LiveTile TileCache::get_live(const LiveTileKey& key, std::uint64_t generation, bool allow_stale, const Maker& make) {
    std::string text = live_key(key);
    // Single flight per generation: a request on newer data never waits
    // for (and is never handed) a tile of older data.
    std::string flight = std::to_string(generation) + '@' + text;
    return get_or_make(text, flight, Region{key.layer, tile_region(key.tile, buffer_fraction_)}, generation,
                       allow_stale, make);
}

LiveTile TileCache::get_or_make(const std::string& key, const std::string& flight_key, std::optional<Region> region,
                                std::uint64_t generation, bool allow_stale, const Maker& make) {
    std::shared_ptr<InFlight> flight;
    {
        std::unique_lock lock(mutex_);
        // A cached tile that is not stale is right for the newest data, and
        // so for any snapshot a request may hold (it is never older than
        // the data).
        if (auto it = entries_.find(key); it != entries_.end()) {
            Entry& entry = it->second;
            // A stale tile is served while it is within its interval, and
            // while one request makes it again (nobody else waits for that).
            if (!entry.stale || (allow_stale && (entry.remaking || within_refresh(entry.made_at, refresh_.clock())))) {
                lru_.splice(lru_.begin(), lru_, entry.position);
                ++hits_;
                stale_hits_ += entry.stale ? 1 : 0;
                return {entry.tile, entry.stale};
            }
            if (allow_stale) {
                entry.remaking = true;  // due: this request makes it; it replaces the entry when done
            } else {
                erase_locked(it);  // not wanted stale: made again below
            }
        }
        ++misses_;
        if (auto it = in_flight_.find(flight_key); it != in_flight_.end()) {
            auto waiting = it->second;  // someone is making it: wait for them
            waiting->ready.wait(lock, [&] { return waiting->done; });
            if (waiting->error) {
                std::rethrow_exception(waiting->error);
            }
            return {waiting->tile, false};
        }
        flight = std::make_shared<InFlight>();
        in_flight_.emplace(flight_key, flight);
    }

    std::shared_ptr<const CachedTile> tile;
    std::exception_ptr error;
    try {
        tile = make();
    } catch (...) {
        error = std::current_exception();
    }

    std::lock_guard lock(mutex_);
    flight->done = true;
    flight->tile = tile;
    flight->error = error;
    in_flight_.erase(flight_key);
    flight->ready.notify_all();
    if (error) {
        if (auto it = entries_.find(key); it != entries_.end()) {
            it->second.remaking = false;  // the next request due tries again
        }
        std::rethrow_exception(error);
    }
    if (region && !keepable_locked(*region, generation)) {
        // Right for this request's snapshot, not for the newest data. With
        // a refresh interval it is kept as stale, so that a tile under a
        // stream of edits is not made again for every request.
        ++refused_;
        if (refresh_.min_interval.count() > 0) {
            insert_locked(key, tile, std::move(region), true);
        }
        return {tile, false};
    }
    insert_locked(key, tile, std::move(region), false);
    return {tile, false};
}

bool TileCache::keepable_locked(const Region& region, std::uint64_t generation) const {
    if (generation < floor_) {
        return false;
    }
    // Newest first: only invalidations after the tile's generation matter.
    for (auto it = log_.rbegin(); it != log_.rend() && it->generation > generation; ++it) {
        if (it->meets(region)) {
            return false;
        }
    }
    return true;
}

void TileCache::insert_locked(const std::string& key, std::shared_ptr<const CachedTile> tile,
                              std::optional<Region> region, bool stale) {
    // The gzip form may be added later: count it at most as large as the raw tile.
    const std::size_t bytes = 2 * tile->raw.size() + 2 * key.size() + kEntryOverhead;
    if (auto existing = entries_.find(key); existing != entries_.end()) {
        // made twice (two generations at once, or a stale one made again):
        // the later one stays, or none if it is too large to keep
        erase_locked(existing);
    }
    if (bytes > max_bytes_) {
        return;
    }
    lru_.push_front(key);
    entries_[key] = Entry{std::move(tile), lru_.begin(), bytes, std::move(region), refresh_.clock(), stale};
    bytes_ += bytes;
    while (bytes_ > max_bytes_ && !lru_.empty()) {
        erase_locked(entries_.find(lru_.back()));
        ++evictions_;
    }
}

void TileCache::erase_locked(std::unordered_map<std::string, Entry>::iterator entry) {
    bytes_ -= entry->second.bytes;
    lru_.erase(entry->second.position);
    entries_.erase(entry);
}

void TileCache::invalidate(std::uint64_t generation, const std::vector<std::string>& layers,
                           const std::vector<Box>& boxes) {
    Invalidation change{generation, layers, boxes};
    const auto now = refresh_.clock();
    std::lock_guard lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end();) {
        auto next = std::next(it);
        if (it->second.region && change.meets(*it->second.region)) {
            if (within_refresh(it->second.made_at, now)) {
                deferred_ += it->second.stale ? 0 : 1;
                it->second.stale = true;
            } else {
                erase_locked(it);
                ++invalidated_;
            }
        }
        it = next;
    }
    log_.push_back(std::move(change));
    if (log_.size() > kLogLength) {
        floor_ = std::max(floor_, log_.front().generation);
        log_.pop_front();
    }
}

void TileCache::clear(std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    entries_.clear();
    lru_.clear();
    bytes_ = 0;
    log_.clear();
    floor_ = std::max(floor_, generation);
}

TileCacheStats TileCache::stats() const {
    std::lock_guard lock(mutex_);
    return {hits_, misses_, evictions_, bytes_, entries_.size(), invalidated_, refused_, deferred_, stale_hits_};
}

}  // namespace regiomap
