#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

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
};

// An in-memory LRU cache of tiles bounded by bytes. Concurrent requests for
// a tile that is not cached yet wait for the one request that makes it
// (single flight), so a tile is never computed twice at once. With a
// budget of 0 nothing is kept, but single flight still applies.
class TileCache {
public:
    explicit TileCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

    using Maker = std::function<std::shared_ptr<const CachedTile>()>;

    // The cached tile for `key`, or the result of `make()` (called once,
    // by one thread, for concurrent requests of the same key). If `make`
    // throws, every waiter gets the exception and nothing is cached.
    std::shared_ptr<const CachedTile> get(const std::string& key, const Maker& make);

    void clear();  // e.g. when the data is reloaded
    TileCacheStats stats() const;

private:
    struct InFlight {
        bool done = false;
        std::shared_ptr<const CachedTile> tile;
        std::exception_ptr error;
        std::condition_variable ready;
    };
    struct Entry {
        std::shared_ptr<const CachedTile> tile;
        std::list<std::string>::iterator position;  // in lru_
        std::size_t bytes = 0;
    };

    void insert_locked(const std::string& key, std::shared_ptr<const CachedTile> tile);

    const std::size_t max_bytes_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::list<std::string> lru_;  // most recently used first
    std::unordered_map<std::string, std::shared_ptr<InFlight>> in_flight_;
    std::size_t bytes_ = 0;
    std::atomic<std::uint64_t> hits_{0};
    std::atomic<std::uint64_t> misses_{0};
    std::atomic<std::uint64_t> evictions_{0};
};

}  // namespace regiomap
