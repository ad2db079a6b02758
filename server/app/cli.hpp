#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/app.hpp"
#include "app/edit_service.hpp"
#include "core/loader.hpp"
#include "core/tiles/generalise.hpp"
#include "http/access_log.hpp"
#include "http/server.hpp"

namespace regiomap::app {

// Everything the process is started with; defaults in the members.
struct ServerConfig {
    std::string data = "geodata/beichen.gpkg";  // any GDAL/OGR vector source, e.g. "PG:dbname=gis"
    std::string address = "0.0.0.0";            // listen on all interfaces
    std::uint16_t port = 8080;                  // 0 picks a free port (printed at start)
    unsigned threads = 0;                       // I/O threads; 0 = one per core
    std::string web_root = "web";               // static files of the web map; "" = none
    std::string fonts_dir = "styles/glyphs";    // glyph PBFs served at /fonts/{fontstack}/{range}.pbf
    std::string log_level = "info";             // debug, info, warning, error
    std::size_t tile_cache_bytes = 256u << 20;  // tile cache budget (LRU); 0 turns caching off
    unsigned tile_refresh_ms = 250;             // --tile-refresh-ms: see TileRefresh (tile_cache.hpp)
    std::vector<std::string> tile_archives;     // --tiles: PMTiles/MBTiles served at /archives/{name}/…
    std::string basemap;                        // --basemap: PMTiles/MBTiles served at /basemap…; "" = none
    GeneralisationOptions generalisation;       // thinning of large collections below the maxzoom
    SourceOptions source;                       // which layers, their ids/titles/keys (generalisation copied in)
    bool wait_for_source = false;               // a source not there at start is tried again, not fatal
    bool watch = false;                         // reload a file source when it changes (inotify)
    AppConfig app;
    http::ServerLimits limits;
    bool access_log = true;                   // one line per request
    http::AccessLogTarget access_log_target;  // with the server log (stderr) unless --access-log says otherwise
    EditOptions edit;                         // editing over HTTP: on with a tokens file
    bool show_help = false;
};

// Parses command-line arguments (without the program name). Throws
// std::invalid_argument with a message naming the bad option or value.
ServerConfig parse_cli(const std::vector<std::string_view>& args);

// Reads a config file — "key = value" lines, keys named like the long
// options without "--" (port = 8080, access-log = false), '#' comments —
// into the equivalent arguments. Throws std::invalid_argument naming the
// file and line of a malformed line or an unknown key.
std::vector<std::string> config_file_arguments(std::istream& in, const std::string& file_name);

// The arguments with every "--config FILE" replaced by the file's settings,
// placed first so that command-line options override them.
std::vector<std::string> expand_config_files(const std::vector<std::string_view>& args);

std::string usage();

}  // namespace regiomap::app
