#include "core/log.hpp"

#include <chrono>
#include <cstdio>

namespace regiomap {

namespace {

std::string_view level_name(LogLevel level) {
    switch (level) {
        case LogLevel::debug:
            return "debug";
        case LogLevel::info:
            return "info";
        case LogLevel::warning:
            return "warn";
        case LogLevel::error:
            return "error";
    }
    return "?";
}

// RFC 3339 UTC timestamp with milliseconds, e.g. 2020-06-10T08:00:00.123Z.
std::string utc_timestamp() {
    using namespace std::chrono;
    auto now = floor<milliseconds>(system_clock::now());
    auto day = floor<days>(now);
    year_month_day ymd{day};
    hh_mm_ss time{now - day};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02ld:%02ld:%02ld.%03ldZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<long>(time.hours().count()), static_cast<long>(time.minutes().count()),
                  static_cast<long>(time.seconds().count()), static_cast<long>(time.subseconds().count()));
    return text;
}

}  // namespace

void Logger::write(LogLevel level, std::string_view message) {
    if (level < threshold_) {
        return;
    }
    std::string stamp = utc_timestamp();
    std::lock_guard lock(mutex_);
    out_ << stamp << ' ' << level_name(level) << ' ' << message << '\n' << std::flush;
}

void Logger::write_lines(std::string_view lines) {
    std::lock_guard lock(mutex_);
    out_ << lines << std::flush;
}

}  // namespace regiomap
