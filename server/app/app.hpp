#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "api/ogc_handlers.hpp"
#include "api/tile_handlers.hpp"
#include "app/metrics.hpp"
#include "app/reloader.hpp"
#include "app/store_holder.hpp"
#include "core/feature_store.hpp"
#include "core/log.hpp"
#include "http/request.hpp"
#include "http/static_files.hpp"

namespace regiomap::app {

struct AppConfig {
    api::ServiceInfo service;
    api::TileConfig tiles;
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
    const http::StaticFiles& files;
    const http::StaticFiles& fonts;  // glyph PBFs: {fontstack}/{range}.pbf
    TileCache& tile_cache;
    Metrics& metrics;
    Reloader* reloader;  // null when the process cannot reload (tests)
    Logger& log;
};

// Answers one request: routing, the OGC API, tiles, static files, CORS,
// ETag and 304, gzip, metrics. Never throws: every error becomes a JSON
// error response. A HEAD request is answered like GET; the transport sends
// only the headers.
http::Response handle_request(const AppContext& context, const http::Request& request);

}  // namespace regiomap::app
