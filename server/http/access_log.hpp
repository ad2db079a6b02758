#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/log.hpp"

namespace regiomap::http {

// Where access-log lines go.
struct AccessLogTarget {
    enum class Kind { server_log, standard_output, file };
    Kind kind = Kind::server_log;  // with the server's own log lines (standard error)
    std::string path;              // for Kind::file
};

// One logfmt line per request, written off the request path: each I/O
// thread appends whole lines to a buffer of its own (one short, almost
// never contended lock), and a writer thread hands the buffers to the
// file at least once a second, sooner when one grows past 64 KiB, and on
// close(). Lines are never split or interleaved: the writer writes whole
// buffers of whole lines, through the server log's lock when it shares its
// stream. A file is opened O_APPEND, so after logrotate's copytruncate the
// next lines land at the start of the emptied file, and reopen() (SIGUSR1,
// logrotate's convention, as nginx does) switches to a new file at the same
// path after a rename. If the writer cannot keep up (a stalled disk), a
// buffer stops at 16 MiB and the lines beyond are counted, not kept.
class AccessLog {
public:
    // `period` is the longest a line waits in a buffer below 64 KiB (tests
    // lengthen it to see the early flush on its own).
    AccessLog(AccessLogTarget target, std::size_t threads, Logger& log,
              std::chrono::milliseconds period = std::chrono::seconds(1));
    ~AccessLog();  // flushes
    AccessLog(const AccessLog&) = delete;
    AccessLog& operator=(const AccessLog&) = delete;

    // Appends one request's line for I/O thread `thread` (0 … threads-1).
    void record(std::size_t thread, std::string_view remote, std::string_view method, std::string_view target,
                unsigned status, std::size_t bytes, std::chrono::microseconds elapsed);

    void reopen();  // asks the writer to reopen the file (a no-op for other targets)
    void close();   // writes what is buffered and stops the writer; later records are dropped
    std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

private:
    struct Buffer {
        std::mutex mutex;
        std::string lines;
        std::int64_t stamped_second = -1;  // the second `stamp` holds, so most lines skip formatting it
        char stamp[40] = {};
    };

    void run_writer();
    void write_out(const std::string& lines);
    void open_file();

    const AccessLogTarget target_;
    Logger& log_;
    std::vector<std::unique_ptr<Buffer>> buffers_;
    int fd_ = -1;  // the file, or standard output

    std::mutex writer_mutex_;
    std::condition_variable wake_;
    const std::chrono::milliseconds period_;
    // Set by the line that takes a buffer past 64 KiB; the writer's wait
    // checks it, so the wake-up flushes, and later lines see it set and
    // skip the notify (a futex call per line was a fifth of a request's CPU).
    std::atomic<bool> flush_wanted_{false};
    bool stop_ = false;
    bool reopen_ = false;
    std::atomic<bool> closed_{false};
    std::atomic<std::uint64_t> dropped_{0};
    std::thread writer_;
};

}  // namespace regiomap::http
