#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace regiomap::app {

// What /health and /metrics say about live updates.
struct LiveStatus {
    bool connected = false;  // listening (or reading a standby's change log)
    bool standby = false;    // the database is a hot standby: its change log is polled
    // Since when changes may not have reached the served data (the
    // connection was lost, or not made yet); none while current.
    std::optional<std::chrono::system_clock::time_point> stale_since;
    std::uint64_t notices = 0;        // changes announced
    std::uint64_t ignored = 0;        // payloads not ours, or for no collection served
    std::uint64_t published = 0;      // snapshots published by live updates
    std::uint64_t features_read = 0;  // rows read again
    std::uint64_t whole_reads = 0;    // collections read whole (truncate, schema change)
    std::uint64_t reconnects = 0;     // connections made after one was lost
    std::uint64_t resyncs = 0;        // full reloads to catch up after a gap
    std::uint64_t failures = 0;       // batches that could not be applied (then resynchronised)
};

}  // namespace regiomap::app
