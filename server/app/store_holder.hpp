#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "core/feature_store.hpp"

namespace regiomap::app {

// The data being served, with the generation it was published as: ETags,
// /health and the tile cache's bookkeeping (a tile made from an older
// generation that a later change touched is not kept; see TileCache).
struct ServedData {
    std::shared_ptr<const FeatureStore> store;
    std::uint64_t generation = 0;
    std::chrono::system_clock::time_point loaded_at;
};

// Holds the current store. Each request takes its own snapshot, so a reload
// that swaps in a new store never changes data under a running request; the
// old store is freed when the last request holding it finishes.
//
// A mutex rather than std::atomic<std::shared_ptr>: it is held only to copy
// one pointer, and libstdc++ 12's atomic shared_ptr is a lock-bit scheme
// that ThreadSanitizer cannot follow, which would blind the TSan suite.
class StoreHolder {
public:
    std::shared_ptr<const ServedData> get() const {
        std::lock_guard lock(mutex_);
        return served_;
    }

    // Publishes `store` as the next generation and returns that generation.
    // `before_swap(generation)` runs first, while requests still see the
    // old data: the tile cache's invalidation, which must come before any
    // request can make a tile from the new data (see TileCache). Publishers
    // are serialised, so generations are swapped in in order.
    std::uint64_t publish(std::shared_ptr<const FeatureStore> store,
                          const std::function<void(std::uint64_t)>& before_swap) {
        std::lock_guard publishing(publish_mutex_);
        std::shared_ptr<const ServedData> next;
        std::uint64_t generation = 0;
        if (store) {
            auto made = std::make_shared<ServedData>();
            made->store = std::move(store);
            made->generation = generation = ++generations_;
            made->loaded_at = std::chrono::system_clock::now();
            next = std::move(made);
            if (before_swap) {
                before_swap(generation);
            }
        }
        {
            std::lock_guard lock(mutex_);
            served_.swap(next);
        }
        // `next` (the old data) is released here or by whichever request
        // holding it finishes last.
        return generation;
    }

    // Publishes without telling a tile cache (tests; servers without tiles).
    void set(std::shared_ptr<const FeatureStore> store) { publish(std::move(store), nullptr); }

private:
    std::mutex publish_mutex_;  // one publisher at a time; never held by readers
    mutable std::mutex mutex_;
    std::shared_ptr<const ServedData> served_;
    std::uint64_t generations_ = 0;  // under publish_mutex_
};

}  // namespace regiomap::app
