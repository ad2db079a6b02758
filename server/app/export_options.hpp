#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/cli.hpp"

namespace regiomap::app {

enum class ArchiveFormat { pmtiles, mbtiles };

// `regiomap export …`: what to write. The server's own options (--data,
// --collections, --config, --tile-*, --thin-*, --threads) come along in
// `server`, so the export cuts tiles exactly as a server started with them
// would: its collections, one layer each, in the server's order.
struct ExportOptions {
    std::string output;
    ArchiveFormat format = ArchiveFormat::pmtiles;  // from the file name unless --format says
    int min_zoom = 0;
    int max_zoom = 14;
    std::optional<std::array<double, 4>> bbox;  // CRS84 minLon,minLat,maxLon,maxLat; default: the data's extent
    std::string name;                           // archive name; default "regiomap"
    std::string type = "overlay";               // or "baselayer"
    bool show_help = false;
    ServerConfig server;
};

// Parses the arguments after "export". Throws std::invalid_argument naming
// the bad option or value (zooms outside 0–22 or inverted, a malformed
// bbox, no output, an unknown format).
ExportOptions parse_export_options(const std::vector<std::string_view>& args);

std::string export_usage();

}  // namespace regiomap::app
