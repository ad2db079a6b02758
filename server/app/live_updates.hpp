#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/live_status.hpp"
#include "app/reloader.hpp"
#include "app/store_holder.hpp"
#include "core/log.hpp"
#include "core/secrets.hpp"
#include "core/tiles/tile_cache.hpp"

namespace regiomap {
class SourceReader;
namespace pg {
class ChangeFeed;
}
}  // namespace regiomap

namespace regiomap::app {

struct ChangeNotice;

// Keeps a PostGIS source's served data current: a thread with its own
// connection that LISTENs on regiomap_changes (or, on a hot standby, polls
// the replicated regiomap.change_log), batches what it hears for a few
// milliseconds, reads the changed rows again by key and publishes a new
// snapshot in which only the changed collections are new. Tiles are
// dropped only where the old or new geometries are. A lost connection is
// tried again 1 s, 2 s, … 30 s apart, then the whole source is reloaded
// (changes in between were not heard); meanwhile the last data stays
// served and the status says since when it may be stale.
class LiveUpdates {
public:
    LiveUpdates(Reloader& reloader, StoreHolder& holder, TileCache& cache, Logger& log);
    ~LiveUpdates();  // stops the thread
    LiveUpdates(const LiveUpdates&) = delete;
    LiveUpdates& operator=(const LiveUpdates&) = delete;

    void start();
    // Returns promptly: the thread's waits watch a wake-up descriptor.
    void stop();
    // Waits until the first connection attempt is over (up to `limit`), so
    // that the first load starts after LISTEN: no change falls in between.
    void wait_first_attempt(std::chrono::milliseconds limit);

    LiveStatus status() const;

private:
    struct Batch;

    void run();
    void listen(pg::ChangeFeed& feed);
    void catch_up(std::chrono::system_clock::time_point listening_since);
    void apply(const std::vector<std::string>& payloads);
    void apply_locked(Batch& batch);
    SourceReader& reader();
    bool sleep(std::chrono::milliseconds duration);  // false: stopping
    void wake();
    template <typename Update>
    void update_status(Update&& update) {
        std::lock_guard lock(status_mutex_);
        update(status_);
    }

    Reloader& reloader_;
    StoreHolder& holder_;
    TileCache& cache_;
    Logger& log_;
    const SecretRedactor redactor_;
    int wake_fd_ = -1;                      // an eventfd, written by stop()
    std::unique_ptr<SourceReader> reader_;  // the live thread's own; remade after errors
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    mutable std::mutex status_mutex_;
    LiveStatus status_;
    std::condition_variable first_attempt_done_;
    bool attempted_ = false;  // under status_mutex_
};

}  // namespace regiomap::app
