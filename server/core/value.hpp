#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/datetime.hpp"

namespace regiomap {

// The property types a collection keeps, from OGR's field types. Lists and
// binary fields are kept as their text form (OGR's own), not dropped.
enum class FieldType { string, integer, real, boolean, date, datetime };

std::string_view field_type_name(FieldType type);  // "string", "integer", …

// A calendar date without time (days since the epoch) and an instant.
struct Date {
    std::int32_t days = 0;
    bool operator==(const Date&) const = default;
};
struct DateTime {
    TimeMs ms = 0;
    bool operator==(const DateTime&) const = default;
};

// One property value; std::monostate is JSON null (OGR null or unset).
using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string, Date, DateTime>;

// The instant a date/date-time value stands for, for `datetime` filtering.
std::optional<TimeInterval> time_span(const Value& value);

// Parses a query-string value as a value of the given field type, so that
// `?target_year=2020` compares as an integer. Nullopt when the text is not
// a value of that type.
std::optional<Value> parse_value(FieldType type, std::string_view text);

}  // namespace regiomap
