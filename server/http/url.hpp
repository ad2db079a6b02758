#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace regiomap::http {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// A request-target split into decoded path segments and query parameters.
struct ParsedTarget {
    std::vector<std::string> segments;  // "/collections/a%20b/items" → {"collections","a b","items"}
    QueryParams query;                  // in order, repeats kept
    std::string raw_path;               // the path as sent, still encoded
};

// Decodes %XX escapes (and '+' as space when `plus_is_space`). Nullopt for
// a malformed escape, an encoded NUL, or a result that is not valid UTF-8.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Encodes everything but RFC 3986 unreserved characters.
std::string percent_encode(std::string_view text);

// Parses an origin-form request-target ("/path?query"). Throws Error
// (bad_request) saying what is malformed. An empty segment from a trailing
// slash is dropped ("/collections/" is "/collections").
ParsedTarget parse_target(std::string_view target);

// Serialises parameters back into a query string (without '?').
std::string format_query(const QueryParams& params);

}  // namespace regiomap::http
