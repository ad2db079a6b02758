#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "http/compression.hpp"

namespace regiomap::app {

// Gzip for the tiles of an export that compresses each repeated tile once.
// A large polygon makes the same tile at every position inside it (on the
// Beichen data two tiles are 2034 of 3237: the district's interior at z15
// and z16), and compressing them was as much work as cutting them.
//
// A direct-mapped table of recent tiles, keyed by the uncompressed bytes
// (compared in full, not trusted to a hash), so memory stays bounded
// (slots × largest remembered tile) however large the export. The result is
// byte-equal to compressing every tile: the compressor is deterministic.
// Safe to call from many threads (a lock per slot).
class TileGzipMemo {
public:
    // Tiles larger than `max_remembered_bytes` are compressed and not kept:
    // a repeated tile is the inside of a polygon, a few kB.
    explicit TileGzipMemo(const http::GzipCompressor& gzip, std::size_t slots = 1024,
                          std::size_t max_remembered_bytes = 16 * 1024);
    ~TileGzipMemo();
    TileGzipMemo(const TileGzipMemo&) = delete;
    TileGzipMemo& operator=(const TileGzipMemo&) = delete;

    // The gzip bytes of `raw`; throws Error (internal) when compression fails.
    std::string compress(std::string_view raw);

    // Tiles answered from the table, for the export's log and for tests.
    std::uint64_t reused() const { return reused_; }

private:
    struct Slot {
        std::mutex lock;
        std::string raw;
        std::string packed;
    };

    const http::GzipCompressor& gzip_;
    const std::size_t slot_count_;
    const std::size_t max_remembered_bytes_;
    std::unique_ptr<Slot[]> slots_;
    std::atomic<std::uint64_t> reused_{0};
};

}  // namespace regiomap::app
