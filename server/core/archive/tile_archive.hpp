#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/archive/tileset_info.hpp"
#include "core/tiles/tile.hpp"

namespace regiomap {

// One tile as an archive stores it.
struct StoredTile {
    std::string bytes;
    bool gzip = false;  // bytes are gzip-compressed MVT (else plain MVT)
};

// What an archive says about itself, read and checked once at open.
struct ArchiveDescription {
    std::string format;  // "pmtiles" or "mbtiles"
    int min_zoom = 0;
    int max_zoom = 0;
    bool has_bounds = false;
    double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
    bool has_center = false;
    double center_lon = 0, center_lat = 0;
    int center_zoom = 0;
    // The archive's JSON metadata as one object (PMTiles: its metadata
    // section; MBTiles: the metadata table, with the `json` row's keys
    // merged in): name, attribution, vector_layers, …
    std::string metadata_json = "{}";
};

// A tile archive opened as a read-only source of tiles (PMTiles or
// MBTiles). Safe to call from many threads at once.
class TileArchive {
public:
    virtual ~TileArchive() = default;
    virtual const ArchiveDescription& description() const = 0;
    // The tile, or nullopt when the archive has none there (an empty tile).
    virtual std::optional<StoredTile> tile(TileId tile) const = 0;
};

// Opens `path` by its content (PMTiles magic number, else SQLite) and checks
// it through: a truncated or corrupt archive, or one that does not hold
// vector tiles, throws Error (data_source) with the reason. `gunzip`
// decompresses PMTiles directories and metadata.
std::unique_ptr<TileArchive> open_tile_archive(const std::string& path, const ByteTransform& gunzip);

}  // namespace regiomap
