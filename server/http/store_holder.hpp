#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "core/feature_store.hpp"

namespace regiomap::http {

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
class StoreHolder {
public:
    std::shared_ptr<const ServedData> get() const { return served_.load(); }

    void set(std::shared_ptr<const FeatureStore> store) {
        if (!store) {
            served_.store(nullptr);
            return;
        }
        auto next = std::make_shared<ServedData>();
        next->store = std::move(store);
        next->generation = ++generations_;
        next->loaded_at = std::chrono::system_clock::now();
        served_.store(std::move(next));
    }

private:
    std::atomic<std::shared_ptr<const ServedData>> served_;
    std::atomic<std::uint64_t> generations_{0};
};

}  // namespace regiomap::http
