#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace regiomap::app {

// One change the database announced (scripts/load-postgis's triggers):
// NOTIFY regiomap_changes, payload
// {"v":1,"schema":…,"table":…,"op":"insert|update|delete|truncate|schema","key":…}.
struct ChangeNotice {
    enum class Op { insert, update, remove, truncate, schema };
    std::string schema;
    std::string table;
    Op op = Op::update;
    std::optional<std::int64_t> key;  // the row's key; none for truncate and schema

    // Whether the whole table must be read again (its rows or columns all changed).
    bool whole_table() const { return op == Op::truncate || op == Op::schema; }
};

// The notice in `payload`, or nullopt when it is not one of ours (not
// JSON, another version, a field missing or of the wrong type, an unknown
// op, a row change without an integer key): such payloads are counted and
// ignored, never trusted.
std::optional<ChangeNotice> parse_change_notice(std::string_view payload);

}  // namespace regiomap::app
