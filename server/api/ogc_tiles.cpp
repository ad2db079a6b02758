#include "api/ogc_tiles.hpp"

#include <algorithm>
#include <cmath>

#include "api/links.hpp"
#include "api/ogc_handlers.hpp"
#include "api/ogc_params.hpp"
#include "api/tile_handlers.hpp"
#include "core/edit/feature_schema.hpp"
#include "core/error.hpp"
#include "core/web_mercator.hpp"

namespace regiomap::api {

namespace ogc_tiles {

namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view mercator_crs = "http://www.opengis.net/def/crs/EPSG/0/3857";
constexpr int tile_pixels = 256;
// The standardized rendering pixel size of WMTS and 17-083r4 (0.28 mm).
constexpr double rendering_pixel = 0.00028;

std::uint32_t clamp_index(double value, std::uint32_t count) {
    if (value <= 0) {
        return 0;
    }
    return std::min(count - 1, static_cast<std::uint32_t>(std::floor(value)));
}

std::optional<int> dimension_of(std::optional<GeometryType> type) {
    if (!type) {
        return std::nullopt;
    }
    switch (*type) {
        case GeometryType::point:
        case GeometryType::multi_point:
            return 0;
        case GeometryType::line_string:
        case GeometryType::multi_line_string:
            return 1;
        case GeometryType::polygon:
        case GeometryType::multi_polygon:
            return 2;
    }
    return std::nullopt;
}

json bounding_box(const Box& box) {
    return {{"lowerLeft", {box.min_x, box.min_y}}, {"upperRight", {box.max_x, box.max_y}}, {"crs", ogc::crs84}};
}

json layer(const Collection& collection, const std::string& base, int max_zoom) {
    json properties = json::object();
    for (const FieldDef& field : collection.meta().fields) {
        properties[field.name] = edit::field_type_schema(field.type);
    }
    json entry{
        {"id", collection.id()},
        {"title", collection.meta().title},
        {"dataType", "vector"},
    };
    if (auto dimension = dimension_of(collection.meta().geometry_type)) {
        entry["geometryDimension"] = *dimension;
    }
    entry["minTileMatrix"] = "0";
    entry["maxTileMatrix"] = std::to_string(max_zoom);
    if (!collection.extent().empty()) {
        entry["boundingBox"] = bounding_box(collection.extent());
    }
    entry["propertiesSchema"] = {{"type", "object"}, {"properties", std::move(properties)}};
    entry["links"] =
        json::array({link(base + "/collections/" + percent_encode(collection.id()),
                          "http://www.opengis.net/def/rel/ogc/1.0/geodata", media_type::json, "The collection")});
    return entry;
}

}  // namespace

json tile_matrix_set() {
    json matrices = json::array();
    const double cell0 = 2 * kHalfWorld / tile_pixels;
    for (int z = 0; z <= tms_max_matrix; ++z) {
        const double cell = cell0 / std::ldexp(1.0, z);
        const auto count = static_cast<std::uint64_t>(1) << z;
        matrices.push_back({{"id", std::to_string(z)},
                            {"scaleDenominator", cell / rendering_pixel},
                            {"cellSize", cell},
                            {"cornerOfOrigin", "topLeft"},
                            {"pointOfOrigin", {-kHalfWorld, kHalfWorld}},
                            {"tileWidth", tile_pixels},
                            {"tileHeight", tile_pixels},
                            {"matrixWidth", count},
                            {"matrixHeight", count}});
    }
    return {{"id", tms_id},
            {"title", "Google Maps Compatible for the World"},
            {"uri", tms_uri},
            {"crs", mercator_crs},
            {"orderedAxes", {"X", "Y"}},
            {"wellKnownScaleSet", "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible"},
            {"tileMatrices", std::move(matrices)}};
}

std::vector<TileRange> limits(const Box& extent, int max_matrix) {
    std::vector<TileRange> out;
    if (extent.empty()) {
        return out;
    }
    for (int z = 0; z <= max_matrix; ++z) {
        const std::uint32_t count = 1u << z;
        const double size = 2 * kHalfWorld / count;
        out.push_back({z, clamp_index((kHalfWorld - extent.max_y) / size, count),
                       clamp_index((kHalfWorld - extent.min_y) / size, count),
                       clamp_index((extent.min_x + kHalfWorld) / size, count),
                       clamp_index((extent.max_x + kHalfWorld) / size, count)});
    }
    return out;
}

json tileset(const std::vector<const Collection*>& collections, const std::string& tiles_url, const std::string& base,
             const std::string& title, int max_zoom) {
    Box mercator;
    Box crs84;
    json layers = json::array();
    for (const Collection* collection : collections) {
        mercator.extend(collection->tile_layer().extent());
        crs84.extend(collection->extent());
        layers.push_back(layer(*collection, base, max_zoom));
    }
    json limit_list = json::array();
    for (const TileRange& range : limits(mercator, kMaxTileZoom)) {
        limit_list.push_back({{"tileMatrix", std::to_string(range.matrix)},
                              {"minTileRow", range.min_row},
                              {"maxTileRow", range.max_row},
                              {"minTileCol", range.min_col},
                              {"maxTileCol", range.max_col}});
    }
    const std::string self = tiles_url + "/" + std::string(tms_id);
    json item = link(self + "/{tileMatrix}/{tileRow}/{tileCol}", "item", mvt_media_type, "Mapbox Vector Tiles");
    item["templated"] = true;
    json document{
        {"title", title},
        {"dataType", "vector"},
        {"crs", mercator_crs},
        {"tileMatrixSetURI", tms_uri},
    };
    if (!limit_list.empty()) {
        document["tileMatrixSetLimits"] = std::move(limit_list);
    }
    if (!crs84.empty()) {
        document["boundingBox"] = bounding_box(crs84);
    }
    document["layers"] = std::move(layers);
    document["links"] = json::array({
        link(self, "self", media_type::json, "This tileset"),
        link(base + "/tileMatrixSets/" + std::string(tms_id), rel_tiling_scheme, media_type::json,
             "The tile matrix set: WebMercatorQuad"),
        std::move(item),
        link(base + "/conformance", "http://www.opengis.net/def/rel/ogc/1.0/conformance", media_type::json,
             "Conformance classes"),
    });
    return document;
}

}  // namespace ogc_tiles

