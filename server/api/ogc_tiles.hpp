#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/routes.hpp"
#include "core/feature_store.hpp"

// OGC API – Tiles 1.0 over the server's vector tiles: the WebMercatorQuad
// tile matrix set (OGC 17-083r4, the registered definition), tileset lists
// and tileset metadata for the data set and each collection, and tiles at
// …/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol} — the same cache
// entries and bytes as /tiles/{z}/{x}/{y}.mvt (row = y, column = x).
namespace regiomap::api {

namespace ogc_tiles {

inline constexpr std::string_view tms_id = "WebMercatorQuad";
inline constexpr std::string_view tms_uri = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad";
inline constexpr int tms_max_matrix = 24;  // the registered definition's last tile matrix

inline constexpr std::string_view rel_tilesets_vector = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector";
inline constexpr std::string_view rel_tiling_scheme = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme";
inline constexpr std::string_view rel_tiling_schemes = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes";

inline constexpr std::string_view conformance[] = {
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/dataset-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
};

// The rows and columns of one tile matrix that hold data.
struct TileRange {
    int matrix = 0;
    std::uint32_t min_row = 0, max_row = 0, min_col = 0, max_col = 0;
    bool contains(std::uint32_t row, std::uint32_t col) const {
        return min_row <= row && row <= max_row && min_col <= col && col <= max_col;
    }
};

// The WebMercatorQuad tile matrix set as registered (matrices 0 to 24).
nlohmann::ordered_json tile_matrix_set();

// The tiles of matrices 0..max_matrix that a box in EPSG:3857 touches;
// none when the box is empty (no geometry).
std::vector<TileRange> limits(const Box& mercator_extent, int max_matrix);

// The tileset metadata of some collections (every collection: the data
// set's tileset at `base`/tiles) as OGC 17-083r4 describes it.
nlohmann::ordered_json tileset(const std::vector<const Collection*>& collections, const std::string& tiles_url,
                               const std::string& base, const std::string& title, int max_zoom);

}  // namespace ogc_tiles

// /tileMatrixSets and /tileMatrixSets/{tileMatrixSetId}.
Response tile_matrix_sets(const ApiContext& context, const RouteArgs& args);
Response tile_matrix_set(const ApiContext& context, const RouteArgs& args);
// /tiles and /collections/{collectionId}/tiles: the list of tilesets.
Response tilesets(const ApiContext& context, const RouteArgs& args);
// …/tiles/{tileMatrixSetId}: one tileset's metadata.
Response tileset(const ApiContext& context, const RouteArgs& args);
// …/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}: 404 outside
// the tileset's limits, otherwise exactly what tile() answers.
Response ogc_tile(const ApiContext& context, const RouteArgs& args);

}  // namespace regiomap::api
