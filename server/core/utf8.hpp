#pragma once

#include <string>
#include <string_view>

namespace regiomap {

// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing beyond U+10FFFF).
bool valid_utf8(std::string_view text);

// `text` with every byte that is not part of a well-formed UTF-8 sequence
// replaced by U+FFFD, so that JSON output is always valid.
std::string repair_utf8(std::string_view text);

}  // namespace regiomap
