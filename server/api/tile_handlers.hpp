#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/routes.hpp"
#include "core/tiles/tile.hpp"

namespace regiomap::api {

inline constexpr std::string_view mvt_media_type = "application/vnd.mapbox-vector-tile";

// The collections a tile route serves: every one (`collection_id` empty)
// or the one named. Throws Error (not_found) for an unknown collection.
// Shared by the TileJSON, tile and OGC API – Tiles routes.
std::vector<const Collection*> tile_collections(const FeatureStore& store, const std::string& collection_id);

// The TileJSON 3.0 document of every collection (`collection_id` empty) or
// of one, with `tiles_url` as its tile URL template: name, attribution,
// bounds, center, zooms and vector_layers with their fields. Throws Error
// (not_found) for an unknown collection. The export writes the same into
// its archives' metadata.
nlohmann::ordered_json tilejson_document(const FeatureStore& store, const std::string& collection_id,
                                         const TileConfig& config, const std::string& tiles_url);

// /tiles.json (every collection) and /tiles/{collectionId}.json: TileJSON 3.0.
Response tilejson(const ApiContext& context, const RouteArgs& args);

// /tiles/{z}/{x}/{y}.mvt (every collection, one layer each) and
// /tiles/{collectionId}/{z}/{x}/{y}.mvt. 204 for an empty tile. Each
// collection's layer is made once and cached; the tile of every collection
// is their concatenation (MVT layers are independent messages).
Response tile(const ApiContext& context, const RouteArgs& args);

}  // namespace regiomap::api
