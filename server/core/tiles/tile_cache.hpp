#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/geometry.hpp"
#include "core/tiles/tile.hpp"

namespace regiomap {

// A tile as served: the MVT bytes (empty for an empty tile); their strong
// ETag and their gzip form are made once each, when first needed (a
// collection's layer that is only ever served inside the all-collections
// tile needs neither; compression was 29 % of making a tile).
struct CachedTile {
    std::string raw;

    // The ETag, made by the first caller.
    template <typename Tag>
    const std::string& etag(Tag&& tag) const {
        std::call_once(etag_once_, [&] { etag_ = tag(raw); });
        return etag_;
    }
    // The gzip form, made by the first caller; empty if compression failed.
    template <typename Compress>
    const std::string& gzip(Compress&& compress) const {
        std::call_once(gzip_once_, [&] { gzip_ = compress(raw); });
        return gzip_;
    }

private:
    mutable std::once_flag etag_once_;
    mutable std::string etag_;
    mutable std::once_flag gzip_once_;
    mutable std::string gzip_;
};

struct TileCacheStats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t evictions = 0;
    std::uint64_t bytes = 0;
    std::uint64_t entries = 0;
    std::uint64_t invalidated = 0;  // entries dropped because the data under them changed
    std::uint64_t refused = 0;      // tiles made from data that changed meanwhile, not kept (or kept stale)
    std::uint64_t deferred = 0;     // changed tiles kept stale: made less than the refresh interval ago
    std::uint64_t stale_hits = 0;   // requests answered with a stale tile
};

// How often a tile that keeps changing is made again. Tiles made less than
// `min_interval` ago are not dropped when the data under them changes:
// they are marked stale and still served (as stale) until `min_interval`
// after they were made, then made again by one request while the others
// are still served the stale one. So a low-zoom tile over a place
// edited 100 times a second is made a few times a second, not 100 times,
// and a change is in every tile at most `min_interval` (plus the making)
// after it is published. 0: every change drops its tiles at once.
struct TileRefresh {
    std::chrono::milliseconds min_interval{0};
    std::function<std::chrono::steady_clock::time_point()> clock = [] { return std::chrono::steady_clock::now(); };
};

// A tile of the served data as get_allowing_stale() found it: `stale`
// when the data under it changed since it was made (see TileRefresh).
struct LiveTile {
    std::shared_ptr<const CachedTile> tile;
    bool stale = false;
};

// A tile of the served data: a collection's layer ("*": every collection's)
// at one tile address. Its key does not carry the data generation, so that
// a change of the data drops only the tiles it touches (invalidate()).
struct LiveTileKey {
    std::string layer;
    TileId tile;
};

// An in-memory LRU cache of tiles bounded by bytes. Concurrent requests for
// a tile that is not cached yet wait for the one request that makes it
// (single flight), so a tile is never computed twice at once. With a
// budget of 0 nothing is kept, but single flight still applies.
//
// Tiles of the served data change with it. The rule that keeps the cache
// right while requests run on older snapshots: whoever publishes data of a
// new generation first calls invalidate() (or clear()) with that
// generation and the boxes that changed, then swaps the data in. A tile
// made from an older generation whose extent meets a later invalidation is
// handed to its requester (it is right for that snapshot) but not kept
// (with a TileRefresh interval: kept as stale); single flight is per
// generation, so nobody waits for a tile of older data.
class TileCache {
public:
    // `buffer_fraction`: how far beyond its edges a tile holds features, as
    // a fraction of its width (the tiler's buffer / extent), so that a change
    // just outside a tile still drops it.
    explicit TileCache(std::size_t max_bytes, double buffer_fraction = 64.0 / 4096, TileRefresh refresh = {})
        : max_bytes_(max_bytes), buffer_fraction_(buffer_fraction), refresh_(std::move(refresh)) {}

    using Maker = std::function<std::shared_ptr<const CachedTile>()>;

