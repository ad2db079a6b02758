#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include "app/unique_fd.hpp"
#include "core/log.hpp"

namespace regiomap::app {

// Calls `on_change` when a data file has changed and then stayed quiet for
// `quiet` (a copy or a GeoPackage transaction is many writes; one reload
// after the last of them, not one per write). A change that never goes
// quiet still calls it every `max_delay`.
//
// It watches the file's directory with inotify, not the file: an editor's
// or `mv`'s rename-into-place gives the name a new inode, which a watch on
// the old inode would never report. Writes to the GeoPackage's `-wal` file
// count (a committed transaction in WAL mode may not touch the main file
// at all); `-shm` does not (readers write it, the reload itself included).
// A directory as the source: any file in it counts.
//
// The callback runs on the watcher's own thread. The destructor stops that
// thread promptly (an eventfd wakes its poll) and closes both descriptors.
class FileWatcher {
public:
    struct Timing {
        std::chrono::milliseconds quiet{200};
        std::chrono::milliseconds max_delay{2000};
    };

    // Throws std::runtime_error when the path's directory cannot be watched.
    FileWatcher(const std::filesystem::path& source, Timing timing, std::function<void()> on_change, Logger& log);
    ~FileWatcher();
    FileWatcher(const FileWatcher&) = delete;
    FileWatcher& operator=(const FileWatcher&) = delete;

    // What the watched names are, for the log: "data.gpkg in /srv/maps".
    const std::string& description() const { return description_; }

private:
    void run();
    // Whether an event with this mask on this name (empty: the directory
    // itself) is a change of the data.
    bool is_change(std::string_view name, std::uint32_t mask) const;

    std::string name_;  // the file's name in the directory; empty: every file
    std::string description_;
    Timing timing_;
    std::function<void()> on_change_;
    Logger& log_;
    UniqueFd inotify_;
    UniqueFd wake_;  // eventfd written by the destructor
    std::thread thread_;
};

}  // namespace regiomap::app
