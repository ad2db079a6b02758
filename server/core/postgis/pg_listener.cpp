#include "core/postgis/pg_listener.hpp"

#include <poll.h>

#include <cerrno>

#include "core/error.hpp"

namespace regiomap::pg {

namespace {

struct NotifyFree {
    void operator()(PGnotify* notify) const { PQfreemem(notify); }
};
using NotifyPtr = std::unique_ptr<PGnotify, NotifyFree>;

// Rows of the log read at once; more wait for the next call.
constexpr int kLogBatch = 5000;

constexpr std::chrono::seconds kProbeEvery{10};

}  // namespace

ChangeFeed::ChangeFeed(const PgSource& source, const std::string& channel) : connection_(source, "regiomap changes") {
    // libpq prints messages that arrive outside a query (the server's
    // "terminating connection" at a restart) on stderr by default; the
    // loss itself is reported by wait(), through the caller's log.
    PQsetNoticeProcessor(
        connection_.get(), [](void*, const char*) {}, nullptr);
    standby_ = cell(connection_.exec("SELECT pg_is_in_recovery()").get(), 0, 0) == "t";
    has_log_ = cell(connection_.exec("SELECT to_regclass('regiomap.change_log') IS NOT NULL").get(), 0, 0) == "t";
    if (standby_) {
        // Where the log is now: what comes after is news. The caller
        // resynchronises from the data itself when it connects.
        if (has_log_) {
            last_seq_ =
                std::stoll(cell(connection_.exec("SELECT coalesce(max(seq), 0) FROM regiomap.change_log").get(), 0, 0)
                               .value_or("0"));
        }
        return;
    }
    // The channel is our constant, but quote it as an identifier anyway.
    char* escaped = PQescapeIdentifier(connection_.get(), channel.c_str(), channel.size());
    if (!escaped) {
        throw Error::data_source(connection_.description() + ": " + connection_.last_error());
    }
    const std::string statement = std::string("LISTEN ") + escaped;
    PQfreemem(escaped);
    connection_.exec(statement);
}

std::vector<ChangeMessage> ChangeFeed::wait(std::chrono::milliseconds timeout, int wake_fd, bool& gap) {
    gap = false;
    if (standby_) {
        wait_readable(timeout, wake_fd, false);
        return has_log_ ? read_log(gap) : std::vector<ChangeMessage>{};
    }
    auto pending = drain_notifications();
    if (!pending.empty()) {
        return pending;
    }
    // A connection that silently died (a network cut, no FIN) would look
    // like a quiet database forever: ask it something now and then.
    const auto now = std::chrono::steady_clock::now();
    if (now - last_contact_ > kProbeEvery) {
        connection_.exec("SELECT 1");
        last_contact_ = now;
    }
    wait_readable(timeout, wake_fd, true);
    return drain_notifications();
}

void ChangeFeed::wait_readable(std::chrono::milliseconds timeout, int wake_fd, bool watch_socket) {
    pollfd fds[2] = {{wake_fd, POLLIN, 0}, {PQsocket(connection_.get()), POLLIN, 0}};
    const nfds_t count = watch_socket ? 2 : 1;
    if (::poll(fds, count, static_cast<int>(timeout.count())) < 0 && errno != EINTR) {
        throw Error::data_source(connection_.description() + ": waiting for changes failed");
    }
}

std::vector<ChangeMessage> ChangeFeed::drain_notifications() {
    // Reads what the socket holds; fails when the server has gone (a
    // restart closes the connection, which makes the socket readable).
    if (PQconsumeInput(connection_.get()) == 0 || !connection_.ok()) {
        throw Error::data_source("lost the connection to " + connection_.description() + ": " +
                                 connection_.last_error());
    }
    std::vector<ChangeMessage> messages;
    while (NotifyPtr notify{PQnotifies(connection_.get())}) {
        messages.push_back({notify->extra ? notify->extra : ""});
    }
    if (!messages.empty()) {
        last_contact_ = std::chrono::steady_clock::now();
    }
    return messages;
}

std::vector<ChangeMessage> ChangeFeed::read_log(bool& gap) {
    // One statement: how far the log was pruned, and the rows after ours.
    // A prune past the last row we saw means rows we never read are gone.
    auto result = connection_.exec(
        "SELECT p.pruned, c.seq, c.payload FROM "
        "(SELECT coalesce(max(value), 0) AS pruned FROM regiomap.change_log_state WHERE key = 'pruned_through') p "
        "LEFT JOIN LATERAL (SELECT seq, json_build_object('v', 1, 'schema', schema_name, 'table', table_name, "
        "'op', op, 'key', key)::text AS payload FROM regiomap.change_log WHERE seq > $1 ORDER BY seq LIMIT " +
            std::to_string(kLogBatch) + ") c ON true",
        {std::to_string(last_seq_)});
    std::vector<ChangeMessage> messages;
    const int rows = PQntuples(result.get());
    if (rows > 0 && std::stoll(cell(result.get(), 0, 0).value_or("0")) > last_seq_) {
        gap = true;
        last_seq_ = std::stoll(
            cell(connection_.exec("SELECT coalesce(max(seq), 0) FROM regiomap.change_log").get(), 0, 0).value_or("0"));
        return messages;
    }
    for (int row = 0; row < rows; ++row) {
        auto seq = cell(result.get(), row, 1);
        if (!seq) {
            continue;  // the LEFT JOIN's row when nothing is new
        }
        last_seq_ = std::stoll(*seq);
        messages.push_back({cell(result.get(), row, 2).value_or("")});
    }
    return messages;
}

}  // namespace regiomap::pg
