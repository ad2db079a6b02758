#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "api/archive_sources.hpp"
#include "api/config.hpp"
#include "api/routes.hpp"
#include "app/metrics.hpp"
#include "app/reloader.hpp"
#include "app/store_holder.hpp"
#include "app/write_origins.hpp"
#include "core/crs.hpp"
#include "core/log.hpp"
#include "core/tiles/tile_cache.hpp"
#include "http/compression.hpp"
#include "http/request.hpp"
#include "http/static_files.hpp"

namespace regiomap::app {

class EditService;
class LiveUpdates;

struct AppConfig : api::ApiConfig {
    // Bearer token for POST /admin/reload; empty: reloading over HTTP is off.
    std::string admin_token;
    // --cors-origin: web pages of other sites that may change features (see write_origins.hpp).
    std::vector<std::string> cors_origins;
};

// What the application is made of; owned by the process entry point.
struct AppContext {
    const AppConfig& config;
    const StoreHolder& store;
    const http::StaticFiles& files;
    const http::StaticFiles& fonts;  // glyph PBFs: {fontstack}/{range}.pbf
    TileCache& tile_cache;
    Metrics& metrics;
    Reloader* reloader;  // null when the process cannot reload (tests)
    Logger& log;
    EditService* edit = nullptr;                // null: features cannot be changed over HTTP (no --tokens-file)
    const api::ArchiveSet* archives = nullptr;  // --tiles and --basemap archives; null: none
    const LiveUpdates* live = nullptr;          // a PostGIS source's live updates; null: none
};

// The whole HTTP application: one route table (the API's routes and the
// operations routes), and the steps every request takes: routing (404,
// 405 with Allow, CORS preflight), the data snapshot, the handler, errors
// as JSON, ETag/304/gzip, metrics. A HEAD request is answered like GET; the
// transport sends only the headers.
class App {
public:
    explicit App(const AppContext& context);
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    // Answers one request. Never throws: every error becomes a JSON error
    // response. Safe to call from many threads at once.
    http::Response handle(const http::Request& request) const;

    const api::RouteTable& routes() const { return routes_; }

private:
    AppContext context_;
    api::RouteTable routes_;
    http::GzipCompressor gzip_;
    crs::Catalog crs_;  // PROJ pipelines, chosen once per CRS and process
    WriteOrigins write_origins_;
};

}  // namespace regiomap::app
