#include "api/openapi.hpp"

#include <algorithm>
#include <cctype>

#include "api/ogc_params.hpp"
#include "api/routes.hpp"
#include "core/edit/feature_schema.hpp"

namespace regiomap::api {

namespace openapi {

using json = nlohmann::ordered_json;

json ref(const std::string& kind, const std::string& name) {
    return {{"$ref", "#/components/" + kind + "/" + name}};
}

json operation(std::string_view summary, std::string_view id, std::string_view tag, json ok_response, json params,
               bool may_be_missing) {
    json result{{"summary", summary},
                {"operationId", id},
                {"tags", {tag}},
                {"responses",
                 {{"200", std::move(ok_response)},
                  {"400", ref("responses", "InvalidParameter")},
                  {"500", ref("responses", "ServerError")}}}};
    if (may_be_missing) {
        result["responses"]["404"] = ref("responses", "NotFound");
    }
    if (!params.empty()) {
        result["parameters"] = std::move(params);
    }
    return result;
}

json ok(std::string_view description, std::string_view type, const std::string& schema) {
    return {{"description", description}, {"content", {{std::string(type), {{"schema", ref("schemas", schema)}}}}}};
}

json ok_or_html(std::string_view description, std::string_view type, const std::string& schema) {
    json response = ok(description, type, schema);
    response["content"][std::string(media_type::html)] = {{"schema", {{"type", "string"}}}};
    return response;
}

json items_parameters() {
    json list = json::array();
    for (const char* name : {"limit", "offset", "bbox", "bbox-crs", "datetime", "filter", "filter-lang", "filter-crs",
                             "sortby", "properties", "skipGeometry", "crs", "f-features"}) {
        list.push_back(ref("parameters", name));
    }
    return list;
}

}  // namespace openapi

namespace {

using json = nlohmann::ordered_json;
using openapi::ref;

json query_parameter(std::string_view name, std::string_view description, json schema) {
    return {{"name", name},    {"in", "query"},    {"description", description}, {"required", false},
            {"style", "form"}, {"explode", false}, {"schema", std::move(schema)}};
}

json path_parameter(std::string_view name, std::string_view description, json schema) {
    return {{"name", name}, {"in", "path"}, {"required", true}, {"description", description}, {"schema", schema}};
}

json crs_schema() {
    json uris = json::array();
    for (const crs::Definition& definition : crs::kSupported) {
        uris.push_back(definition.uri);
    }
    return {{"type", "string"}, {"format", "uri"}, {"enum", std::move(uris)}, {"default", ogc::crs84}};
}

json parameters(const std::vector<std::string>& collection_ids) {
    json collection_id_schema{{"type", "string"}};
    if (!collection_ids.empty()) {
        collection_id_schema["enum"] = collection_ids;  // the OGC suite tests every listed id
    }
    return {
        {"collectionId",
         {{"name", "collectionId"},
          {"in", "path"},
          {"required", true},
          {"description", "Identifier of a feature collection"},
          {"schema", collection_id_schema}}},
        {"featureId",
         {{"name", "featureId"},
          {"in", "path"},
          {"required", true},
          {"description", "Identifier of a feature (an integer)"},
          {"schema", {{"type", "string"}}}}},
        {"z", path_parameter("z", "Zoom level, 0 to 22", {{"type", "integer"}, {"minimum", 0}, {"maximum", 22}})},
        {"x", path_parameter("x", "Tile column, 0 to 2^z - 1", {{"type", "integer"}, {"minimum", 0}})},
        {"y", path_parameter("y", "Tile row from the north, 0 to 2^z - 1", {{"type", "integer"}, {"minimum", 0}})},
        {"styleId", path_parameter("styleId", "Name of a style", {{"type", "string"}})},
        {"tileMatrixSetId", path_parameter("tileMatrixSetId", "Identifier of a tile matrix set",
                                           {{"type", "string"}, {"enum", {"WebMercatorQuad"}}})},
        {"tileMatrix",
         path_parameter("tileMatrix",
                        "Identifier selecting one of the scales defined in the TileMatrixSet and representing the "
                        "scaleDenominator the tile.",
                        {{"type", "string"}})},
        {"tileRow", path_parameter("tileRow",
                                   "Row index of the tile on the selected TileMatrix. It cannot exceed the "
                                   "MatrixWidth-1 for the selected TileMatrix",
                                   {{"type", "integer"}, {"minimum", 0}})},
        {"tileCol", path_parameter("tileCol",
                                   "Column index of the tile on the selected TileMatrix. It cannot exceed the "
                                   "MatrixHeight-1 for the selected TileMatrix.",
                                   {{"type", "integer"}, {"minimum", 0}})},
        {"archiveId", path_parameter("archiveId",
                                     "Name of a tile archive served with --tiles (its file name "
                                     "without the extension)",
                                     {{"type", "string"}})},
        {"q",
         {{"name", "q"},
          {"in", "query"},
          {"required", true},
          {"description", "Text to look for in the names (name, name_zh, name_en, …)"},
          {"schema", {{"type", "string"}, {"maxLength", 200}}}}},
        {"limit",
         query_parameter(
             ogc::limit, "The number of features on a page. Larger values are reduced to the maximum.",
             {{"type", "integer"}, {"minimum", 1}, {"maximum", ogc::max_limit}, {"default", ogc::default_limit}})},
        {"offset", query_parameter(ogc::offset, "The number of matching features to skip (paging).",
                                   {{"type", "integer"}, {"minimum", 0}, {"default", 0}})},
        {"bbox",
         query_parameter(ogc::bbox,
                         "Only features whose geometry intersects the box minLon,minLat,maxLon,maxLat "
                         "(or with heights: minLon,minLat,minH,maxLon,maxLat,maxH) in CRS84. "
                         "minLon > maxLon crosses the antimeridian.",
                         {{"type", "array"}, {"minItems", 4}, {"maxItems", 6}, {"items", {{"type", "number"}}}})},
        {"datetime", query_parameter(ogc::datetime,
                                     "Only features whose date/time property lies in this instant or interval "
                                     "(RFC 3339; intervals 'a/b', '../b', 'a/..', 'a/P2D').",
                                     {{"type", "string"}})},
        {"crs", query_parameter(ogc::crs,
                                "The CRS of the geometries in the response, in its axis order (EPSG:4326 and "
                                "EPSG:4490 latitude first, EPSG:4548 northing first); the Content-Crs header names it.",
                                crs_schema())},
        {"bbox-crs", query_parameter(ogc::bbox_crs,
                                     "The CRS of `bbox`, whose numbers are then the lower and upper corner in its "
                                     "axis order.",
                                     crs_schema())},
        {"filter", query_parameter(ogc::filter,
                                   "A CQL2 expression (cql2-text by default, or cql2-json) over the queryables "
                                   "(/collections/{collectionId}/queryables), e.g. status = 'planned' AND "
                                   "S_INTERSECTS(geometry, BBOX(117.1, 39.1, 117.2, 39.2)).",
                                   {{"type", "string"}})},
        {"filter-lang",
         query_parameter(
             ogc::filter_lang, "The encoding of `filter`.",
             {{"type", "string"}, {"enum", {ogc::cql2_text, ogc::cql2_json}}, {"default", ogc::cql2_text}})},
        {"filter-crs", query_parameter(ogc::filter_crs, "The CRS of the geometries in `filter`.", crs_schema())},
        {"sortby",
         query_parameter(
             ogc::sortby,
             "Sort keys: property names (or id), each with '+' (ascending, the default) or '-' "
             "(descending), e.g. -target_year,name_en. Equal keys keep the collection's order.",
             {{"type", "array"}, {"minItems", 1}, {"items", {{"type", "string"}, {"pattern", "^[+-]?[^,]+$"}}}})},
        {"properties",
         query_parameter(ogc::properties, "Only these properties in each feature, in this order (empty: none).",
                         {{"type", "array"}, {"items", {{"type", "string"}}}})},
        {"skipGeometry", query_parameter(ogc::skip_geometry, "Write every geometry as null.",
                                         {{"type", "boolean"}, {"default", false}})},
        {"f-features",
         query_parameter(ogc::format, "Output format.",
                         {{"type", "string"}, {"enum", {"json", "geojson", "html"}}, {"default", "geojson"}})},
        {"f-html", query_parameter(ogc::format,
                                   "Output format. Without it, a client that asks for text/html before any JSON "
                                   "type (a browser) gets the HTML page.",
                                   {{"type", "string"}, {"enum", {"json", "html"}}, {"default", "json"}})},
        {"f",
         query_parameter(ogc::format, "Output format.", {{"type", "string"}, {"enum", {"json"}}, {"default", "json"}})},
    };
}

json schemas() {
    json link_schema{{"type", "object"},
                     {"required", {"href", "rel"}},
                     {"properties",
                      {{"href", {{"type", "string"}}},
                       {"rel", {{"type", "string"}}},
                       {"type", {{"type", "string"}}},
                       {"title", {{"type", "string"}}}}}};
    json links{{"type", "array"}, {"items", ref("schemas", "link")}};
    return {
        {"exception",
         {{"type", "object"},
          {"required", {"code"}},
          {"properties", {{"code", {{"type", "string"}}}, {"description", {{"type", "string"}}}}}}},
        {"link", link_schema},
        {"landingPage",
         {{"type", "object"},
          {"required", {"links"}},
          {"properties", {{"title", {{"type", "string"}}}, {"description", {{"type", "string"}}}, {"links", links}}}}},
        {"confClasses",
         {{"type", "object"},
          {"required", {"conformsTo"}},
          {"properties", {{"conformsTo", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}}},
        {"collection",
         {{"type", "object"},
          {"required", {"id", "links"}},
          {"properties",
           {{"id", {{"type", "string"}}},
            {"title", {{"type", "string"}}},
            {"description", {{"type", "string"}}},
            {"itemType", {{"type", "string"}}},
            {"crs", {{"type", "array"}, {"items", {{"type", "string"}}}}},
            {"storageCrs", {{"type", "string"}}},
            {"extent", {{"type", "object"}}},
            {"links", links}}}}},
        {"collections",
         {{"type", "object"},
          {"required", {"links", "collections"}},
          {"properties",
           {{"links", links}, {"collections", {{"type", "array"}, {"items", ref("schemas", "collection")}}}}}}},
        {"featureCollectionGeoJSON",
         {{"type", "object"},
          {"required", {"type", "features"}},
          {"properties",
           {{"type", {{"type", "string"}, {"enum", {"FeatureCollection"}}}},
            {"features", {{"type", "array"}, {"items", ref("schemas", "featureGeoJSON")}}},
            {"links", links},
            {"timeStamp", {{"type", "string"}, {"format", "date-time"}}},
            {"numberMatched", {{"type", "integer"}, {"minimum", 0}}},
            {"numberReturned", {{"type", "integer"}, {"minimum", 0}}}}}}},
        {"featureGeoJSON",
         {{"type", "object"},
          {"required", {"type", "geometry", "properties"}},
          {"properties",
           {{"type", {{"type", "string"}, {"enum", {"Feature"}}}},
            {"id", {{"type", "integer"}}},
            {"geometry", {{"type", "object"}, {"nullable", true}}},
            {"properties", {{"type", "object"}, {"nullable", true}}},
            {"links", links}}}}},
        {"health", {{"type", "object"}}},
    };
}

json content_crs_header() {
    return {{"Content-Crs",
             {{"description", "The CRS of the geometries in the body, as <URI> (OGC API – Features Part 2)."},
              {"schema", {{"type", "string"}}}}}};
}

json content(std::string_view type, const std::string& schema) {
    return {{std::string(type), {{"schema", ref("schemas", schema)}}}};
}

json responses() {
    return {
        {"InvalidParameter",
         {{"description", "A query parameter has an invalid value or is not known."},
          {"content", content(media_type::json, "exception")}}},
        {"NotFound",
         {{"description", "The collection or feature does not exist."},
          {"content", content(media_type::json, "exception")}}},
        {"ServerError",
         {{"description", "A server error occurred."}, {"content", content(media_type::json, "exception")}}},
        {"Features",
         {{"description", "The features of the collection that match the query, one page of them."},
          {"headers", content_crs_header()},
          {"content",
           {{std::string(media_type::geojson), {{"schema", ref("schemas", "featureCollectionGeoJSON")}}},
            {std::string(media_type::json), {{"schema", ref("schemas", "featureCollectionGeoJSON")}}},
            {std::string(media_type::html), {{"schema", {{"type", "string"}}}}}}}}},
        {"Feature",
         {{"description", "One feature."},
          {"headers", content_crs_header()},
          {"content",
           {{std::string(media_type::geojson), {{"schema", ref("schemas", "featureGeoJSON")}}},
            {std::string(media_type::json), {{"schema", ref("schemas", "featureGeoJSON")}}},
            {std::string(media_type::html), {{"schema", {{"type", "string"}}}}}}}}},
    };
}

}  // namespace

json openapi_document(const ApiContext& context) {
    const FeatureStore& store = context.data();
    std::vector<std::string> ids;
    for (const auto& collection : store.collections()) {
        ids.push_back(collection->id());
    }
    // Every documented route of the table, under its path template.
    json paths = json::object();
    for (const Route& route : context.routes.routes()) {
        if (!route.openapi) {
            continue;
        }
        std::string method = route.method;
        std::transform(method.begin(), method.end(), method.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        paths[route.path][method] = route.openapi();
    }

    // One explicit items path per collection that lists its property
    // filters: GDAL's OAPIF driver looks them up here to pass attribute
    // filters to the server.
    for (const auto& collection : store.collections()) {
        json params = openapi::items_parameters();
        for (const FieldDef& field : collection->meta().fields) {
            if (ogc::is_reserved(field.name)) {
                continue;
            }
            params.push_back({{"name", field.name},
                              {"in", "query"},
                              {"required", false},
                              {"style", "form"},
                              {"explode", false},
                              {"description", "Only features whose '" + field.name + "' equals this value."},
                              {"schema", edit::field_type_schema(field.type)}});
        }
        std::string path = "/collections/" + collection->id() + "/items";
        paths[path] = {
            {"get", openapi::operation("Features of " + collection->meta().title, "getFeatures_" + collection->id(),
                                       "Data", ref("responses", "Features"), std::move(params))}};
    }

    return {
        {"openapi", "3.0.3"},
        {"info",
         {{"title", context.config.service.title},
          {"description", context.config.service.description},
          {"version", "1.0.0"},
          {"license", {{"name", "Data: see each collection's description and /collections"}}}}},
        {"servers", json::array({{{"url", context.base()}, {"description", "This server"}}})},
        {"tags", json::array({{{"name", "Capabilities"}},
                              {{"name", "Data"}},
                              {{"name", "Tiles"}},
                              {{"name", "Styles"}},
                              {{"name", "Operations"}},
                              {{"name", "Transactions"}}})},
        {"paths", std::move(paths)},
        {"components",
         {{"parameters", parameters(ids)},
          {"schemas", schemas()},
          {"responses", responses()},
          {"securitySchemes",
           {{"bearerToken",
             {{"type", "http"},
              {"scheme", "bearer"},
              {"description", "An API token made with 'regiomap token add'; needed to change features."}}}}}}},
    };
}

}  // namespace regiomap::api
