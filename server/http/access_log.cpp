#include "http/access_log.hpp"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace regiomap::http {

namespace {

constexpr std::size_t kEagerFlushBytes = 64 * 1024;        // wake the writer early beyond this
constexpr std::size_t kMaxBufferBytes = 16 * 1024 * 1024;  // a stalled writer costs at most this per thread

// Quotes a request target, escaping what could break a line or a parser.
void append_quoted(std::string& out, std::string_view text) {
    out += '"';
    for (char c : text.substr(0, 512)) {
        auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20 || byte == 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", byte);
            out += hex;
        } else {
            out += c;
        }
    }
    out += '"';
}

template <typename Number>
void append_number(std::string& out, Number value) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, end);
}

}  // namespace

AccessLog::AccessLog(AccessLogTarget target, std::size_t threads, Logger& log, std::chrono::milliseconds period)
    : target_(std::move(target)), log_(log), period_(period) {
    for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i) {
        buffers_.push_back(std::make_unique<Buffer>());
    }
    if (target_.kind == AccessLogTarget::Kind::standard_output) {
        fd_ = STDOUT_FILENO;
    } else if (target_.kind == AccessLogTarget::Kind::file) {
        open_file();
        if (fd_ < 0) {
            throw std::runtime_error("access log: cannot open " + target_.path + ": " + std::strerror(errno));
        }
    }
    writer_ = std::thread([this] { run_writer(); });
}

AccessLog::~AccessLog() {
    close();
    if (target_.kind == AccessLogTarget::Kind::file && fd_ >= 0) {
        ::close(fd_);
    }
}

void AccessLog::open_file() {
    // O_APPEND: every write goes to the current end, so a copytruncate
    // leaves no hole of zeros before the next line.
    const int fd = ::open(target_.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) {
        log_.error("access log: cannot open " + target_.path + ": " + std::strerror(errno) +
                   (fd_ >= 0 ? "; still writing to the previous file" : ""));
        return;
    }
    if (fd_ >= 0) {
        ::close(fd_);
    }
    fd_ = fd;
}

void AccessLog::record(std::size_t thread, std::string_view remote, std::string_view method, std::string_view target,
                       unsigned status, std::size_t bytes, std::chrono::microseconds elapsed) {
    if (closed_.load(std::memory_order_relaxed)) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    using namespace std::chrono;
    const auto now = floor<milliseconds>(system_clock::now());
    const std::int64_t second = floor<seconds>(now).time_since_epoch().count();
    Buffer& buffer = *buffers_[thread % buffers_.size()];
    bool eager = false;
    {
        std::lock_guard lock(buffer.mutex);
        std::string& out = buffer.lines;
        if (out.size() > kMaxBufferBytes) {
            dropped_.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        if (second != buffer.stamped_second) {
            const auto day = floor<days>(now);
            const year_month_day ymd{day};
            const hh_mm_ss time{now - day};
            std::snprintf(buffer.stamp, sizeof buffer.stamp, "%04d-%02u-%02uT%02ld:%02ld:%02ld",
                          static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                          static_cast<unsigned>(ymd.day()), static_cast<long>(time.hours().count()),
                          static_cast<long>(time.minutes().count()), static_cast<long>(time.seconds().count()));
            buffer.stamped_second = second;
        }
        const auto millis = static_cast<unsigned>(now.time_since_epoch().count() % 1000);
        out += buffer.stamp;
        out += '.';
        out += static_cast<char>('0' + millis / 100);
        out += static_cast<char>('0' + millis / 10 % 10);
        out += static_cast<char>('0' + millis % 10);
        out += "Z info access remote=";
        out += remote;
        out += " method=";
        out += method;
        out += " target=";
        append_quoted(out, target);
        out += " status=";
        append_number(out, status);
        out += " bytes=";
        append_number(out, bytes);
        const auto micros = elapsed.count();
        out += " ms=";
        append_number(out, micros / 1000);
        out += '.';
        out += static_cast<char>('0' + (micros % 1000) / 100);
        out += '\n';
        eager = out.size() > kEagerFlushBytes;
    }
    if (eager && !flush_wanted_.load(std::memory_order_relaxed) &&
        !flush_wanted_.exchange(true, std::memory_order_relaxed)) {
        // Without the writer's lock: a wake-up that comes too late only
        // delays the write to the next period.
        wake_.notify_one();
    }
}

void AccessLog::reopen() {
    {
        std::lock_guard lock(writer_mutex_);
        reopen_ = true;
    }
    wake_.notify_one();
}

void AccessLog::close() {
    if (closed_.exchange(true)) {
        return;
    }
    {
        std::lock_guard lock(writer_mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    if (writer_.joinable()) {
        writer_.join();
    }
}

void AccessLog::run_writer() {
    std::string batch;
    std::string taken;
    for (bool last = false; !last;) {
        bool reopen = false;
        {
            std::unique_lock lock(writer_mutex_);
            wake_.wait_for(lock, period_,
                           [&] { return stop_ || reopen_ || flush_wanted_.load(std::memory_order_relaxed); });
            flush_wanted_.store(false, std::memory_order_relaxed);
            last = stop_;
            reopen = std::exchange(reopen_, false);
        }
        // Lines logged before a reopen belong in the file being rotated out.
        batch.clear();
        for (auto& buffer : buffers_) {
            {
                std::lock_guard lock(buffer->mutex);
                taken.swap(buffer->lines);
            }
            batch += taken;
            taken.clear();
        }
        if (!batch.empty()) {
            write_out(batch);
        }
        if (reopen && target_.kind == AccessLogTarget::Kind::file) {
            open_file();
        }
        if (const auto lost = dropped_.exchange(0, std::memory_order_relaxed); lost > 0 && !last) {
            log_.warning("access log: " + std::to_string(lost) + " lines dropped, the log could not keep up");
        }
    }
}

void AccessLog::write_out(const std::string& lines) {
    if (target_.kind == AccessLogTarget::Kind::server_log) {
        log_.write_lines(lines);
        return;
    }
    const char* data = lines.data();
    std::size_t left = lines.size();
    while (left > 0) {
        const ssize_t written = ::write(fd_, data, left);
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            log_.error(std::string("access log: write failed: ") + std::strerror(errno));
            return;
        }
        data += written;
        left -= static_cast<std::size_t>(written);
    }
}

}  // namespace regiomap::http
