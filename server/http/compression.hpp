#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace regiomap::http {

// Whether an Accept-Encoding header value accepts gzip (q > 0), honouring
// "gzip;q=0" as a refusal and "*" as acceptance.
bool accepts_gzip(std::string_view accept_encoding);

// The body gzip-compressed (RFC 1952) with zlib; nullopt on a zlib error.
std::optional<std::string> gzip_compress(std::string_view data, int level = 6);

// The inverse, for tests and for clients of our own tiles.
std::optional<std::string> gzip_decompress(std::string_view data);

}  // namespace regiomap::http