    // The cached tile for `key`, or the result of `make()` (called once,
    // by one thread, for concurrent requests of the same key). If `make`
    // throws, every waiter gets the exception and nothing is cached. For
    // content no data change touches (tile archives).
    std::shared_ptr<const CachedTile> get(const std::string& key, const Maker& make);

    // The same for a tile of the served data, made from the snapshot of
    // `generation`. Never stale: a stale entry is made again.
    std::shared_ptr<const CachedTile> get(const LiveTileKey& key, std::uint64_t generation, const Maker& make);
    // The same, but a stale entry (TileRefresh) is served as it is within
    // the refresh interval: for the tiles a request sends out, not for
    // tiles made into others.
    LiveTile get_allowing_stale(const LiveTileKey& key, std::uint64_t generation, const Maker& make);

    // The data of `generation`, about to be served, differs from what came
    // before within `boxes` (CRS84; a box may be infinite) in the layers
    // named: drops their tiles (with buffer) that meet a box, at every zoom.
    void invalidate(std::uint64_t generation, const std::vector<std::string>& layers, const std::vector<Box>& boxes);
    // Drops everything (a full reload); tiles made from generations before
    // `generation` are no longer kept.
    void clear(std::uint64_t generation = 0);
    TileCacheStats stats() const;

private:
    struct InFlight {
        bool done = false;
        std::shared_ptr<const CachedTile> tile;
        std::exception_ptr error;
        std::condition_variable ready;
    };
    // Where a live tile is, for invalidate(): its layer and its CRS84 box
    // grown by the buffer.
    struct Region {
        std::string layer;
        Box box;
    };
    struct Entry {
        std::shared_ptr<const CachedTile> tile;
        std::list<std::string>::iterator position;  // in lru_
        std::size_t bytes = 0;
        std::optional<Region> region;  // none: not a tile of the served data
        std::chrono::steady_clock::time_point made_at;
        bool stale = false;     // the data under it changed since it was made
        bool remaking = false;  // stale and due, and a request is making it again
    };
    struct Invalidation {
        std::uint64_t generation = 0;
        std::vector<std::string> layers;
        std::vector<Box> boxes;
        bool meets(const Region& region) const;
    };

    LiveTile get_live(const LiveTileKey& key, std::uint64_t generation, bool allow_stale, const Maker& make);
    LiveTile get_or_make(const std::string& key, const std::string& flight_key, std::optional<Region> region,
                         std::uint64_t generation, bool allow_stale, const Maker& make);
    bool keepable_locked(const Region& region, std::uint64_t generation) const;
    bool within_refresh(std::chrono::steady_clock::time_point made_at,
                        std::chrono::steady_clock::time_point now) const {
        return now - made_at < refresh_.min_interval;
    }
    void insert_locked(const std::string& key, std::shared_ptr<const CachedTile> tile, std::optional<Region> region,
                       bool stale);
    void erase_locked(std::unordered_map<std::string, Entry>::iterator entry);

    const std::size_t max_bytes_;
    const double buffer_fraction_;
    const TileRefresh refresh_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::list<std::string> lru_;  // most recently used first
    std::unordered_map<std::string, std::shared_ptr<InFlight>> in_flight_;
    std::size_t bytes_ = 0;
    // The recent invalidations, oldest first, for tiles still being made
    // from older data. Tiles of generations below `floor_` are not kept:
    // the data was replaced whole, or the log no longer reaches back there.
    std::deque<Invalidation> log_;
    std::uint64_t floor_ = 0;
    std::atomic<std::uint64_t> hits_{0};
    std::atomic<std::uint64_t> misses_{0};
    std::atomic<std::uint64_t> evictions_{0};
    std::uint64_t invalidated_ = 0;
    std::uint64_t refused_ = 0;
    std::uint64_t deferred_ = 0;
    std::uint64_t stale_hits_ = 0;
};

}  // namespace regiomap
