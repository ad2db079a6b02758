#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct libdeflate_compressor;

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

// Compresses to gzip (RFC 1952, one member) with libdeflate at one level,
// keeping its compressors for reuse: making one (a few hundred KiB) was a
// fifth of compressing a small tile. Holds as many as have been in use at
// once (one per thread that compresses). Thread-safe.
class GzipCompressor {
public:
    // Throws std::invalid_argument for a level outside 1–12.
    explicit GzipCompressor(int level = kDefaultGzipLevel);
    ~GzipCompressor();
    GzipCompressor(const GzipCompressor&) = delete;
    GzipCompressor& operator=(const GzipCompressor&) = delete;

    // Nullopt when compression fails.
    std::optional<std::string> compress(std::string_view data) const;
    int level() const { return level_; }

private:
    struct Free {
        void operator()(libdeflate_compressor* compressor) const;
    };
    using Owned = std::unique_ptr<libdeflate_compressor, Free>;

    int level_;
    mutable std::mutex mutex_;
    mutable std::vector<Owned> idle_;
};

// One body compressed with a compressor of its own (for tools and tests);
// nullopt when the level is out of range or compression fails.
std::optional<std::string> gzip_compress(std::string_view data, int level = kDefaultGzipLevel);

// The inverse (zlib's inflate: an implementation apart from the one that
// compresses, so tests check one with the other), also for clients of our
// own tiles; nullopt on data that is not gzip.
std::optional<std::string> gzip_decompress(std::string_view data);

}  // namespace regiomap::http
