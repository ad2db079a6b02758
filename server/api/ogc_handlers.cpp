#include "api/ogc_handlers.hpp"

#include <charconv>
#include <chrono>

#include "api/feature_output.hpp"
#include "api/html/pages.hpp"
#include "api/links.hpp"
#include "api/negotiation.hpp"
#include "api/ogc_params.hpp"
#include "api/ogc_tiles.hpp"
#include "api/openapi.hpp"
#include "core/cql2/filter.hpp"
#include "core/edit/feature_schema.hpp"
#include "core/edit/feature_version.hpp"
#include "core/error.hpp"
#include "core/geojson_writer.hpp"

namespace regiomap::api {

namespace {

using json = nlohmann::ordered_json;

const Collection& find_collection(const FeatureStore& store, const std::string& id) {
    const Collection* found = store.find(id);
    if (!found) {
        throw Error::not_found("collection '" + id + "' does not exist; see /collections");
    }
    return *found;
}

std::string collection_url(const std::string& base, const Collection& collection) {
    return base + "/collections/" + percent_encode(collection.id());
}

// Documents that accept only `f=json`.
void accept_only_format(const ApiContext& context) {
    reject_unknown_params(context.target.query, {std::string(ogc::format)});
    parse_format(context.target.query, false);
}

// Documents that also have an HTML page: `f` only; JSON or HTML.
Format json_or_html(const ApiContext& context) {
    reject_unknown_params(context.target.query, {std::string(ogc::format)});
    return negotiate_format(context, false);
}

html::Site site_of(const ApiContext& context, const std::string& base) {
    return {base, context.config.service.title, context.config.service.description};
}

// A representation chosen by Accept varies with it, for every cache on the way.
Response negotiated(Response response) {
    response.set_header("Vary", "Accept");
    return response;
}

Response html_response(std::string page) {
    Response response;
    response.content_type = std::string(media_type::html) + "; charset=utf-8";
    response.body = std::move(page);
    return negotiated(std::move(response));
}

json field_list(const Collection& collection) {
    json fields = json::array();
    for (const FieldDef& field : collection.meta().fields) {
        fields.push_back({{"name", field.name}, {"type", field_type_name(field.type)}});
    }
    return fields;
}

json supported_crs() {
    json list = json::array();
    for (const crs::Definition& definition : crs::kSupported) {
        list.push_back(definition.uri);
    }
    return list;
}

json temporal_extent(const Collection& collection) {
    auto interval = collection.temporal_extent();
    return {
        {"interval", json::array({json::array({format_datetime(interval->begin), format_datetime(interval->end)})})},
        {"trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}};
}

json collection_document(const std::string& base, const Collection& collection) {
    const std::string url = collection_url(base, collection);
    json document{
        {"id", collection.id()},
        {"title", collection.meta().title},
        {"description", collection.meta().description},
        {"itemType", "feature"},
        {"crs", supported_crs()},
        // The store holds every geometry in CRS84, whatever the source's CRS.
        {"storageCrs", ogc::crs84},
        {"links",
         json::array({
             link(url, "self", media_type::json, "This collection"),
             link(url + "/items", "items", media_type::geojson, "Features as GeoJSON"),
             link(url + "/items?f=json", "items", media_type::json, "Features as JSON"),
             link(url + "/schema", ogc::rel_schema, ogc::schema_media_type,
                  "The schema of its features (JSON Schema): what a feature may hold"),
             link(url + "/queryables", ogc::rel_queryables, media_type::schema_json, "The properties a filter may use"),
             link(url + "/tiles", ogc_tiles::rel_tilesets_vector, media_type::json,
                  "Vector tilesets of this collection (OGC API – Tiles)"),
         })},
    };
    json extent = json::object();
    if (Box box = collection.extent(); !box.empty()) {
        extent["spatial"] = {{"bbox", json::array({json::array({box.min_x, box.min_y, box.max_x, box.max_y})})},
                             {"crs", ogc::crs84}};
    }
    // The OGC test suite reads exactly one interval with both ends set.
    if (collection.temporal_extent()) {
        extent["temporal"] = temporal_extent(collection);
    }
    if (!extent.empty()) {
        document["extent"] = std::move(extent);
    }
    return document;
}

std::string current_timestamp() {
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return format_datetime(std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
}

// The request's parameters without `limit`/`offset` and without exact
// duplicates, in their original order: the base of every paging link.
QueryParams paging_base(const QueryParams& params) {
    QueryParams base;
    for (const auto& param : params) {
        if (param.first == ogc::limit || param.first == ogc::offset) {
            continue;
        }
        if (std::find(base.begin(), base.end(), param) == base.end()) {
            base.push_back(param);
        }
    }
    return base;
}

std::string page_url(const std::string& items_url, QueryParams params, std::size_t limit, std::size_t offset) {
    params.emplace_back(std::string(ogc::limit), std::to_string(limit));
    if (offset > 0) {
        params.emplace_back(std::string(ogc::offset), std::to_string(offset));
    }
    return items_url + "?" + format_query(params);
}

Response geojson_response(const JsonBuffer& buffer, bool plain_json) {
    Response response;
    response.content_type = std::string(plain_json ? media_type::json : media_type::geojson);
    response.body.assign(buffer.GetString(), buffer.GetSize());
    return response;
}

}  // namespace

Response json_response(const json& document, std::string_view content_type) {
    Response response;
    response.content_type = std::string(content_type);
    response.body = document.dump(-1, ' ', false, json::error_handler_t::replace);
    return response;
}

Response landing_page(const ApiContext& context, const RouteArgs&) {
    const Format format = json_or_html(context);
    const std::string base = context.base();
    json document{
        {"title", context.config.service.title},
        {"description", context.config.service.description},
        {"links",
         json::array({
             link(base + "/", "self", media_type::json, "This document"),
             link(base + "/api", "service-desc", media_type::openapi_json, "The API definition (OpenAPI 3.0)"),
             link(base + "/conformance", "conformance", media_type::json,
                  "OGC API conformance classes implemented by this server"),
             link(base + "/collections", "data", media_type::json, "The feature collections"),
             link(base + "/tiles", ogc_tiles::rel_tilesets_vector, media_type::json,
                  "Vector tilesets of every collection (OGC API – Tiles)"),
             link(base + "/tileMatrixSets", ogc_tiles::rel_tiling_schemes, media_type::json, "The tile matrix sets"),
             link(base + "/?f=html", "alternate", media_type::html, "This document as HTML"),
         })},
    };
    if (format == Format::html) {
        return html_response(html::landing_page(site_of(context, base), document));
    }
    return negotiated(json_response(document, media_type::json));
}

Response conformance(const ApiContext& context, const RouteArgs&) {
    const Format format = json_or_html(context);
    json classes = json::array({ogc::conf_core, ogc::conf_oas30, ogc::conf_geojson, ogc::conf_crs, ogc::conf_queryables,
                                ogc::conf_queryables_query_parameters, ogc::conf_filter, ogc::conf_features_filter,
                                ogc::conf_schemas});
    for (std::string_view cql2_class : cql2::kConformance) {
        classes.push_back(cql2_class);
    }
    for (std::string_view tiles_class : ogc_tiles::conformance) {
        classes.push_back(tiles_class);
    }
    if (context.config.editing) {
        classes.push_back(ogc::conf_create_replace_delete);
        classes.push_back(ogc::conf_update);
    }
    json document{{"conformsTo", std::move(classes)}};
    if (format == Format::html) {
        return html_response(html::conformance_page(site_of(context, context.base()), document));
    }
    return negotiated(json_response(document, media_type::json));
}

Response api_document(const ApiContext& context, const RouteArgs&) {
    accept_only_format(context);
    return json_response(openapi_document(context), media_type::openapi_json);
}

Response collections(const ApiContext& context, const RouteArgs&) {
    const Format format = json_or_html(context);
    const std::string base = context.base();
    json list = json::array();
    for (const auto& collection : context.data().collections()) {
        list.push_back(collection_document(base, *collection));
    }
    json document{
        {"links", json::array({link(base + "/collections", "self", media_type::json, "The feature collections"),
                               link(base + "/collections?f=html", "alternate", media_type::html,
                                    "The feature collections as HTML")})},
        {"collections", std::move(list)},
    };
    if (format == Format::html) {
        return html_response(html::collections_page(site_of(context, base), document));
    }
    return negotiated(json_response(document, media_type::json));
}

Response collection(const ApiContext& context, const RouteArgs& args) {
    const Collection& found = find_collection(context.data(), args.collection_id);
    const Format format = json_or_html(context);
    const std::string base = context.base();
    json document = collection_document(base, found);
    if (format == Format::html) {
        return html_response(html::collection_page(site_of(context, base), document, field_list(found)));
    }
    return negotiated(json_response(document, media_type::json));
}

Response schema(const ApiContext& context, const RouteArgs& args) {
    const Collection& found = find_collection(context.data(), args.collection_id);
    accept_only_format(context);
    const std::string url = collection_url(context.base(), found) + "/schema";
    return json_response(edit::collection_schema(found.meta(), url), ogc::schema_media_type);
}

Response items(const ApiContext& context, const RouteArgs& args) {
    const Collection& found = find_collection(context.data(), args.collection_id);
    const std::string base = context.base();
    const QueryParams& params = context.target.query;
    ItemQuery query = parse_items_query(found, params, context.crs);
    const FeatureOutput output = parse_feature_output(found, params);
    const Format format = negotiate_format(context, true);
    QueryResult result = found.query(query);

    const std::string items_url = collection_url(base, found) + "/items";
    const QueryParams base_params = paging_base(params);
    QueryParams json_params = base_params;
    json_params.erase(
        std::remove_if(json_params.begin(), json_params.end(), [](const auto& p) { return p.first == ogc::format; }),
        json_params.end());
    QueryParams geojson_params = json_params;
    QueryParams html_params = json_params;
    json_params.emplace_back(std::string(ogc::format), "json");
    html_params.emplace_back(std::string(ogc::format), "html");

    std::vector<Link> links;
    const std::size_t limit = query.limit;
    const std::size_t offset = query.offset;
    const bool plain_json = format == Format::json;
    links.push_back(link(page_url(items_url, plain_json ? json_params : geojson_params, limit, offset), "self",
                         plain_json ? media_type::json : media_type::geojson, "This page"));
    links.push_back(link(page_url(items_url, plain_json ? geojson_params : json_params, limit, offset), "alternate",
                         plain_json ? media_type::geojson : media_type::json,
                         plain_json ? "This page as GeoJSON" : "This page as JSON"));
    links.push_back(
        link(page_url(items_url, html_params, limit, offset), "alternate", media_type::html, "This page as HTML"));
    if (offset < result.number_matched && result.number_matched - offset > result.features.size()) {
        links.push_back(link(page_url(items_url, base_params, limit, offset + limit), "next",
                             plain_json ? media_type::json : media_type::geojson, "Next page"));
    }
    if (offset > 0) {
        links.push_back(link(page_url(items_url, base_params, limit, offset > limit ? offset - limit : 0), "prev",
                             plain_json ? media_type::json : media_type::geojson, "Previous page"));
    }
    links.push_back(link(collection_url(base, found), "collection", media_type::json, "The collection"));

    JsonBuffer buffer;
    JsonWriter writer(buffer);
    FeatureOutputWriter features(found, output, context.crs);
    write_feature_collection(writer, {result.number_matched, result.features.size(), current_timestamp(), links},
                             [&](JsonWriter& out, std::size_t i) { features.write_members(out, *result.features[i]); });
    if (format == Format::html) {
        const bool crs84 = output.crs == &crs::crs84() && !output.skip_geometry;
        return html_response(html::items_page(site_of(context, base), collection_document(base, found),
                                              json::parse(buffer.GetString(), buffer.GetString() + buffer.GetSize()),
                                              offset, crs84));
    }
    Response response = geojson_response(buffer, plain_json);
    response.set_header("Content-Crs", features.content_crs());
    return negotiated(std::move(response));
}

Response item(const ApiContext& context, const RouteArgs& args) {
    const std::string& collection_id = args.collection_id;
    const std::string& feature_id = args.feature_id;
    const Collection& found = find_collection(context.data(), collection_id);
    const std::string base = context.base();
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(feature_id.data(), feature_id.data() + feature_id.size(), id);
    const Feature* feature = nullptr;
    if (ec == std::errc{} && end == feature_id.data() + feature_id.size()) {
        feature = found.find(id);
    }
    if (!feature) {
        throw Error::not_found("feature '" + feature_id + "' does not exist in collection '" + collection_id + "'");
    }
    check_item_params(context.target.query);
    const Format format = negotiate_format(context, true);
    const FeatureOutput output = parse_feature_output(found, context.target.query);
    const bool plain_json = format == Format::json;

    const std::string url = collection_url(base, found) + "/items/" + std::to_string(feature->id);
    const std::vector<Link> links{
        link(plain_json ? url + "?f=json" : url, "self", plain_json ? media_type::json : media_type::geojson,
             "This feature"),
        link(plain_json ? url : url + "?f=json", "alternate", plain_json ? media_type::geojson : media_type::json,
             plain_json ? "This feature as GeoJSON" : "This feature as JSON"),
        link(collection_url(base, found), "collection", media_type::json, "The collection"),
        link(url + "?f=html", "alternate", media_type::html, "This feature as HTML"),
    };

    JsonBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    FeatureOutputWriter output_writer(found, output, context.crs);
    output_writer.write_members(writer, *feature);
    write_links(writer, links);
    writer.EndObject();
    if (format == Format::html) {
        const bool crs84 = output.crs == &crs::crs84() && !output.skip_geometry;
        return html_response(html::item_page(site_of(context, base), collection_document(base, found),
                                             json::parse(buffer.GetString(), buffer.GetString() + buffer.GetSize()),
                                             crs84));
    }
    Response response = geojson_response(buffer, plain_json);
    // The feature's version, the same for every representation but marked
    // per representation: what If-Match of a write is checked against.
    // Another CRS, fewer properties or no geometry is another body: its tag
    // then comes from the body itself.
    const bool whole_feature = output.crs == &crs::crs84() && !output.properties && !output.skip_geometry;
    if (whole_feature) {
        response.etag = edit::feature_etag(*feature);
        if (plain_json) {
            response.etag.insert(response.etag.size() - 1, "-json");
        }
    }
    response.set_header("Content-Crs", output_writer.content_crs());
    return negotiated(std::move(response));
}

Response queryables(const ApiContext& context, const RouteArgs& args) {
    const Collection& found = find_collection(context.data(), args.collection_id);
    accept_only_format(context);
    const CollectionMeta& meta = found.meta();
    json properties = json::object();
    properties[meta.geometry_name] = {{"title", meta.geometry_name},
                                      {"description", "The geometry (also available as 'geometry')"},
                                      {"format", edit::geometry_format(meta.geometry_type)},
                                      {"x-ogc-role", "primary-geometry"}};
    for (const FieldDef& field : meta.fields) {
        if (field.name != meta.geometry_name) {
            json schema{{"title", field.name}};
            schema.update(edit::field_type_schema(field.type));
            properties[field.name] = std::move(schema);
        }
    }
    json document{
        {"$schema", "https://json-schema.org/draft/2020-12/schema"},
        {"$id", collection_url(context.base(), found) + "/queryables"},
        {"type", "object"},
        {"title", meta.title},
        {"description", "The properties of '" + meta.id + "' that filter (CQL2) and sortby may use"},
        {"properties", std::move(properties)},
        {"additionalProperties", false},
    };
    return json_response(document, media_type::schema_json);
}

}  // namespace regiomap::api
