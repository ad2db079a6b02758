#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace regiomap::http {

// Whether an Accept-Encoding header value accepts gzip (q > 0), honouring
// "gzip;q=0" as a refusal and "*" as acceptance.
bool accepts_gzip(std::string_view accept_encoding);

// libdeflate's levels: 1 (fastest) to 12 (smallest). 1 is the default, as
// in nginx: on MVT tiles it needs a third of the instructions of zlib's
// level 6 (the server's compressor before libdeflate) for 3–4 % more bytes,
// and on GeoJSON 3 % more (docs/BENCHMARKS.md, "Compression").
inline constexpr int kMinGzipLevel = 1;
inline constexpr int kMaxGzipLevel = 12;
inline constexpr int kDefaultGzipLevel = 1;

// The body gzip-compressed (RFC 1952, one member) with libdeflate at
// `level`; nullopt when the level is out of range or compression fails.
std::optional<std::string> gzip_compress(std::string_view data, int level = kDefaultGzipLevel);

// The inverse (zlib's inflate: an implementation apart from the one that
// compresses, so tests check one with the other), also for clients of our
// own tiles; nullopt on data that is not gzip.
std::optional<std::string> gzip_decompress(std::string_view data);

}  // namespace regiomap::http
