#include "core/datetime.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

#include "core/error.hpp"

namespace regiomap {

namespace {

using namespace std::chrono;

// Reads exactly `width` decimal digits at `pos`.
std::optional<int> read_digits(std::string_view text, std::size_t pos, std::size_t width) {
    if (pos + width > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        char c = text[i];
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<sys_days> parse_date_part(std::string_view text) {
    if (text.size() < 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    auto y = read_digits(text, 0, 4);
    auto m = read_digits(text, 5, 2);
    auto d = read_digits(text, 8, 2);
    if (!y || !m || !d) {
        return std::nullopt;
    }
    year_month_day ymd{year{*y}, month{static_cast<unsigned>(*m)}, day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return sys_days{ymd};
}

// A duration as its calendar part (months) and its exact part (ms); months
// are applied on the calendar so that P1M from Jan 31 lands on Feb 28/29.
struct IsoDuration {
    int months = 0;
    std::int64_t ms = 0;
};

std::optional<IsoDuration> parse_duration(std::string_view text) {
    if (text.size() < 2 || text[0] != 'P') {
        return std::nullopt;
    }
    IsoDuration duration;
    bool in_time = false;
    bool any = false;
    std::size_t pos = 1;
    while (pos < text.size()) {
        if (text[pos] == 'T') {
            if (in_time) {
                return std::nullopt;
            }
            in_time = true;
            ++pos;
            continue;
        }
        std::int64_t amount = 0;
        auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), amount);
        if (ec != std::errc{} || end == text.data() + text.size() || amount < 0 || amount > 1'000'000) {
            return std::nullopt;
        }
        pos = static_cast<std::size_t>(end - text.data());
        char unit = text[pos++];
        any = true;
        if (!in_time) {
            switch (unit) {
                case 'Y':
                    duration.months += static_cast<int>(amount * 12);
                    break;
                case 'M':
                    duration.months += static_cast<int>(amount);
                    break;
                case 'W':
                    duration.ms += amount * 7 * kDayMs;
                    break;
                case 'D':
                    duration.ms += amount * kDayMs;
                    break;
                default:
                    return std::nullopt;
            }
        } else {
            switch (unit) {
                case 'H':
                    duration.ms += amount * 3'600'000;
                    break;
                case 'M':
                    duration.ms += amount * 60'000;
                    break;
                case 'S':
                    duration.ms += amount * 1'000;
                    break;
                default:
                    return std::nullopt;
            }
        }
    }
    if (!any) {
        return std::nullopt;
    }
    return duration;
}

TimeMs add_months(TimeMs t, int months) {
    sys_days day = floor<days>(sys_time<milliseconds>{milliseconds{t}});
    TimeMs time_of_day = t - duration_cast<milliseconds>(day.time_since_epoch()).count();
    year_month_day ymd{day};
    ymd += std::chrono::months{months};
    if (!ymd.ok()) {  // e.g. Jan 31 + P1M: clamp to the last day of the month
        ymd = year_month_day_last{ymd.year(), month_day_last{ymd.month()}};
    }
    return duration_cast<milliseconds>(sys_days{ymd}.time_since_epoch()).count() + time_of_day;
}

TimeMs apply(TimeMs t, const IsoDuration& d, int sign) {
    return add_months(t, sign * d.months) + sign * d.ms;
}

bool is_open_end(std::string_view part) {
    return part.empty() || part == "..";
}

}  // namespace

std::optional<ParsedTime> parse_rfc3339(std::string_view text) {
    auto date = parse_date_part(text);
    if (!date) {
        return std::nullopt;
    }
    TimeMs midnight = duration_cast<milliseconds>(date->time_since_epoch()).count();
    if (text.size() == 10) {
        return ParsedTime{{midnight, midnight + kDayMs - 1}, true};
    }
    // Time part: Thh:mm:ss[.fff...](Z|+hh:mm|-hh:mm); 't' and ' ' per RFC 3339 §5.6 note.
    if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') {
        return std::nullopt;
    }
    if (text.size() < 20 || text[13] != ':' || text[16] != ':') {
        return std::nullopt;
    }
    auto hh = read_digits(text, 11, 2);
    auto mm = read_digits(text, 14, 2);
    auto ss = read_digits(text, 17, 2);
    if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 60) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    int millis = 0;
    if (text[pos] == '.') {
        ++pos;
        std::size_t digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 3) {
                millis = millis * 10 + (text[pos] - '0');
            }
            ++digits;
            ++pos;
        }
        if (digits == 0) {
            return std::nullopt;
        }
        for (std::size_t i = digits; i < 3; ++i) {
            millis *= 10;
        }
    }
    if (pos >= text.size()) {
        return std::nullopt;  // RFC 3339 requires a zone
    }
    int offset_minutes = 0;
    if (text[pos] == 'Z' || text[pos] == 'z') {
        ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
        auto oh = read_digits(text, pos + 1, 2);
        if (!oh || pos + 3 >= text.size() || text[pos + 3] != ':') {
            return std::nullopt;
        }
        auto om = read_digits(text, pos + 4, 2);
        if (!om || *oh > 23 || *om > 59) {
            return std::nullopt;
        }
        offset_minutes = (*oh * 60 + *om) * (text[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) {
        return std::nullopt;
    }
    TimeMs t = midnight + ((*hh * 60 + *mm - offset_minutes) * 60 + *ss) * 1000LL + millis;
    return ParsedTime{{t, t}, false};
}

TimeInterval parse_datetime_parameter(std::string_view text) {
    auto fail = [&](const std::string& why) {
        // Appended piece by piece: GCC 12 at -O3 flags `"'" + std::string(…)`
        // with a false -Wrestrict.
        std::string message;
        message.append(1, '\'').append(text).append("' ").append(why);
        return Error::bad_parameter("datetime", message);
    };
    auto slash = text.find('/');
    if (slash == std::string_view::npos) {
        auto instant = parse_rfc3339(text);
        if (!instant) {
            throw fail("is not an RFC 3339 date or date-time (e.g. 2020-06-10 or 2020-06-10T08:00:00Z)");
        }
        return instant->span;
    }
    if (text.find('/', slash + 1) != std::string_view::npos) {
        throw fail("has more than one '/'");
    }
    std::string_view first = text.substr(0, slash);
    std::string_view second = text.substr(slash + 1);
    if (is_open_end(first) && is_open_end(second)) {
        throw fail("leaves both ends of the interval open");
    }
    auto start_duration = first.starts_with('P') ? parse_duration(first) : std::nullopt;
    auto end_duration = second.starts_with('P') ? parse_duration(second) : std::nullopt;
    if (first.starts_with('P') && !start_duration) {
        throw fail("has a malformed ISO 8601 duration before '/'");
    }
    if (second.starts_with('P') && !end_duration) {
        throw fail("has a malformed ISO 8601 duration after '/'");
    }
    if (start_duration && end_duration) {
        throw fail("has a duration on both sides of '/'");
    }
    auto parse_end = [&](std::string_view part, const char* which) -> ParsedTime {
        auto parsed = parse_rfc3339(part);
        if (!parsed) {
            throw fail(std::string("has a malformed ") + which +
                       " (expected an RFC 3339 date or date-time, '..' or a duration)");
        }
        return *parsed;
    };
    TimeInterval interval;
    if (start_duration) {
        if (is_open_end(second)) {
            throw fail("has a duration with an open end");
        }
        interval.end = parse_end(second, "end").span.end;
        interval.begin = apply(interval.end, *start_duration, -1);
    } else if (end_duration) {
        if (is_open_end(first)) {
            throw fail("has a duration with an open start");
        }
        interval.begin = parse_end(first, "start").span.begin;
        interval.end = apply(interval.begin, *end_duration, +1);
    } else {
        if (!is_open_end(first)) {
            interval.begin = parse_end(first, "start").span.begin;
        }
        if (!is_open_end(second)) {
            interval.end = parse_end(second, "end").span.end;
        }
    }
    if (interval.begin > interval.end) {
        throw fail("ends before it starts");
    }
    return interval;
}

bool is_calendar_date(int y, int m, int d) {
    if (y < -32767 || y > 32767 || m < 1 || m > 12 || d < 1 || d > 31) {
        return false;
    }
    return year_month_day{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}}.ok();
}

