#include "core/archive/pmtiles_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/error.hpp"

namespace regiomap::pmtiles {

namespace {

constexpr std::string_view kMagic = "PMTiles";

// Rotates a quadrant of side `side` so that the curve's sub-curves join up.
void rotate(std::uint64_t side, std::uint64_t& x, std::uint64_t& y, std::uint64_t rx, std::uint64_t ry) {
    if (ry == 0) {
        if (rx == 1) {
            x = side - 1 - x;
            y = side - 1 - y;
        }
        std::swap(x, y);
    }
}

// Tiles of every zoom below `zoom`: (4^zoom - 1) / 3.
std::uint64_t first_id_of_zoom(int zoom) {
    std::uint64_t id = 0;
    for (int z = 0; z < zoom; ++z) {
        id += std::uint64_t{1} << (2 * z);
    }
    return id;
}

void put_u64(char* out, std::uint64_t value) {
    for (int i = 0; i < 8; ++i) {
        out[i] = static_cast<char>((value >> (8 * i)) & 0xff);
    }
}

std::uint64_t get_u64(const char* in) {
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) {
        value |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
    }
    return value;
}

void put_position(char* out, double degrees) {
    const auto fixed = static_cast<std::int32_t>(std::lround(degrees * 1e7));
    const auto bits = static_cast<std::uint32_t>(fixed);
    for (int i = 0; i < 4; ++i) {
        out[i] = static_cast<char>((bits >> (8 * i)) & 0xff);
    }
}

double get_position(const char* in) {
    std::uint32_t bits = 0;
    for (int i = 0; i < 4; ++i) {
        bits |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
    }
    return static_cast<std::int32_t>(bits) / 1e7;
}

void put_varint(std::string& out, std::uint64_t value) {
    while (value >= 0x80) {
        out.push_back(static_cast<char>((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<char>(value));
}

std::uint64_t get_varint(std::string_view& in) {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (in.empty()) {
            throw Error::data_source("PMTiles directory is truncated");
        }
        const auto byte = static_cast<unsigned char>(in.front());
        in.remove_prefix(1);
        value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0) {
            return value;
        }
    }
    throw Error::data_source("PMTiles directory has a malformed varint");
}

}  // namespace

std::string_view compression_name(Compression compression) {
    switch (compression) {
        case Compression::none:
            return "none";
        case Compression::gzip:
            return "gzip";
        case Compression::brotli:
            return "brotli";
        case Compression::zstd:
            return "zstd";
        default:
            return "unknown";
    }
}

std::uint64_t tile_id(TileId tile) {
    const std::uint64_t side = std::uint64_t{1} << tile.z;
    std::uint64_t x = tile.x;
    std::uint64_t y = tile.y;
    std::uint64_t d = 0;
    for (std::uint64_t s = side / 2; s > 0; s /= 2) {
        const std::uint64_t rx = (x & s) > 0 ? 1 : 0;
        const std::uint64_t ry = (y & s) > 0 ? 1 : 0;
        d += s * s * ((3 * rx) ^ ry);
        rotate(side, x, y, rx, ry);
    }
    return first_id_of_zoom(tile.z) + d;
}

std::optional<TileId> tile_of(std::uint64_t id) {
    std::uint64_t first = 0;
    for (int z = 0; z < 32; ++z) {
        const std::uint64_t count = std::uint64_t{1} << (2 * z);
        if (id < first + count) {
            std::uint64_t t = id - first;
            std::uint64_t x = 0;
            std::uint64_t y = 0;
            for (std::uint64_t s = 1; s < (std::uint64_t{1} << z); s *= 2) {
                const std::uint64_t rx = 1 & (t / 2);
                const std::uint64_t ry = 1 & (t ^ rx);
                rotate(s, x, y, rx, ry);
                x += s * rx;
                y += s * ry;
                t /= 4;
            }
            return TileId{z, static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y)};
        }
        first += count;
    }
    return std::nullopt;
}

std::array<char, kHeaderSize> encode_header(const Header& h) {
    std::array<char, kHeaderSize> out{};
    std::memcpy(out.data(), kMagic.data(), kMagic.size());
    out[7] = 3;
    put_u64(&out[8], h.root_offset);
    put_u64(&out[16], h.root_length);
    put_u64(&out[24], h.metadata_offset);
    put_u64(&out[32], h.metadata_length);
    put_u64(&out[40], h.leaves_offset);
    put_u64(&out[48], h.leaves_length);
    put_u64(&out[56], h.tile_data_offset);
    put_u64(&out[64], h.tile_data_length);
    put_u64(&out[72], h.addressed_tiles);
    put_u64(&out[80], h.tile_entries);
    put_u64(&out[88], h.tile_contents);
    out[96] = h.clustered ? 1 : 0;
    out[97] = static_cast<char>(h.internal_compression);
    out[98] = static_cast<char>(h.tile_compression);
    out[99] = static_cast<char>(h.tile_type);
    out[100] = static_cast<char>(h.min_zoom);
    out[101] = static_cast<char>(h.max_zoom);
    put_position(&out[102], h.min_lon);
    put_position(&out[106], h.min_lat);
    put_position(&out[110], h.max_lon);
    put_position(&out[114], h.max_lat);
    out[118] = static_cast<char>(h.center_zoom);
    put_position(&out[119], h.center_lon);
    put_position(&out[123], h.center_lat);
    return out;
}

