#pragma once

#include <cstdint>
#include <string>

#include "api/config.hpp"
#include "api/http_vocabulary.hpp"
#include "core/crs.hpp"
#include "core/feature_store.hpp"
#include "core/log.hpp"
#include "core/tiles/tile_cache.hpp"
#include "http/compression.hpp"
#include "http/static_files.hpp"

namespace regiomap::api {

class RouteTable;
struct ArchiveSet;

// Everything one request's handler reads. Handlers are pure functions of
// it and of their route's typed parameters; none keeps state of its own.
struct ApiContext {
    const ApiConfig& config;
    TileCache& tile_cache;
    const http::GzipCompressor& gzip;  // at the configured level
    const http::StaticFiles& files;    // the web map
    const http::StaticFiles& fonts;    // glyph PBFs: {fontstack}/{range}.pbf
    const RouteTable& routes;          // for the OpenAPI document
    const crs::Catalog& crs;           // transformations for `crs`, `bbox-crs`, `filter-crs`
    Logger& log;
    const Request& request;
    const ParsedTarget& target;
    // The data snapshot this request reads from start to end (null while
    // the first load is running) and its generation.
    const FeatureStore* store = nullptr;
    std::uint64_t generation = 0;
    // Tile archives served as they are (--tiles, --basemap); null: none.
    const ArchiveSet* archives = nullptr;

    // The store, or Error(unavailable) while the data is still loading.
    const FeatureStore& data() const;
    // The absolute URL of the service root that links are built on (see
    // links.hpp); computed on call, so routes that build no links pay nothing.
    std::string base() const;
    const QueryParams& query() const { return target.query; }
};

}  // namespace regiomap::api