std::int32_t days_from_civil(int y, unsigned m, unsigned d) {
    sys_days day{year_month_day{year{y}, month{m}, std::chrono::day{d}}};
    return static_cast<std::int32_t>(day.time_since_epoch().count());
}

std::string format_date(std::int32_t days_since_epoch) {
    year_month_day ymd{sys_days{days{days_since_epoch}}};
    char text[48];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return text;
}

std::string format_datetime(TimeMs ms) {
    auto t = sys_time<milliseconds>{milliseconds{ms}};
    auto day = floor<days>(t);
    hh_mm_ss time{t - day};
    std::string out = format_date(static_cast<std::int32_t>(day.time_since_epoch().count()));
    char text[64];
    long millis = static_cast<long>(time.subseconds().count());
    if (millis != 0) {
        std::snprintf(text, sizeof text, "T%02ld:%02ld:%02ld.%03ldZ", static_cast<long>(time.hours().count()),
                      static_cast<long>(time.minutes().count()), static_cast<long>(time.seconds().count()), millis);
    } else {
        std::snprintf(text, sizeof text, "T%02ld:%02ld:%02ldZ", static_cast<long>(time.hours().count()),
                      static_cast<long>(time.minutes().count()), static_cast<long>(time.seconds().count()));
    }
    out.append(text);
    return out;
}

}  // namespace regiomap
