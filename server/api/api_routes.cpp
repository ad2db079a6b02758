#include "api/api_routes.hpp"

#include "api/archive_handlers.hpp"
#include "api/ogc_handlers.hpp"
#include "api/ogc_params.hpp"
#include "api/ogc_tiles.hpp"
#include "api/openapi.hpp"
#include "api/search_handler.hpp"
#include "api/style_handlers.hpp"
#include "api/tile_handlers.hpp"
#include "api/web_files.hpp"

namespace regiomap::api {

namespace {

using json = nlohmann::ordered_json;
using openapi::ok;
using openapi::ok_or_html;
using openapi::operation;
using openapi::ref;

json params(std::initializer_list<const char*> names) {
    json out = json::array();
    for (const char* name : names) {
        out.push_back(ref("parameters", name));
    }
    return out;
}

json binary_response(std::string_view description, std::string_view type) {
    return {{"description", description},
            {"content", {{std::string(type), {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
}

json any_json(std::string_view description) {
    return {{"description", description},
            {"content", {{std::string(media_type::json), {{"schema", {{"type", "object"}}}}}}}};
}

Response landing(const ApiContext& context, const RouteArgs& args) {
    // A browser gets the web map; every client asking for JSON, the API.
    return wants_web_map(context) ? web_file(context, args) : landing_page(context, args);
}

}  // namespace

void add_api_routes(RouteTable& table) {
    table.add({"landing", "GET", "/", landing, [] {
                   return operation(
                       "Landing page", "getLandingPage", "Capabilities",
                       ok_or_html("Links to the API definition, the conformance classes and the collections.",
                                  media_type::json, "landingPage"),
                       params({"f-html"}));
               }});
    table.add({"api", "GET", "/api", api_document, [] {
                   return operation(
                       "This API definition", "getApi", "Capabilities",
                       {{"description", "The OpenAPI 3.0 document."},
                        {"content", {{std::string(media_type::openapi_json), {{"schema", {{"type", "object"}}}}}}}},
                       params({"f"}));
               }});
    table.add({"conformance", "GET", "/conformance", conformance, [] {
                   return operation(
                       "Conformance classes", "getConformance", "Capabilities",
                       ok_or_html("The conformance classes this server implements.", media_type::json, "confClasses"),
                       params({"f-html"}));
               }});
    table.add({"collections", "GET", "/collections", collections, [] {
                   return operation("Feature collections", "getCollections", "Capabilities",
                                    ok_or_html("The feature collections.", media_type::json, "collections"),
                                    params({"f-html"}));
               }});
    table.add({"collection", "GET", "/collections/{collectionId}", collection, [] {
                   return operation("Describe a feature collection", "describeCollection", "Capabilities",
                                    ok_or_html("The feature collection.", media_type::json, "collection"),
                                    params({"collectionId", "f-html"}), true);
               }});
    table.add({"schema", "GET", "/collections/{collectionId}/schema", schema, [] {
                   return operation(
                       "Schema of a collection's features", "getSchema", "Capabilities",
                       {{"description",
                         "JSON Schema 2020-12 (OGC API – Features – Part 5): every property with its type, allowed "
                         "values and range, which are required (provenance always) and which are read-only."},
                        {"content", {{std::string(ogc::schema_media_type), {{"schema", {{"type", "object"}}}}}}}},
                       params({"collectionId", "f"}), true);
               }});
    table.add({"items", "GET", "/collections/{collectionId}/items", items, [] {
                   json parameters = openapi::items_parameters();
                   parameters.insert(parameters.begin(), ref("parameters", "collectionId"));
                   return operation("Features of a collection", "getFeatures", "Data", ref("responses", "Features"),
                                    std::move(parameters), true);
               }});
    table.add({"item", "GET", "/collections/{collectionId}/items/{featureId}", item, [] {
                   return operation(
                       "One feature", "getFeature", "Data", ref("responses", "Feature"),
                       params({"collectionId", "featureId", "crs", "properties", "skipGeometry", "f-features"}), true);
               }});
    table.add({"queryables", "GET", "/collections/{collectionId}/queryables", queryables, [] {
                   return operation(
                       "The queryables of a collection", "getQueryables", "Capabilities",
                       {{"description", "A JSON Schema of the properties that filter and sortby may use."},
                        {"content", {{std::string(media_type::schema_json), {{"schema", {{"type", "object"}}}}}}}},
                       params({"collectionId", "f"}), true);
               }});
    table.add({"tilejson", "GET", "/tiles.json", tilejson, [] {
                   return operation("TileJSON of every collection", "getTileJson", "Tiles",
                                    any_json("TileJSON 3.0.0: tile URL template, zooms, bounds, vector_layers."));
               }});
    table.add({"tilejson", "GET", "/tiles/{collectionId}.json", tilejson, [] {
                   return operation("TileJSON of one collection", "getCollectionTileJson", "Tiles",
                                    any_json("TileJSON 3.0.0 of one collection."), params({"collectionId"}), true);
               }});
    table.add({"tile", "GET", "/tiles/{z}/{x}/{y}.mvt", tile, [] {
                   return operation("Vector tile of every collection", "getTile", "Tiles",
                                    binary_response("Mapbox Vector Tile 2.1, one layer per collection; 204 when empty.",
                                                    "application/vnd.mapbox-vector-tile"),
                                    params({"z", "x", "y"}), true);
               }});
    table.add({"tile", "GET", "/tiles/{collectionId}/{z}/{x}/{y}.mvt", tile, [] {
                   return operation("Vector tile of one collection", "getCollectionTile", "Tiles",
                                    binary_response("Mapbox Vector Tile 2.1 with the collection's layer.",
                                                    "application/vnd.mapbox-vector-tile"),
                                    params({"collectionId", "z", "x", "y"}), true);
               }});
    // OGC API – Tiles: after the routes above, so that /tiles/{collectionId}.json
    // and …/{y}.mvt keep their meaning; the tiles are the same cache entries.
    table.add({"tiles_ogc", "GET", "/tileMatrixSets", tile_matrix_sets, [] {
                   return operation("Tile matrix sets", "getTileMatrixSetsList", "Tiles",
                                    any_json("The tile matrix sets of this server: WebMercatorQuad."), params({"f"}));
               }});
    table.add({"tiles_ogc", "GET", "/tileMatrixSets/{tileMatrixSetId}", tile_matrix_set, [] {
                   return operation("A tile matrix set", "getTileMatrixSet", "Tiles",
                                    any_json("The definition of the tile matrix set (OGC 17-083r4)."),
                                    params({"tileMatrixSetId", "f"}), true);
               }});
    table.add({"tiles_ogc", "GET", "/tiles", tilesets, [] {
                   return operation("Vector tilesets of the data set", "tiles.dataset.vector.getTileSetsList", "Tiles",
                                    any_json("The tilesets of every collection together."), params({"f"}));
               }});
    table.add({"tiles_ogc", "GET", "/tiles/{tileMatrixSetId}", tileset, [] {
                   return operation("Vector tileset of the data set", "tiles.dataset.vector.getTileSet", "Tiles",
                                    any_json("Tileset metadata: limits, layers, tile URL template."),
                                    params({"tileMatrixSetId", "f"}), true);
               }});
    table.add({"tile_ogc", "GET", "/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", ogc_tile, [] {
                   return operation("Vector tile of the data set", "tiles.dataset.vector.getTile", "Tiles",
                                    binary_response("Mapbox Vector Tile 2.1, one layer per collection; 204 when empty.",
                                                    "application/vnd.mapbox-vector-tile"),
                                    params({"tileMatrixSetId", "tileMatrix", "tileRow", "tileCol"}), true);
               }});
    table.add({"tiles_ogc", "GET", "/collections/{collectionId}/tiles", tilesets, [] {
                   return operation("Vector tilesets of a collection", "tiles.collection.vector.getTileSetsList",
                                    "Tiles", any_json("The tilesets of the collection."), params({"collectionId", "f"}),
                                    true);
               }});
    table.add({"tiles_ogc", "GET", "/collections/{collectionId}/tiles/{tileMatrixSetId}", tileset, [] {
                   return operation("Vector tileset of a collection", "tiles.collection.vector.getTileSet", "Tiles",
                                    any_json("Tileset metadata of the collection."),
                                    params({"collectionId", "tileMatrixSetId", "f"}), true);
               }});
    table.add({"tile_ogc", "GET",
               "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", ogc_tile, [] {
                   return operation("Vector tile of a collection", "tiles.collection.vector.getTile", "Tiles",
                                    binary_response("Mapbox Vector Tile 2.1 with the collection's layer.",
                                                    "application/vnd.mapbox-vector-tile"),
                                    params({"collectionId", "tileMatrixSetId", "tileMatrix", "tileRow", "tileCol"}),
                                    true);
               }});
    table.add({"archive_tilejson", "GET", "/archives/{archiveId}.json", archive_tilejson, [] {
                   return operation("TileJSON of a tile archive", "getArchiveTileJson", "Tiles",
                                    any_json("TileJSON 3.0.0 of an archive served with --tiles, from its metadata."),
                                    params({"archiveId"}), true);
               }});
    table.add({"archive_tile", "GET", "/archives/{archiveId}/{z}/{x}/{y}.mvt", archive_tile, [] {
                   return operation("Vector tile from a tile archive", "getArchiveTile", "Tiles",
                                    binary_response("The tile as the archive stores it; 204 where it has none.",
                                                    "application/vnd.mapbox-vector-tile"),
                                    params({"archiveId", "z", "x", "y"}), true);
               }});
    table.add({"basemap_tilejson", "GET", "/basemap.json", basemap_tilejson, [] {
                   return operation("TileJSON of the offline basemap", "getBasemapTileJson", "Tiles",
                                    any_json("TileJSON 3.0.0 of the --basemap archive; 404 when there is none."), {},
                                    true);
               }});
    table.add({"basemap_tile", "GET", "/basemap/{z}/{x}/{y}.mvt", basemap_tile, [] {
                   return operation("Vector tile of the offline basemap", "getBasemapTile", "Tiles",
                                    binary_response("A basemap tile; 204 where the archive has none.",
                                                    "application/vnd.mapbox-vector-tile"),
                                    params({"z", "x", "y"}), true);
               }});
    table.add({"style", "GET", "/styles/{styleId}.json", style, [] {
                   return operation("MapLibre GL style", "getStyle", "Styles",
                                    any_json("A MapLibre GL style with absolute URLs on this server."),
                                    params({"styleId"}), true);
               }});
    table.add({"glyphs", "GET", "/fonts/{fontstack}/{range}.pbf", glyphs, nullptr});
    table.add(
        {"search", "GET", "/search", search, [] {
             return operation("Search names", "search", "Data", ref("responses", "Features"), params({"q", "limit"}));
         }});
    table.add({"static", "GET", "/{path...}", web_file, nullptr});
}

}  // namespace regiomap::api
