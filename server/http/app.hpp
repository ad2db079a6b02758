#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "core/feature_store.hpp"
#include "core/log.hpp"
#include "http/metrics.hpp"
#include "http/ogc_handlers.hpp"
#include "http/reloader.hpp"
#include "http/request.hpp"
#include "http/static_files.hpp"
#include "http/store_holder.hpp"
#include "http/tile_handlers.hpp"

namespace regiomap::http {

struct AppConfig {
    ServiceInfo service;
    TileConfig tiles;
    std::string styles_dir = "styles";                 // MapLibre styles served at /styles/{name}.json
    std::string cache_control = "public, max-age=60";  // for data responses
    std::size_t gzip_min_bytes = 256;                  // smaller bodies are sent as they are
    // Bearer token for POST /admin/reload; empty: reloading over HTTP is off.
    std::string admin_token;
};

// What handle_request needs; owned by the process entry point.
struct AppContext {
    const AppConfig& config;
    const StoreHolder& store;
    const StaticFiles& files;
    const StaticFiles& fonts;  // glyph PBFs: {fontstack}/{range}.pbf
    TileCache& tile_cache;
    Metrics& metrics;
    Reloader* reloader;  // null when the process cannot reload (tests)
    Logger& log;
};

// Answers one request: routing, the OGC API, tiles, static files, CORS,
// ETag and 304, gzip, metrics. Never throws: every error becomes a JSON
// error response. A HEAD request is answered like GET; the transport sends
// only the headers.
Response handle_request(const AppContext& context, const Request& request);

// Strong validator of a body: a 64-bit hash of it as a quoted hex string.
std::string etag_of(std::string_view body);

// RFC 9110 If-None-Match (weak comparison): does any listed tag match?
bool if_none_match(std::string_view header, std::string_view etag);

}  // namespace regiomap::http
