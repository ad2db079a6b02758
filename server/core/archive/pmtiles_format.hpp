#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/tiles/tile.hpp"

// The PMTiles version 3 format (github.com/protomaps/PMTiles, spec/v3/spec.md):
// tile ids on Hilbert curves, the 127-byte header, and directories. Pure
// functions; the writer and the reader share them.
namespace regiomap::pmtiles {

inline constexpr std::size_t kHeaderSize = 127;
// The header and the compressed root directory must fit in the first 16 KiB.
inline constexpr std::size_t kRootBudget = 16384;

enum class Compression : std::uint8_t { unknown = 0, none = 1, gzip = 2, brotli = 3, zstd = 4 };
enum class TileType : std::uint8_t { unknown = 0, mvt = 1, png = 2, jpeg = 3, webp = 4, avif = 5 };

std::string_view compression_name(Compression compression);

// The cumulative position of a tile on the Hilbert curves of zooms 0, 1, …
std::uint64_t tile_id(TileId tile);
// The inverse; nullopt for an id beyond zoom 31.
std::optional<TileId> tile_of(std::uint64_t id);

struct Header {
    std::uint64_t root_offset = 0;
    std::uint64_t root_length = 0;
    std::uint64_t metadata_offset = 0;
    std::uint64_t metadata_length = 0;
    std::uint64_t leaves_offset = 0;
    std::uint64_t leaves_length = 0;
    std::uint64_t tile_data_offset = 0;
    std::uint64_t tile_data_length = 0;
    std::uint64_t addressed_tiles = 0;  // before run-length encoding
    std::uint64_t tile_entries = 0;     // entries with a run length > 0
    std::uint64_t tile_contents = 0;    // distinct blobs
    bool clustered = false;
    Compression internal_compression = Compression::unknown;
    Compression tile_compression = Compression::unknown;
    TileType tile_type = TileType::unknown;
    std::uint8_t min_zoom = 0;
    std::uint8_t max_zoom = 0;
    // Longitude/latitude in degrees (stored as 1e-7 degree integers).
    double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
    std::uint8_t center_zoom = 0;
    double center_lon = 0, center_lat = 0;
};

std::array<char, kHeaderSize> encode_header(const Header& header);
// Throws Error (data_source) naming what is wrong: too short, wrong magic
// number, a version other than 3.
Header decode_header(std::string_view bytes);

// One directory entry: a run of `run_length` tiles from `tile_id` on whose
// content is at `offset` (in the tile data section), or with run_length 0 a
// leaf directory at `offset` in the leaf directories section.
struct Entry {
    std::uint64_t tile_id = 0;
    std::uint64_t offset = 0;
    std::uint32_t length = 0;
    std::uint32_t run_length = 0;
    bool operator==(const Entry&) const = default;
};

// The uncompressed encoding of a directory (entries ascending by tile id).
std::string encode_directory(const std::vector<Entry>& entries);
// Throws Error (data_source) for a directory that is truncated, empty, not
// ascending, or has an entry of length 0.
std::vector<Entry> decode_directory(std::string_view bytes);

// The entry that holds `id` in a directory sorted by tile id: a tile entry
// whose run covers it, or the leaf whose range it may be in; null if none.
const Entry* find_entry(const std::vector<Entry>& entries, std::uint64_t id);

}  // namespace regiomap::pmtiles
