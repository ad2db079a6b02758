#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "app/store_holder.hpp"
#include "core/loader.hpp"
#include "core/log.hpp"
#include "core/secrets.hpp"
#include "core/tiles/tile_cache.hpp"

namespace regiomap::app {

struct ReloadStatus {
    std::uint64_t succeeded = 0;  // loads that were swapped in (the first load included)
    std::uint64_t failed = 0;
    bool last_ok = true;
    std::string last_error;  // of the last failed load, while it is the latest attempt
    std::chrono::system_clock::time_point last_attempt;
    std::chrono::system_clock::time_point last_success;
    std::chrono::system_clock::time_point last_success_started;  // when the served data began to be read
};

// Loads the data source into a new store beside the one being served and
// swaps it in; the tile cache is emptied first (and no tile made from the
// old data is kept afterwards: see TileCache). If loading fails, the old store stays served and
// the error is kept for /health and /metrics. Loads are serialised.
class Reloader {
public:
    Reloader(std::string source, SourceOptions options, StoreHolder& holder, TileCache& cache, Logger& log)
        : source_(std::move(source)),
          redactor_(source_),
          options_(std::move(options)),
          holder_(holder),
          cache_(cache),
          log_(log) {}

    // True when the new data is being served.
    bool reload();
    // Runs `change` (a live update: rows read again, a store published)
    // under the lock that serialises loads. A change then never interleaves
    // with a full reload, so neither publishes over the other's newer data.
    template <typename Change>
    decltype(auto) exclusive(Change&& change) {
        std::lock_guard serial(load_mutex_);
        return change();
    }
    const std::string& source() const { return source_; }
    const SourceOptions& options() const { return options_; }
    ReloadStatus status() const;

private:
    const std::string source_;
    const SecretRedactor redactor_;  // what may be shown of an error about the source
    const SourceOptions options_;
    StoreHolder& holder_;
    TileCache& cache_;
    Logger& log_;
    std::mutex load_mutex_;  // one load at a time
    mutable std::mutex status_mutex_;
    ReloadStatus status_;
};

}  // namespace regiomap::app
