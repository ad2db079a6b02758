#pragma once

#include <string>
#include <string_view>

namespace regiomap::http {

// Strong validator of a body: a 64-bit hash of it as a quoted hex string.
std::string etag_of(std::string_view body);

// RFC 9110 If-None-Match (weak comparison): does any listed tag match?
bool if_none_match(std::string_view header, std::string_view etag);

}  // namespace regiomap::http
