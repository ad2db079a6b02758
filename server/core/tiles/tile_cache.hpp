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

// A tile as served: the MVT bytes (empty for an empty tile) and their
// strong ETag, made once; the gzip form is made once too, but only when a
// client first asks for it (compression was 29 % of making a tile).
struct CachedTile {
    std::string raw;
    std::string etag;

    // The gzip form, made by the first caller; empty if compression failed.
    template <typename Compress>
    const std::string& gzip(Compress&& compress) const {
        std::call_once(gzip_once_, [&] { gzip_ = compress(raw); });
        return gzip_;
    }

private:
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
