#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace regiomap {

// Milliseconds since 1970-01-01T00:00:00Z. Dates are the instant of their
// midnight in UTC; time zones are resolved when parsing.
using TimeMs = std::int64_t;

inline constexpr TimeMs kDayMs = 86'400'000;

// A closed interval of instants; an open end is the extreme value.
struct TimeInterval {
    TimeMs begin = std::numeric_limits<TimeMs>::min();
    TimeMs end = std::numeric_limits<TimeMs>::max();

    bool contains(TimeMs t) const { return begin <= t && t <= end; }
    bool overlaps(const TimeInterval& other) const { return begin <= other.end && other.begin <= end; }
};

// One RFC 3339 value as written: a full date ("2020-06-10") stands for the
// whole day, a date-time for a single instant.
struct ParsedTime {
    TimeInterval span;
    bool is_date = false;
};

// Parses "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)".
std::optional<ParsedTime> parse_rfc3339(std::string_view text);

// Parses the OGC API `datetime` parameter: an instant, a closed interval
// "a/b", a half-open interval with ".." or an empty end, or an ISO 8601
// interval with a duration ("2020-01-01/P2D", "P1M/2020-03-01").
// Throws regiomap::Error (bad_request) naming what is wrong.
TimeInterval parse_datetime_parameter(std::string_view text);

// Days since the epoch for a calendar date, and back.
std::int32_t days_from_civil(int year, unsigned month, unsigned day);
std::string format_date(std::int32_t days_since_epoch);
std::string format_datetime(TimeMs ms);  // "2020-06-10T08:00:00Z", ".123" when needed

}  // namespace regiomap