namespace {

using json = nlohmann::ordered_json;

void only_json(const ApiContext& context) {
    reject_unknown_params(context.target.query, {std::string(ogc::format)});
    parse_format(context.target.query, false);
}

void check_tile_matrix_set(const std::string& id) {
    if (id != ogc_tiles::tms_id) {
        throw Error::not_found("tile matrix set '" + id + "' is not offered; this server has WebMercatorQuad");
    }
}

std::string tiles_url(const std::string& base, const std::string& collection_id) {
    return collection_id.empty() ? base + "/tiles" : base + "/collections/" + percent_encode(collection_id) + "/tiles";
}

std::string tileset_title(const std::vector<const Collection*>& collections, const std::string& collection_id) {
    return collection_id.empty() ? "Every collection, one layer each" : collections.front()->meta().title;
}

}  // namespace

Response tile_matrix_sets(const ApiContext& context, const RouteArgs&) {
    only_json(context);
    const std::string base = context.base();
    const std::string url = base + "/tileMatrixSets/" + std::string(ogc_tiles::tms_id);
    json document{
        {"links", json::array({link(base + "/tileMatrixSets", "self", media_type::json, "The tile matrix sets")})},
        {"tileMatrixSets",
         json::array({{{"id", ogc_tiles::tms_id},
                       {"title", "Google Maps Compatible for the World"},
                       {"uri", ogc_tiles::tms_uri},
                       {"links", json::array({link(url, ogc_tiles::rel_tiling_scheme, media_type::json,
                                                   "The tile matrix set WebMercatorQuad")})}}})},
    };
    return json_response(document, media_type::json);
}

Response tile_matrix_set(const ApiContext& context, const RouteArgs& args) {
    check_tile_matrix_set(args.name);
    only_json(context);
    return json_response(ogc_tiles::tile_matrix_set(), media_type::json);
}

Response tilesets(const ApiContext& context, const RouteArgs& args) {
    const FeatureStore& store = context.data();
    const auto collections = tile_collections(store, args.collection_id);
    only_json(context);
    const std::string base = context.base();
    const std::string url = tiles_url(base, args.collection_id);
    json entry{
        {"title", tileset_title(collections, args.collection_id)},
        {"dataType", "vector"},
        {"crs", "http://www.opengis.net/def/crs/EPSG/0/3857"},
        {"tileMatrixSetURI", ogc_tiles::tms_uri},
        {"links", json::array({
                      link(url + "/" + std::string(ogc_tiles::tms_id), "self", media_type::json, "The tileset"),
                      link(base + "/tileMatrixSets/" + std::string(ogc_tiles::tms_id), ogc_tiles::rel_tiling_scheme,
                           media_type::json, "The tile matrix set: WebMercatorQuad"),
                  })},
    };
    json document{
        {"links", json::array({link(url, "self", media_type::json, "The tilesets")})},
        {"tilesets", json::array({std::move(entry)})},
    };
    return json_response(document, media_type::json);
}

Response tileset(const ApiContext& context, const RouteArgs& args) {
    check_tile_matrix_set(args.name);
    const FeatureStore& store = context.data();
    const auto collections = tile_collections(store, args.collection_id);
    only_json(context);
    const std::string base = context.base();
    return json_response(ogc_tiles::tileset(collections, tiles_url(base, args.collection_id), base,
                                            tileset_title(collections, args.collection_id), kMaxTileZoom),
                         media_type::json);
}

Response ogc_tile(const ApiContext& context, const RouteArgs& args) {
    check_tile_matrix_set(args.name);
    const FeatureStore& store = context.data();
    const auto collections = tile_collections(store, args.collection_id);
    Box extent;
    for (const Collection* collection : collections) {
        extent.extend(collection->tile_layer().extent());
    }
    const TileId& id = args.tile;
    const auto ranges = ogc_tiles::limits(extent, id.z);
    if (ranges.empty() || !ranges.back().contains(id.y, id.x)) {
        const std::string where =
            ranges.empty() ? std::string("this tileset has no data")
                           : "at tile matrix " + std::to_string(id.z) + " the tileset's rows run " +
                                 std::to_string(ranges.back().min_row) + "–" + std::to_string(ranges.back().max_row) +
                                 " and its columns " + std::to_string(ranges.back().min_col) + "–" +
                                 std::to_string(ranges.back().max_col);
        throw Error::not_found("tile " + std::to_string(id.z) + "/" + std::to_string(id.y) + "/" +
                               std::to_string(id.x) +
                               " (tileMatrix/tileRow/tileCol) is outside the tileset's limits: " + where +
                               " (see tileMatrixSetLimits in its metadata)");
    }
    return tile(context, args);
}

}  // namespace regiomap::api
