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

// The instants RFC 3339 can write with its four-digit year, from
// 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z. Year 0000 fits the
// syntax but is left out: many clients (Python's datetime among them)
// cannot read it.
inline constexpr TimeMs kFirstWritableMs = -62'135'596'800'000;
inline constexpr TimeMs kLastWritableMs = 253'402'300'799'999;
inline bool writable_as_rfc3339(TimeMs ms) {
    return kFirstWritableMs <= ms && ms <= kLastWritableMs;
}

// Whether year-month-day is a day of the (proleptic Gregorian) calendar:
// 2020-02-29 is, 2020-02-30 and 2019-02-29 are not.
bool is_calendar_date(int year, int month, int day);

// Days since the epoch for a calendar date, and back. The date must be a
// calendar date (an invalid one gives an unspecified day).
std::int32_t days_from_civil(int year, unsigned month, unsigned day);
std::string format_date(std::int32_t days_since_epoch);
std::string format_datetime(TimeMs ms);  // "2020-06-10T08:00:00Z", ".123" when needed

}  // namespace regiomap
