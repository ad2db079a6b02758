#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_vocabulary.hpp"
#include "core/crs.hpp"
#include "core/feature_store.hpp"

namespace regiomap::api {

// The OGC API – Features vocabulary: parameter names and limits, kept in one
// place so that the parser, the OpenAPI document and the links agree.
namespace ogc {
inline constexpr std::string_view limit = "limit";
inline constexpr std::string_view offset = "offset";
inline constexpr std::string_view bbox = "bbox";
inline constexpr std::string_view datetime = "datetime";
inline constexpr std::string_view format = "f";
// Part 2 (CRS by reference), Part 3 (filtering), sorting and the shape of features.
inline constexpr std::string_view crs = "crs";
inline constexpr std::string_view bbox_crs = "bbox-crs";
inline constexpr std::string_view filter = "filter";
inline constexpr std::string_view filter_lang = "filter-lang";
inline constexpr std::string_view filter_crs = "filter-crs";
inline constexpr std::string_view sortby = "sortby";
inline constexpr std::string_view properties = "properties";
inline constexpr std::string_view skip_geometry = "skipGeometry";
inline constexpr std::string_view cql2_text = "cql2-text";
inline constexpr std::string_view cql2_json = "cql2-json";

inline constexpr std::size_t default_limit = 10;
// QGIS and the OGC test suite page with `maximum`; the suite's count check
// needs at least 2 500 to reach numberMatched within its four pages.
inline constexpr std::size_t max_limit = 10'000;

inline constexpr std::string_view conf_core = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core";
inline constexpr std::string_view conf_oas30 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30";
inline constexpr std::string_view conf_geojson = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson";
// OGC API – Features – Part 5 (Schemas): /collections/{id}/schema.
inline constexpr std::string_view conf_schemas = "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas";
inline constexpr std::string_view rel_schema = "http://www.opengis.net/def/rel/ogc/1.0/schema";
inline constexpr std::string_view schema_media_type = "application/schema+json";
// Part 4 (Create, Replace, Update and Delete), when editing is on.
inline constexpr std::string_view conf_create_replace_delete =
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete";
inline constexpr std::string_view conf_update = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update";
inline constexpr std::string_view conf_crs = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs";
inline constexpr std::string_view conf_filter = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter";
inline constexpr std::string_view conf_features_filter =
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter";
inline constexpr std::string_view conf_queryables = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables";
inline constexpr std::string_view conf_queryables_query_parameters =
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters";
inline constexpr std::string_view crs84 = crs::kCrs84Uri;
inline constexpr std::string_view rel_queryables = "http://www.opengis.net/def/rel/ogc/1.0/queryables";

// Parameter names a property cannot use as an equality filter (?name=value).
inline constexpr std::string_view reserved[] = {limit,  offset,     bbox,         datetime,    format,
                                                crs,    bbox_crs,   filter,       filter_lang, filter_crs,
                                                sortby, properties, skip_geometry};
bool is_reserved(std::string_view name);
}  // namespace ogc

// The representation a client asked for with `f` (or Accept, see negotiate_format()).
enum class Format { json, geojson, html };

// A query parameter that may appear once. Repeats with the same value are
// tolerated (clients that follow a `next` link and re-add its parameters
// send them twice); repeats with different values are an error.
const std::string* single_param(const QueryParams& params, std::string_view name);

// Checks that every parameter is one of `allowed`; throws Error (400)
// naming the first unknown one and the allowed set.
void reject_unknown_params(const QueryParams& params, const std::vector<std::string>& allowed);

// `f`: "json" everywhere, and "geojson" where features are answered.
Format parse_format(const QueryParams& params, bool features, bool html = false);

std::size_t parse_limit(const std::string& text);
std::size_t parse_offset(const std::string& text);

// 4 or 6 comma-separated numbers in CRS84; a box whose west edge lies east
// of its east edge crosses the antimeridian and becomes two boxes.
std::vector<Box> parse_bbox(const std::string& text);

// The whole items request for one collection: bbox (and bbox-crs),
// datetime, limit, offset, f, filter (filter-lang, filter-crs), sortby,
// equality filters on the collection's properties; crs, properties and
// skipGeometry are checked here and read by parse_feature_output().
ItemQuery parse_items_query(const Collection& collection, const QueryParams& params, const crs::Catalog& catalog);

// How features are written: in which CRS, with which properties, with or
// without geometry.
struct FeatureOutput {
    const crs::Definition* crs = &crs::crs84();
    std::optional<std::vector<std::size_t>> properties;  // field positions in the order asked; nullopt: all
    bool skip_geometry = false;
};

// `crs`, `properties` and `skipGeometry` (items and a single item).
FeatureOutput parse_feature_output(const Collection& collection, const QueryParams& params);

// The parameters a single feature accepts.
void check_item_params(const QueryParams& params);

}  // namespace regiomap::api
