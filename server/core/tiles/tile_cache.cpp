#include "core/tiles/tile_cache.hpp"

namespace regiomap {

namespace {

// Bookkeeping overhead of an entry beyond its bytes: key copies, list and
// hash nodes, the CachedTile object with its ETag.
constexpr std::size_t kEntryOverhead = 192;

}  // namespace

std::shared_ptr<const CachedTile> TileCache::get(const std::string& key, const Maker& make) {
    std::shared_ptr<InFlight> flight;
    {
        std::unique_lock lock(mutex_);
        if (auto it = entries_.find(key); it != entries_.end()) {
            lru_.splice(lru_.begin(), lru_, it->second.position);
            ++hits_;
            return it->second.tile;
        }
        ++misses_;
        if (auto it = in_flight_.find(key); it != in_flight_.end()) {
            auto waiting = it->second;  // someone is making it: wait for them
            waiting->ready.wait(lock, [&] { return waiting->done; });
            if (waiting->error) {
                std::rethrow_exception(waiting->error);
            }
            return waiting->tile;
        }
        flight = std::make_shared<InFlight>();
        in_flight_.emplace(key, flight);
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
    in_flight_.erase(key);
    flight->ready.notify_all();
    if (error) {
        std::rethrow_exception(error);
    }
    insert_locked(key, tile);
    return tile;
}

void TileCache::insert_locked(const std::string& key, std::shared_ptr<const CachedTile> tile) {
    // The gzip form may be added later: count it at most as large as the raw tile.
    const std::size_t bytes = 2 * tile->raw.size() + 2 * key.size() + kEntryOverhead;
    if (bytes > max_bytes_) {
        return;
    }
    lru_.push_front(key);
    entries_[key] = Entry{std::move(tile), lru_.begin(), bytes};
    bytes_ += bytes;
    while (bytes_ > max_bytes_ && !lru_.empty()) {
        auto victim = entries_.find(lru_.back());
        bytes_ -= victim->second.bytes;
        entries_.erase(victim);
        lru_.pop_back();
        ++evictions_;
    }
}

void TileCache::clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
    lru_.clear();
    bytes_ = 0;
}

TileCacheStats TileCache::stats() const {
    std::lock_guard lock(mutex_);
    return {hits_, misses_, evictions_, bytes_, entries_.size()};
}

}  // namespace regiomap
