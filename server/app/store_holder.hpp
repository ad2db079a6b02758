#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

#include "core/feature_store.hpp"

namespace regiomap::app {

// The data being served, with the generation it was loaded as: tile cache
// keys carry the generation, so a tile made from the old data while a new
// store is swapped in can never be served as the new data's.
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

    void set(std::shared_ptr<const FeatureStore> store) {
        std::shared_ptr<const ServedData> next;
        if (store) {
            auto made = std::make_shared<ServedData>();
            made->store = std::move(store);
            made->generation = ++generations_;
            made->loaded_at = std::chrono::system_clock::now();
            next = std::move(made);
        }
        std::lock_guard lock(mutex_);
        served_.swap(next);
        // `next` (the old data) is released after the lock, by whichever
        // holder drops it last.
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const ServedData> served_;
    std::atomic<std::uint64_t> generations_{0};
};

}  // namespace regiomap::app
