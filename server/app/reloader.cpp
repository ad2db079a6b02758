#include "app/reloader.hpp"

#include <malloc.h>

#include "core/loader.hpp"

namespace regiomap::app {

bool Reloader::reload() {
    std::lock_guard serial(load_mutex_);
    const auto attempt = std::chrono::system_clock::now();
    try {
        // No source (--data ''): a server of tile archives only, with no collections.
        auto store = source_.empty() ? std::make_shared<const FeatureStore>("", FeatureStore::Collections{})
                                     : load_store(source_, log_, options_);
        // Every tile goes, before the new data can be seen (see TileCache).
        holder_.publish(std::move(store), [this](std::uint64_t generation) { cache_.clear(generation); });
        {
            // Recorded at once: /health must not show the last failure next
            // to the new data for as long as the trim below takes.
            std::lock_guard lock(status_mutex_);
            ++status_.succeeded;
            status_.last_ok = true;
            status_.last_error.clear();
            status_.last_attempt = attempt;
            status_.last_success = std::chrono::system_clock::now();
            status_.last_success_started = attempt;
        }
        // Loading leaves GDAL's and the old store's freed memory in the
        // allocator; hand it back to the system so that resident memory is
        // what the data needs (glibc).
        malloc_trim(0);
        return true;
    } catch (const std::exception& error) {
        // The loader masks passwords already; mask again whatever else the
        // message picked up, since it goes to the log and to /health.
        const std::string message = redactor_.redact(error.what());
        log_.error(holder_.get() ? "reload failed, still serving the previous data: " + message
                                 : "loading the data failed: " + message);
        std::lock_guard lock(status_mutex_);
        ++status_.failed;
        status_.last_ok = false;
        status_.last_error = message;
        status_.last_attempt = attempt;
        return false;
    }
}

ReloadStatus Reloader::status() const {
    std::lock_guard lock(status_mutex_);
    return status_;
}

}  // namespace regiomap::app
