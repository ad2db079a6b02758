#pragma once

#include <string>
#include <vector>

#include "api/http_vocabulary.hpp"
#include "core/feature_store.hpp"
#include "core/tiles/tile.hpp"
#include "core/tiles/tile_cache.hpp"

namespace regiomap::api {

inline constexpr std::string_view mvt_media_type = "application/vnd.mapbox-vector-tile";

struct TileConfig {
    TileOptions options;
    int max_zoom = 14;        // TileJSON maxzoom: clients overzoom beyond it; tiles answer up to 22
    std::string attribution;  // used when the data set has none of its own
};

// What the tile handlers read.
struct TileContext {
    const FeatureStore& store;
    std::uint64_t generation;  // of the store: part of every cache key
    const TileConfig& config;
    TileCache& cache;
    std::string base;  // absolute URL of the service root
    const ParsedTarget& target;
    bool gzip_accepted = false;  // the client sent Accept-Encoding: gzip
};

// /tiles.json (collection_id empty: every collection) and /tiles/{id}.json.
Response tilejson(const TileContext& context, const std::string& collection_id);

// /tiles/{z}/{x}/{y}.mvt and /tiles/{id}/{z}/{x}/{y}.mvt; `y_segment` is
// the last path segment ("5.mvt"). 204 for an empty tile.
Response tile(const TileContext& context, const std::string& collection_id, const std::string& z_segment,
              const std::string& x_segment, const std::string& y_segment);

// Parses z/x/y strictly; throws Error (400 for non-numbers, 404 for a tile
// outside the pyramid) naming the valid range.
TileId parse_tile_id(const std::string& z, const std::string& x, const std::string& y);

}  // namespace regiomap::api
