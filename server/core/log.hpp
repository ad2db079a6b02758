#pragma once

#include <mutex>
#include <ostream>
#include <string_view>

namespace regiomap {

enum class LogLevel { debug, info, warning, error };

// A line-oriented logger shared by all threads. It is owned by the process
// entry point and passed down by reference: there is no global logger.
// Each line is written whole under a mutex so that lines from several
// threads never interleave.
class Logger {
public:
    explicit Logger(std::ostream& out, LogLevel threshold = LogLevel::info) : out_(out), threshold_(threshold) {}

    void write(LogLevel level, std::string_view message);

    void debug(std::string_view message) { write(LogLevel::debug, message); }
    void info(std::string_view message) { write(LogLevel::info, message); }
    void warning(std::string_view message) { write(LogLevel::warning, message); }
    void error(std::string_view message) { write(LogLevel::error, message); }

    // Writes lines that are already formatted (each ending in '\n'), whole,
    // under the same lock: for the access log, which shares the stream.
    void write_lines(std::string_view lines);

private:
    std::ostream& out_;
    LogLevel threshold_;
    std::mutex mutex_;
};

}  // namespace regiomap