Header decode_header(std::string_view bytes) {
    if (bytes.size() < kHeaderSize) {
        throw Error::data_source("not a PMTiles archive: shorter than the 127-byte header (" +
                                 std::to_string(bytes.size()) + " bytes)");
    }
    if (bytes.substr(0, kMagic.size()) != kMagic) {
        throw Error::data_source("not a PMTiles archive: the file does not start with 'PMTiles'");
    }
    if (bytes[7] != 3) {
        throw Error::data_source("PMTiles version " + std::to_string(static_cast<unsigned char>(bytes[7])) +
                                 " is not supported (only version 3)");
    }
    const char* p = bytes.data();
    Header h;
    h.root_offset = get_u64(p + 8);
    h.root_length = get_u64(p + 16);
    h.metadata_offset = get_u64(p + 24);
    h.metadata_length = get_u64(p + 32);
    h.leaves_offset = get_u64(p + 40);
    h.leaves_length = get_u64(p + 48);
    h.tile_data_offset = get_u64(p + 56);
    h.tile_data_length = get_u64(p + 64);
    h.addressed_tiles = get_u64(p + 72);
    h.tile_entries = get_u64(p + 80);
    h.tile_contents = get_u64(p + 88);
    h.clustered = p[96] == 1;
    h.internal_compression = static_cast<Compression>(p[97]);
    h.tile_compression = static_cast<Compression>(p[98]);
    h.tile_type = static_cast<TileType>(p[99]);
    h.min_zoom = static_cast<std::uint8_t>(p[100]);
    h.max_zoom = static_cast<std::uint8_t>(p[101]);
    h.min_lon = get_position(p + 102);
    h.min_lat = get_position(p + 106);
    h.max_lon = get_position(p + 110);
    h.max_lat = get_position(p + 114);
    h.center_zoom = static_cast<std::uint8_t>(p[118]);
    h.center_lon = get_position(p + 119);
    h.center_lat = get_position(p + 123);
    return h;
}

std::string encode_directory(const std::vector<Entry>& entries) {
    std::string out;
    out.reserve(entries.size() * 6 + 8);
    put_varint(out, entries.size());
    std::uint64_t last_id = 0;
    for (const Entry& entry : entries) {
        put_varint(out, entry.tile_id - last_id);
        last_id = entry.tile_id;
    }
    for (const Entry& entry : entries) {
        put_varint(out, entry.run_length);
    }
    for (const Entry& entry : entries) {
        put_varint(out, entry.length);
    }
    std::uint64_t next = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        // 0 says "right after the previous one": clustered archives are mostly zeros.
        put_varint(out, i > 0 && entries[i].offset == next ? 0 : entries[i].offset + 1);
        next = entries[i].offset + entries[i].length;
    }
    return out;
}

std::vector<Entry> decode_directory(std::string_view in) {
    const std::uint64_t count = get_varint(in);
    if (count == 0) {
        throw Error::data_source("PMTiles directory has no entries");
    }
    // Each entry takes at least four bytes: a larger count is a lie.
    if (count > in.size() / 4 + 1) {
        throw Error::data_source("PMTiles directory claims " + std::to_string(count) + " entries in " +
                                 std::to_string(in.size()) + " bytes");
    }
    std::vector<Entry> entries(count);
    std::uint64_t id = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t delta = get_varint(in);
        if (i > 0 && delta == 0) {
            throw Error::data_source("PMTiles directory is not in ascending tile id order");
        }
        id += delta;
        entries[i].tile_id = id;
    }
    for (Entry& entry : entries) {
        const std::uint64_t run = get_varint(in);
        if (run > UINT32_MAX) {
            throw Error::data_source("PMTiles directory has a run length out of range");
        }
        entry.run_length = static_cast<std::uint32_t>(run);
    }
    for (Entry& entry : entries) {
        const std::uint64_t length = get_varint(in);
        if (length == 0 || length > UINT32_MAX) {
            throw Error::data_source("PMTiles directory has an entry of length " + std::to_string(length));
        }
        entry.length = static_cast<std::uint32_t>(length);
    }
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t value = get_varint(in);
        if (value == 0) {
            if (i == 0) {
                throw Error::data_source("PMTiles directory: the first entry has no offset");
            }
            entries[i].offset = entries[i - 1].offset + entries[i - 1].length;
        } else {
            entries[i].offset = value - 1;
        }
    }
    return entries;
}

const Entry* find_entry(const std::vector<Entry>& entries, std::uint64_t id) {
    // The last entry starting at or before `id`.
    auto after = std::upper_bound(entries.begin(), entries.end(), id,
                                  [](std::uint64_t value, const Entry& entry) { return value < entry.tile_id; });
    if (after == entries.begin()) {
        return nullptr;
    }
    const Entry& entry = *(after - 1);
    if (entry.run_length == 0 || id - entry.tile_id < entry.run_length) {
        return &entry;
    }
    return nullptr;
}

}  // namespace regiomap::pmtiles
