#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace regiomap {

// What an archive says about its tiles, whatever the format: the fields of
// TileJSON that PMTiles keeps in its header and metadata and MBTiles in its
// metadata table.
struct TilesetInfo {
    std::string name = "regiomap";
    std::string description;
    std::string attribution;
    std::string version = "1.0.0";
    std::string type = "overlay";  // or "baselayer"
    int min_zoom = 0;
    int max_zoom = 14;
    // CRS84 degrees.
    double min_lon = -180, min_lat = -85.0511287798066, max_lon = 180, max_lat = 85.0511287798066;
    double center_lon = 0, center_lat = 0;
    int center_zoom = 0;
    std::string vector_layers_json = "[]";  // TileJSON 3.0 vector_layers, a JSON array
};

// Compresses or decompresses a whole buffer (directories, metadata); the
// caller supplies gzip so that the core does not pick a codec of its own.
// Throws (or returns nothing useful) on failure, as the caller defines.
using ByteTransform = std::function<std::string(std::string_view)>;

}  // namespace regiomap

namespace regiomap {

// The archive's metadata as one JSON object: name, description,
// attribution, version, type, format ("pbf"), minzoom, maxzoom, bounds,
// center and vector_layers (TileJSON names).
std::string tileset_metadata_json(const TilesetInfo& info);

}  // namespace regiomap
