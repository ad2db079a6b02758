#include "api/openapi.hpp"

#include "api/http_vocabulary.hpp"
#include "api/ogc_params.hpp"

namespace regiomap::api {

namespace {

using json = nlohmann::ordered_json;

json ref(const std::string& kind, const std::string& name) {
    return {{"$ref", "#/components/" + kind + "/" + name}};
}

json query_parameter(std::string_view name, std::string_view description, json schema) {
    return {{"name", name},    {"in", "query"},    {"description", description}, {"required", false},
            {"style", "form"}, {"explode", false}, {"schema", std::move(schema)}};
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
        {"f-features", query_parameter(ogc::format, "Output format.",
                                       {{"type", "string"}, {"enum", {"json", "geojson"}}, {"default", "geojson"}})},
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
          {"content",
           {{std::string(media_type::geojson), {{"schema", ref("schemas", "featureCollectionGeoJSON")}}},
            {std::string(media_type::json), {{"schema", ref("schemas", "featureCollectionGeoJSON")}}}}}}},
        {"Feature",
         {{"description", "One feature."},
          {"content",
           {{std::string(media_type::geojson), {{"schema", ref("schemas", "featureGeoJSON")}}},
            {std::string(media_type::json), {{"schema", ref("schemas", "featureGeoJSON")}}}}}}},
    };
}

json operation(std::string_view summary, std::string_view id, std::string_view tag, json ok_response,
               json params = json::array(), bool may_be_missing = false) {
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
    return {{"description", description}, {"content", content(type, schema)}};
}

json openapi_schema_of(FieldType type) {
    switch (type) {
        case FieldType::integer:
            return {{"type", "integer"}};
        case FieldType::real:
            return {{"type", "number"}};
        case FieldType::boolean:
            return {{"type", "boolean"}};
        case FieldType::date:
            return {{"type", "string"}, {"format", "date"}};
        case FieldType::datetime:
            return {{"type", "string"}, {"format", "date-time"}};
        case FieldType::string:
            break;
    }
    return {{"type", "string"}};
}

bool reserved(const std::string& name) {
    return name == ogc::limit || name == ogc::offset || name == ogc::bbox || name == ogc::datetime ||
           name == ogc::format;
}

json items_parameters() {
    return json::array({ref("parameters", "limit"), ref("parameters", "offset"), ref("parameters", "bbox"),
                        ref("parameters", "datetime"), ref("parameters", "f-features")});
}

}  // namespace

json openapi_document(const FeatureStore& store, const ServiceInfo& service, const std::string& base) {
    std::vector<std::string> ids;
    for (const auto& collection : store.collections()) {
        ids.push_back(collection->id());
    }
    const json format_param = json::array({ref("parameters", "f")});

    json paths{
        {"/",
         {{"get", operation("Landing page", "getLandingPage", "Capabilities",
                            ok("Links to the API definition, the conformance classes and the collections.",
                               media_type::json, "landingPage"),
                            format_param)}}},
        {"/api",
         {{"get",
           operation("This API definition", "getApi", "Capabilities",
                     {{"description", "The OpenAPI 3.0 document."},
                      {"content", {{std::string(media_type::openapi_json), {{"schema", {{"type", "object"}}}}}}}},
                     format_param)}}},
        {"/conformance",
         {{"get", operation("Conformance classes", "getConformance", "Capabilities",
                            ok("The conformance classes this server implements.", media_type::json, "confClasses"),
                            format_param)}}},
        {"/collections",
         {{"get", operation("Feature collections", "getCollections", "Capabilities",
                            ok("The feature collections.", media_type::json, "collections"), format_param)}}},
        {"/collections/{collectionId}",
         {{"get", operation("Describe a feature collection", "describeCollection", "Capabilities",
                            ok("The feature collection.", media_type::json, "collection"),
                            json::array({ref("parameters", "collectionId"), ref("parameters", "f")}), true)}}},
        {"/collections/{collectionId}/items",
         {{"get", operation(
                      "Features of a collection", "getFeatures", "Data", ref("responses", "Features"),
                      [] {
                          json params = items_parameters();
                          params.insert(params.begin(), ref("parameters", "collectionId"));
                          return params;
                      }(),
                      true)}}},
        {"/collections/{collectionId}/items/{featureId}",
         {{"get", operation("One feature", "getFeature", "Data", ref("responses", "Feature"),
                            json::array({ref("parameters", "collectionId"), ref("parameters", "featureId"),
                                         ref("parameters", "f-features")}),
                            true)}}},
        {"/health",
         {{"get",
           {{"summary", "Readiness"},
            {"operationId", "getHealth"},
            {"tags", {"Operations"}},
            {"responses",
             {{"200", ok("The data is loaded.", media_type::json, "health")},
              {"503", ok("The data is not loaded yet.", media_type::json, "health")}}}}}}},
    };

    // One explicit items path per collection that lists its property
    // filters: GDAL's OAPIF driver looks them up here to pass attribute
    // filters to the server.
    for (const auto& collection : store.collections()) {
        json params = items_parameters();
        for (const FieldDef& field : collection->meta().fields) {
            if (reserved(field.name)) {
                continue;
            }
            params.push_back({{"name", field.name},
                              {"in", "query"},
                              {"required", false},
                              {"style", "form"},
                              {"explode", false},
                              {"description", "Only features whose '" + field.name + "' equals this value."},
                              {"schema", openapi_schema_of(field.type)}});
        }
        std::string path = "/collections/" + collection->id() + "/items";
        paths[path] = {{"get", operation("Features of " + collection->meta().title, "getFeatures_" + collection->id(),
                                         "Data", ref("responses", "Features"), std::move(params))}};
    }

    return {
        {"openapi", "3.0.3"},
        {"info",
         {{"title", service.title},
          {"description", service.description},
          {"version", "1.0.0"},
          {"license", {{"name", "Data: see each collection's description and /collections"}}}}},
        {"servers", json::array({{{"url", base}, {"description", "This server"}}})},
        {"tags", json::array({{{"name", "Capabilities"}}, {{"name", "Data"}}, {{"name", "Operations"}}})},
        {"paths", std::move(paths)},
        {"components", {{"parameters", parameters(ids)}, {"schemas", schemas()}, {"responses", responses()}}},
    };
}

}  // namespace regiomap::api
