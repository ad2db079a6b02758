#pragma once

#include <string>

#include "core/tiles/tile.hpp"
#include "http/compression.hpp"

namespace regiomap::api {

// How the service describes itself; from the configuration.
struct ServiceInfo {
    std::string title = "regiomap";
    std::string description = "Regional infrastructure projects as OGC API – Features and vector tiles";
    std::string public_url;                        // empty: derived from each request's Host
    std::string fallback_host = "localhost:8080";  // for HTTP/1.0 requests without Host
};

struct TileConfig {
    TileOptions options;
    int max_zoom = 14;        // TileJSON maxzoom: clients overzoom beyond it; tiles answer up to 22
    std::string attribution;  // used when the data set has none of its own
};

// Everything the API handlers are configured with; defaults in the members.
struct ApiConfig {
    ServiceInfo service;
    TileConfig tiles;
    std::string styles_dir = "styles";                 // MapLibre styles served at /styles/{name}.json
    std::string cache_control = "public, max-age=60";  // for data responses
    unsigned cache_max_age = 60;                       // its max-age; 0: "no-cache"
    // Names this run of the process in tile URLs' `?v=` (see tile_version.hpp);
    // empty: the generation alone.
    std::string run_id;
    int gzip_level = http::kDefaultGzipLevel;  // libdeflate level, 1 (fastest) to 12 (smallest)
    // Smaller bodies are sent as they are, tiles too: gzip saves a few
    // dozen bytes on them for a fixed cost of some 20 µs each.
    std::size_t gzip_min_bytes = 256;
    bool editing = false;  // Part 4 writes are served (--tokens-file): declared in /conformance
};

}  // namespace regiomap::api
