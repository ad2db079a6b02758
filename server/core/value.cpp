#include "core/value.hpp"

#include <charconv>
#include <cmath>

namespace regiomap {

std::string_view field_type_name(FieldType type) {
    switch (type) {
        case FieldType::string:
            return "string";
        case FieldType::integer:
            return "integer";
        case FieldType::real:
            return "number";
        case FieldType::boolean:
            return "boolean";
        case FieldType::date:
            return "date";
        case FieldType::datetime:
            return "date-time";
    }
    return "string";
}

std::optional<TimeInterval> time_span(const Value& value) {
    if (const auto* date = std::get_if<Date>(&value)) {
        TimeMs midnight = static_cast<TimeMs>(date->days) * kDayMs;
        return TimeInterval{midnight, midnight + kDayMs - 1};
    }
    if (const auto* instant = std::get_if<DateTime>(&value)) {
        return TimeInterval{instant->ms, instant->ms};
    }
    return std::nullopt;
}

std::optional<Value> parse_value(FieldType type, std::string_view text) {
    switch (type) {
        case FieldType::string:
            return Value{std::string(text)};
        case FieldType::integer: {
            std::int64_t number = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
            if (ec != std::errc{} || end != text.data() + text.size()) {
                return std::nullopt;
            }
            return Value{number};
        }
        case FieldType::real: {
            double number = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
            if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(number)) {
                return std::nullopt;
            }
            return Value{number};
        }
        case FieldType::boolean:
            if (text == "true") {
                return Value{true};
            }
            if (text == "false") {
                return Value{false};
            }
            return std::nullopt;
        case FieldType::date: {
            auto parsed = parse_rfc3339(text);
            if (!parsed || !parsed->is_date) {
                return std::nullopt;
            }
            return Value{Date{static_cast<std::int32_t>(parsed->span.begin / kDayMs)}};
        }
        case FieldType::datetime: {
            auto parsed = parse_rfc3339(text);
            if (!parsed || parsed->is_date) {
                return std::nullopt;
            }
            return Value{DateTime{parsed->span.begin}};
        }
    }
    return std::nullopt;
}

}  // namespace regiomap
