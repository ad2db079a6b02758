#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/postgis/pg_connection.hpp"

namespace regiomap::pg {

// One change of a row (or a table) as the database announces it: the raw
// NOTIFY payload, or a row of regiomap.change_log made into one.
struct ChangeMessage {
    std::string payload;
};

// What is told about changes, on a connection of its own: on a primary,
// LISTEN for NOTIFY on a channel (woken at once); on a hot standby, where
// NOTIFY is not delivered and LISTEN is refused, the replicated change
// log (regiomap.change_log, written by the same triggers) read for rows
// after the last one seen.
class ChangeFeed {
public:
    // Connects and starts listening (or notes where the log is). Throws
    // Error (data_source) naming the database, never its connection string.
    ChangeFeed(const PgSource& source, const std::string& channel);

    bool on_standby() const { return standby_; }
    const std::string& description() const { return connection_.description(); }

    // The changes announced since the last call: waits up to `timeout` for
    // the first (a standby polls its log once after the wait), less when
    // `wake_fd` becomes readable (shutdown). Throws Error (data_source)
    // when the connection is lost. On a standby a gap in the log (rows
    // pruned before we read them) sets `gap`: resynchronise.
    std::vector<ChangeMessage> wait(std::chrono::milliseconds timeout, int wake_fd, bool& gap);

private:
    std::vector<ChangeMessage> drain_notifications();
    std::vector<ChangeMessage> read_log(bool& gap);
    void wait_readable(std::chrono::milliseconds timeout, int wake_fd, bool watch_socket);

    Connection connection_;
    bool standby_ = false;
    bool has_log_ = false;
    std::int64_t last_seq_ = 0;
    std::chrono::steady_clock::time_point last_contact_ = std::chrono::steady_clock::now();
};

}  // namespace regiomap::pg
