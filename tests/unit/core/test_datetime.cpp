#include <gtest/gtest.h>

#include "core/datetime.hpp"
#include "core/error.hpp"

namespace regiomap {
namespace {

TimeMs at(const char* text) {
    return parse_rfc3339(text).value().span.begin;
}

TEST(Rfc3339, DateStandsForTheWholeDay) {
    auto parsed = parse_rfc3339("2020-06-10");
    ASSERT_TRUE(parsed);
    EXPECT_TRUE(parsed->is_date);
    EXPECT_EQ(parsed->span.begin, 1591747200000);
    EXPECT_EQ(parsed->span.end, 1591747200000 + kDayMs - 1);
}

TEST(Rfc3339, DateTimeWithZoneIsOneInstantInUtc) {
    EXPECT_EQ(at("2020-06-10T08:00:00Z"), 1591747200000 + 8 * 3600 * 1000);
    EXPECT_EQ(at("2020-06-10T16:00:00+08:00"), at("2020-06-10T08:00:00Z"));
    EXPECT_EQ(at("2020-06-10T08:00:00.250Z") - at("2020-06-10T08:00:00Z"), 250);
}

TEST(Rfc3339, RejectsMalformedValues) {
    for (const char* bad : {"", "2020", "2020-13-01", "2020-02-30", "2020-06-10T08:00:00", "2020-06-10T25:00:00Z",
                            "2020-06-10T08:00Z", "20200610", "2020-06-10T08:00:00Zjunk", "2020-06-10T08:00:00.Z"}) {
        EXPECT_FALSE(parse_rfc3339(bad)) << bad;
    }
}

TEST(DatetimeParameter, InstantAndClosedInterval) {
    auto instant = parse_datetime_parameter("2020-06-10T08:00:00Z");
    EXPECT_EQ(instant.begin, instant.end);
    auto interval = parse_datetime_parameter("2020-01-01/2020-12-31");
    EXPECT_EQ(interval.begin, at("2020-01-01T00:00:00Z"));
    EXPECT_EQ(interval.end, at("2021-01-01T00:00:00Z") - 1);
}

TEST(DatetimeParameter, OpenEnds) {
    auto from = parse_datetime_parameter("2020-01-01T00:00:00Z/..");
    EXPECT_EQ(from.begin, at("2020-01-01T00:00:00Z"));
    EXPECT_EQ(from.end, std::numeric_limits<TimeMs>::max());
    auto until = parse_datetime_parameter("../2020-01-01T00:00:00Z");
    EXPECT_EQ(until.begin, std::numeric_limits<TimeMs>::min());
    auto empty_end = parse_datetime_parameter("2020-01-01T00:00:00Z/");
    EXPECT_EQ(empty_end.end, std::numeric_limits<TimeMs>::max());
}

TEST(DatetimeParameter, Durations) {
    auto two_days = parse_datetime_parameter("2020-01-01/P2D");
    EXPECT_EQ(two_days.begin, at("2020-01-01T00:00:00Z"));
    EXPECT_EQ(two_days.end, at("2020-01-03T00:00:00Z"));
    auto month_before = parse_datetime_parameter("P1M/2020-03-31T00:00:00Z");
    EXPECT_EQ(month_before.begin, at("2020-02-29T00:00:00Z"));  // clamped to the month's last day
    auto mixed = parse_datetime_parameter("2020-01-01T00:00:00Z/P1Y2M3DT4H5M6S");
    EXPECT_EQ(mixed.end, at("2021-03-04T04:05:06Z"));
    auto weeks = parse_datetime_parameter("2020-01-01T00:00:00Z/P2W");
    EXPECT_EQ(weeks.end, at("2020-01-15T00:00:00Z"));
}

TEST(DatetimeParameter, RejectsWithAMessageThatNamesTheValue) {
    for (const char* bad : {"yesterday", "../..", "/", "2020-01-01/2019-01-01", "P2D/P3D", "2020-01-01/P",
                            "2020-01-01/PT", "2020-01-01/P2X", "a/b/c", "../P1D", "2020-01-01/2020-02-30"}) {
        try {
            parse_datetime_parameter(bad);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), ErrorKind::bad_request);
            EXPECT_NE(std::string(error.what()).find("datetime"), std::string::npos);
        }
    }
}

TEST(Format, RoundTripsDatesAndInstants) {
    EXPECT_EQ(format_date(days_from_civil(2020, 6, 10)), "2020-06-10");
    EXPECT_EQ(format_date(days_from_civil(1969, 12, 31)), "1969-12-31");
    EXPECT_EQ(format_datetime(at("2020-06-10T08:00:00Z")), "2020-06-10T08:00:00Z");
    EXPECT_EQ(format_datetime(at("2020-06-10T08:00:00.125Z")), "2020-06-10T08:00:00.125Z");
}

TEST(Calendar, KnowsWhichDaysExist) {
    EXPECT_TRUE(is_calendar_date(2020, 2, 29));
    EXPECT_FALSE(is_calendar_date(2019, 2, 29));
    EXPECT_FALSE(is_calendar_date(2020, 2, 30));
    EXPECT_FALSE(is_calendar_date(2020, 13, 1));
    EXPECT_FALSE(is_calendar_date(2020, 0, 1));
    EXPECT_FALSE(is_calendar_date(2020, 4, 31));
    EXPECT_FALSE(is_calendar_date(100000, 1, 1));
}

TEST(Calendar, WritableInstantsAreThoseOfFourDigitYears) {
    EXPECT_TRUE(writable_as_rfc3339(at("0001-01-01T00:00:00Z")));
    EXPECT_TRUE(writable_as_rfc3339(at("9999-12-31T23:59:59.999Z")));
    EXPECT_FALSE(writable_as_rfc3339(at("0001-01-01T00:00:00Z") - 1));
    EXPECT_FALSE(writable_as_rfc3339(at("9999-12-31T23:59:59.999Z") + 1));
    EXPECT_EQ(format_datetime(kFirstWritableMs), "0001-01-01T00:00:00Z");
    EXPECT_EQ(format_datetime(kLastWritableMs), "9999-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace regiomap
