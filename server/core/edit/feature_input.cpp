#include "core/edit/feature_input.hpp"

#include <cmath>
#include <set>

#include <geodesic.h>

#include "core/clean_geometry.hpp"
#include "core/error.hpp"
#include "core/geojson_writer.hpp"
#include "core/ogr_geometry.hpp"
#include "core/utf8.hpp"

namespace regiomap::edit {

namespace {

using json = nlohmann::json;
using Problems = std::vector<Error::Problem>;

constexpr std::string_view kLengthField = "length_km";
constexpr std::string_view kAreaField = "area_km2";

std::string_view json_type_name(const json& value) {
    switch (value.type()) {
        case json::value_t::null:
            return "null";
        case json::value_t::boolean:
            return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
            return "an integer";
        case json::value_t::number_float:
            return "a number";
        case json::value_t::string:
            return "a string";
        case json::value_t::array:
            return "an array";
        case json::value_t::object:
            return "an object";
        default:
            return "a value";
    }
}

bool blank(const std::string& text) {
    return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

std::string quoted_list(const std::vector<std::string>& values) {
    std::string out;
    for (const std::string& value : values) {
        out += (out.empty() ? "" : ", ") + value;
    }
    return out;
}

std::string format_number(double value) {
    std::string text = std::to_string(value);
    text.erase(text.find_last_not_of('0') + 1);
    if (!text.empty() && text.back() == '.') {
        text.pop_back();
    }
    return text;
}

// A property value as the field's type; a problem (and nullopt) otherwise.
std::optional<Value> read_property(const FieldDef& field, const json& value, std::size_t max_string_bytes,
                                   Problems& problems) {
    const std::string where = "properties." + field.name;
    auto problem = [&](std::string message) {
        problems.push_back({where, std::move(message)});
        return std::nullopt;
    };
    if (value.is_null()) {
        if (field.required || is_provenance_field(field.name)) {
            return problem("is required; give a " + std::string(field_type_name(field.type)));
        }
        return Value{std::monostate{}};
    }
    Value out;
    switch (field.type) {
        case FieldType::string: {
            if (!value.is_string()) {
                return problem("must be a string, not " + std::string(json_type_name(value)));
            }
            const auto& text = value.get_ref<const std::string&>();
            if (text.size() > max_string_bytes) {
                return problem("is " + std::to_string(text.size()) + " bytes long; at most " +
                               std::to_string(max_string_bytes) + " are kept");
            }
            if ((field.required || is_provenance_field(field.name)) && blank(text)) {
                return problem("is required and may not be blank");
            }
            if (!field.allowed.empty() &&
                std::find(field.allowed.begin(), field.allowed.end(), text) == field.allowed.end()) {
                return problem("'" + text + "' is not one of the allowed values: " + quoted_list(field.allowed));
            }
            out = text;
            break;
        }
        case FieldType::integer:
            if (!value.is_number_integer()) {
                return problem("must be an integer, not " + std::string(json_type_name(value)));
            }
            if (value.is_number_unsigned() && value.get<std::uint64_t>() > std::uint64_t{INT64_MAX}) {
                return problem("is too large for a 64-bit integer");
            }
            out = value.get<std::int64_t>();
            break;
        case FieldType::real:
            if (!value.is_number()) {
                return problem("must be a number, not " + std::string(json_type_name(value)));
            }
            if (!std::isfinite(value.get<double>())) {
                return problem("must be a finite number");
            }
            out = value.get<double>();
            break;
        case FieldType::boolean:
            if (!value.is_boolean()) {
                return problem("must be true or false, not " + std::string(json_type_name(value)));
            }
            out = value.get<bool>();
            break;
        case FieldType::date:
        case FieldType::datetime: {
            const bool date = field.type == FieldType::date;
            auto parsed = value.is_string() ? parse_value(field.type, value.get_ref<const std::string&>())
                                            : std::optional<Value>{};
            if (!parsed) {
                return problem(date ? "must be a date, YYYY-MM-DD"
                                    : "must be an RFC 3339 date-time, e.g. 2020-06-10T08:00:00Z");
            }
            out = *parsed;
            break;
        }
    }
    if (field.minimum || field.maximum) {
        const double number = std::holds_alternative<std::int64_t>(out)
                                  ? static_cast<double>(std::get<std::int64_t>(out))
                              : std::holds_alternative<double>(out) ? std::get<double>(out)
                                                                    : 0.0;
        if (field.minimum && number < *field.minimum) {
            return problem("must be at least " + format_number(*field.minimum));
        }
        if (field.maximum && number > *field.maximum) {
            return problem("must be at most " + format_number(*field.maximum));
        }
    }
    return out;
}

// The CRS of a Content-Crs header, or null for CRS84.
std::unique_ptr<OGRSpatialReference> input_crs(const InputCrs& crs) {
    std::string uri = crs.uri;
    if (uri.size() >= 2 && uri.front() == '<' && uri.back() == '>') {
        uri = uri.substr(1, uri.size() - 2);
    }
    if (uri.empty() || uri == "http://www.opengis.net/def/crs/OGC/1.3/CRS84" || uri == "OGC:CRS84") {
        return nullptr;
    }
    auto srs = std::make_unique<OGRSpatialReference>();
    const std::string prefix = "http://www.opengis.net/def/crs/EPSG/0/";
    std::string code;
    if (uri.starts_with(prefix)) {
        code = uri.substr(prefix.size());
    } else if (uri.starts_with("EPSG:")) {
        code = uri.substr(5);
    }
    if (code.empty() || code.size() > 6 || code.find_first_not_of("0123456789") != std::string::npos ||
        srs->importFromEPSG(std::stoi(code)) != OGRERR_NONE) {
        throw Error(ErrorKind::bad_request, "Content-Crs '" + crs.uri +
                                                "' is not a CRS this server knows; use "
                                                "<http://www.opengis.net/def/crs/EPSG/0/CODE> or CRS84");
    }
    // EPSG axis order: EPSG:4326 and 4490 are latitude first, as the
    // standard says for a Content-Crs naming them.
    srs->SetAxisMappingStrategy(OAMS_AUTHORITY_COMPLIANT);
    return srs;
}

std::size_t vertex_count(const OGRGeometry& geometry) {
    std::size_t count = 0;
    const auto type = wkbFlatten(geometry.getGeometryType());
    if (type == wkbPoint) {
        return 1;
    }
    if (OGR_GT_IsSubClassOf(type, wkbCurve)) {
        return static_cast<std::size_t>(geometry.toSimpleCurve()->getNumPoints());
    }
    if (type == wkbPolygon) {
        for (const OGRLinearRing* ring : *geometry.toPolygon()) {
            count += static_cast<std::size_t>(ring->getNumPoints());
        }
        return count;
    }
    if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection)) {
        for (const OGRGeometry* part : *geometry.toGeometryCollection()) {
            count += vertex_count(*part);
        }
    }
    return count;
}

// GeoJSON's own checks before OGR sees it: OGR is lenient (it takes a
// point with one coordinate, or a string for a number).
void check_geojson_geometry(const json& geometry, Problems& problems, std::size_t depth = 0) {
    if (!geometry.is_object() || !geometry.contains("type") || !geometry["type"].is_string()) {
        problems.push_back({"geometry", "must be a GeoJSON geometry object with a \"type\""});
        return;
    }
    if (geometry.contains("crs")) {
        problems.push_back(
            {"geometry.crs", "GeoJSON has no \"crs\" member (RFC 7946); name the CRS with a Content-Crs header"});
    }
    const std::string& type = geometry["type"].get_ref<const std::string&>();
    if (type == "GeometryCollection") {
        problems.push_back({"geometry", "a GeometryCollection is not a geometry this server keeps"});
        return;
    }
    int nesting = type == "Point"                                  ? 0
                  : type == "LineString" || type == "MultiPoint"   ? 1
                  : type == "Polygon" || type == "MultiLineString" ? 2
                  : type == "MultiPolygon"                         ? 3
                                                                   : -1;
    if (nesting < 0) {
        problems.push_back({"geometry.type", "'" + type + "' is not a GeoJSON geometry type"});
        return;
    }
    if (!geometry.contains("coordinates")) {
        problems.push_back({"geometry.coordinates", "is missing"});
        return;
    }
    // Every position: an array of 2 (or 3) finite numbers, at the depth the type says.
    bool bad = false;
    auto check = [&](auto&& self, const json& node, int level) -> void {
        if (bad) {
            return;
        }
        if (level == 0) {
            if (!node.is_array() || node.size() < 2 || node.size() > 3) {
                bad = true;
                return;
            }
            for (const json& number : node) {
                if (!number.is_number() || !std::isfinite(number.get<double>())) {
                    bad = true;
                    return;
                }
            }
            return;
        }
        if (!node.is_array()) {
            bad = true;
            return;
        }
        for (const json& child : node) {
            self(self, child, level - 1);
        }
    };
    check(check, geometry["coordinates"], nesting);
    (void)depth;
    if (bad) {
        problems.push_back(
            {"geometry.coordinates", "must be " + std::string(type == "Point" ? "a position" : "arrays of positions") +
                                         " [x, y] of finite numbers, nested as a " + type + " is"});
    }
}

// Geodesic length (km) of every line, and area (km²) of every polygon,
// on the WGS 84 ellipsoid.
double geodesic_length_km(const Geometry& geometry) {
    geod_geodesic g{};
    geod_init(&g, 6378137, 1 / 298.257223563);
    double metres = 0;
    for (std::size_t i = 0; i < geometry.path_count(); ++i) {
        auto path = geometry.path(i);
        for (std::size_t k = 1; k < path.size(); ++k) {
            double s12 = 0;
            geod_inverse(&g, path[k - 1].y, path[k - 1].x, path[k].y, path[k].x, &s12, nullptr, nullptr);
            metres += s12;
        }
    }
    return metres / 1000;
}

double geodesic_area_km2(const Geometry& geometry) {
    geod_geodesic g{};
    geod_init(&g, 6378137, 1 / 298.257223563);
    double square_metres = 0;
    for (std::size_t i = 0; i < geometry.path_count(); ++i) {
        auto ring = geometry.path(i);
        std::vector<double> lats, lons;
        for (std::size_t k = 0; k + 1 < ring.size(); ++k) {  // without the closing vertex
            lats.push_back(ring[k].y);
            lons.push_back(ring[k].x);
        }
        double area = 0;
        geod_polygonarea(&g, lats.data(), lons.data(), static_cast<int>(lats.size()), &area, nullptr);
        square_metres += area;  // exteriors counter-clockwise (+), holes clockwise (−)
    }
    return std::abs(square_metres) / 1e6;
}

double round_to(double value, int digits) {
    const double scale = std::pow(10.0, digits);
    return std::round(value * scale) / scale;
}

void fill_derived(const CollectionMeta& meta, Feature& feature) {
    for (std::size_t i = 0; i < meta.fields.size(); ++i) {
        if (meta.fields[i].name == kLengthField) {
            feature.properties[i] = round_to(geodesic_length_km(feature.geometry), 3);
        } else if (meta.fields[i].name == kAreaField) {
            feature.properties[i] = round_to(geodesic_area_km2(feature.geometry), 4);
        }
    }
}

// A rejected geometry as the problem the client is told of, naming the
// member to correct.
Error::Problem geometry_problem(const CleanGeometry& clean, const InputCrs& crs) {
    switch (clean.rejection.value_or(GeometryRejection::unrepairable)) {
        case GeometryRejection::missing:
        case GeometryRejection::empty:
            return {"geometry.coordinates",
                    "hold no geometry once empty members, lines of fewer than 2 positions and rings of fewer than 4 "
                    "are left out"};
        case GeometryRejection::unsupported:
            return {"geometry.type", "is " + clean.problem + ", not a geometry this server keeps"};
        case GeometryRejection::non_finite:
            // clean_geometry says which: not a finite number, or a subnormal one
            // (before or after the transformation from the Content-Crs)
            return {"geometry.coordinates", "hold " + clean.problem};
        case GeometryRejection::not_transformable:
            return {"geometry.coordinates", "cannot be taken from " + crs.uri + " to CRS84: " + clean.problem};
        case GeometryRejection::outside_crs84:
            return {"geometry.coordinates",
                    "are not longitude/latitude (x from -180 to 180, y from -90 to 90): coordinates are CRS84 "
                    "unless a Content-Crs header names their CRS"};
        case GeometryRejection::unrepairable:
        case GeometryRejection::invalid:
            break;
    }
    return {"geometry.coordinates",
            "are not a valid simple-features geometry: " + clean.problem + "; correct it and send it again"};
}

gdal::GeometryPtr read_geometry(const json& geometry, const CollectionMeta& meta, const InputRules& rules,
                                Feature& feature, Problems& problems) {
    const std::size_t before = problems.size();
    check_geojson_geometry(geometry, problems);
    if (problems.size() != before) {
        return nullptr;
    }
    gdal::GeometryPtr ogr{OGRGeometryFactory::createFromGeoJson(geometry.dump().c_str())};
    if (!ogr) {
        problems.push_back({"geometry", "is not a GeoJSON geometry GDAL can read"});
        return nullptr;
    }
    if (ogr->IsEmpty()) {
        problems.push_back({"geometry.coordinates", "hold no position; every feature of this collection has one"});
        return nullptr;
    }
    if (vertex_count(*ogr) > rules.limits.max_vertices) {
        problems.push_back({"geometry.coordinates", "hold " + std::to_string(vertex_count(*ogr)) +
                                                        " positions; at most " +
                                                        std::to_string(rules.limits.max_vertices) + " are taken"});
        return nullptr;
    }
    gdal::TransformPtr transform;
    if (auto source_crs = input_crs(rules.crs)) {
        OGRSpatialReference crs84;
        crs84.SetWellKnownGeogCS("WGS84");
        crs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        transform.reset(OGRCreateCoordinateTransformation(source_crs.get(), &crs84));
        if (!transform) {
            problems.push_back({"geometry", "cannot be transformed from " + rules.crs.uri + " to CRS84"});
            return nullptr;
        }
    }
    // The loader's door, stricter: the client can correct what it sent,
    // so an invalid geometry is refused rather than repaired, and a
    // position PROJ would wrap into another place is refused too. Empty
    // members are dropped as for source data: they carry nothing.
    CleanRules strict;
    strict.repair_invalid = false;
    strict.exact_transform = true;
    CleanGeometry clean = clean_geometry(std::move(ogr), transform.get(), strict);
    if (!clean.geometry) {
        problems.push_back(geometry_problem(clean, rules.crs));
        return nullptr;
    }
    if (meta.geometry_type && clean.geometry->type != *meta.geometry_type) {
        problems.push_back({"geometry.type", "is " + std::string(geojson_type(clean.geometry->type)) +
                                                 "; the features of " + meta.id + " are " +
                                                 std::string(geojson_type(*meta.geometry_type)) + "s"});
        return nullptr;
    }
    const Box box = clean.geometry->bounds();
    const Box& plausible = rules.plausible_extent;
    if (!plausible.empty() && (box.min_x < plausible.min_x || box.max_x > plausible.max_x ||
                               box.min_y < plausible.min_y || box.max_y > plausible.max_y)) {
        problems.push_back({"geometry.coordinates",
                            "lie outside the area this data set covers (" + format_number(plausible.min_x) + "," +
                                format_number(plausible.min_y) + " to " + format_number(plausible.max_x) + "," +
                                format_number(plausible.max_y) + " in CRS84); check the order is longitude, latitude"});
        return nullptr;
    }
    feature.geometry = std::move(*clean.geometry);
    // The source of record gets what the store serves, not the body as sent.
    return to_ogr(feature.geometry);
}

}  // namespace

bool is_derived_field(std::string_view name) {
    return name == kLengthField || name == kAreaField;
}

bool is_provenance_field(std::string_view name) {
    return name == "geom_quality" || name == "geom_source" || name == "uncertainty_m";
}

nlohmann::json parse_json_body(std::string_view body, std::size_t max_depth) {
    try {
        // The callback sees each nesting level as it opens: a document
        // nested deeper than allowed stops there, before it is built.
        return json::parse(body, [max_depth](int depth, json::parse_event_t event, json&) {
            if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
                static_cast<std::size_t>(depth) >= max_depth) {
                throw Error(ErrorKind::bad_request, "the body is nested more than " + std::to_string(max_depth) +
                                                        " levels deep; a feature needs far fewer");
            }
            return true;
        });
    } catch (const json::parse_error& error) {
        // nlohmann's message names the byte and what was wrong (invalid
        // UTF-8 included); it quotes at most a few bytes of the body.
        std::string what = error.what();
        if (auto at = what.find("parse error"); at != std::string::npos) {
            what = what.substr(at);
        }
        throw Error(ErrorKind::bad_request, "the body is not valid JSON: " + repair_utf8(what));
    } catch (const json::out_of_range& error) {
        // A number no double holds (1e400): nlohmann says so as a range
        // error, quoting the number.
        std::string what = error.what();
        if (auto at = what.find("number overflow"); at != std::string::npos) {
            what = what.substr(at);
        }
        throw Error(ErrorKind::bad_request, "the body is not valid JSON: " + repair_utf8(what));
    }
}

FeatureInput read_feature_input(const nlohmann::json& body, const CollectionMeta& meta, const InputRules& rules) {
    if (!body.is_object() || !body.contains("type") || body["type"] != "Feature") {
        throw Error(
            ErrorKind::bad_request,
            "the body must be a GeoJSON Feature: {\"type\": \"Feature\", \"geometry\": …, \"properties\": {…}}");
    }
    Problems problems;
    FeatureInput input;
    for (const auto& [member, value] : body.items()) {
        if (member != "type" && member != "id" && member != "geometry" && member != "properties" && member != "links" &&
            member != "bbox") {
            problems.push_back({member, "is not a member of a GeoJSON feature this server takes"});
        }
    }
    if (body.contains("id")) {
        const json& id = body["id"];
        if (id.is_number_integer()) {
            input.body_id = std::to_string(id.get<std::int64_t>());
        } else if (id.is_string()) {
            input.body_id = id.get<std::string>();
        } else {
            problems.push_back({"id", "must be a string or an integer"});
        }
    }
    if (!body.contains("geometry") || body["geometry"].is_null()) {
        problems.push_back({"geometry", "is required: every feature of " + meta.id + " has a position"});
    } else {
        input.source_geometry = read_geometry(body["geometry"], meta, rules, input.feature, problems);
    }
    const json empty = json::object();
    const json& properties = body.contains("properties") ? body["properties"] : empty;
    if (!properties.is_object()) {
        problems.push_back({"properties", "must be an object"});
    } else {
        for (const auto& [name, value] : properties.items()) {
            const std::string& key = name;  // clang 14 cannot capture a structured binding
            const bool known = std::any_of(meta.fields.begin(), meta.fields.end(),
                                           [&](const FieldDef& field) { return field.name == key; });
            if (!known) {
                problems.push_back({"properties." + name, "is not a field of " + meta.id});
            } else if (is_derived_field(name)) {
                problems.push_back({"properties." + name, "is computed from the geometry (read-only); leave it out"});
            }
        }
        input.feature.properties.reserve(meta.fields.size());
        for (const FieldDef& field : meta.fields) {
            if (is_derived_field(field.name)) {
                input.feature.properties.emplace_back(std::monostate{});
                continue;
            }
            const bool given = properties.contains(field.name);
            if (!given && (field.required || is_provenance_field(field.name))) {
                problems.push_back({"properties." + field.name,
                                    is_provenance_field(field.name)
                                        ? "is required: every geometry carries its provenance (geom_quality, "
                                          "geom_source, uncertainty_m)"
                                        : "is required"});
                input.feature.properties.emplace_back(std::monostate{});
                continue;
            }
            auto value = given ? read_property(field, properties[field.name], rules.limits.max_string_bytes, problems)
                               : std::optional<Value>{std::monostate{}};
            input.feature.properties.push_back(value.value_or(Value{std::monostate{}}));
        }
    }
    if (!problems.empty()) {
        std::string message = "the feature is not valid for " + meta.id + ": ";
        for (std::size_t i = 0; i < problems.size(); ++i) {
            message += (i ? "; " : "") + problems[i].field + " " + problems[i].message;
        }
        throw Error(ErrorKind::unprocessable, message, std::move(problems));
    }
    fill_derived(meta, input.feature);
    return input;
}

void check_merge_patch(const nlohmann::json& patch, const CollectionMeta& meta, std::int64_t feature_id) {
    if (!patch.is_object()) {
        throw Error(ErrorKind::bad_request, "a JSON Merge Patch (RFC 7396) of a feature is an object");
    }
    Problems problems;
    for (const auto& [member, value] : patch.items()) {
        if (member == "id") {
            const bool same = (value.is_number_integer() && value.get<std::int64_t>() == feature_id) ||
                              (value.is_string() && value.get<std::string>() == std::to_string(feature_id));
            if (!same) {
                problems.push_back({"id", "is " + value.dump() + " but the URL names feature " +
                                              std::to_string(feature_id) + "; ids cannot be changed"});
            }
        } else if (member == "type") {
            if (value != "Feature") {
                problems.push_back({"type", "must stay \"Feature\""});
            }
        } else if (member == "properties") {
            if (!value.is_object()) {
                problems.push_back({"properties", "must be an object"});
                continue;
            }
            for (const auto& [name, _] : value.items()) {
                const std::string& key = name;  // clang 14 cannot capture a structured binding
                const bool known = std::any_of(meta.fields.begin(), meta.fields.end(),
                                               [&](const FieldDef& field) { return field.name == key; });
                if (!known) {
                    problems.push_back({"properties." + name, "is not a field of " + meta.id});
                } else if (is_derived_field(name)) {
                    problems.push_back(
                        {"properties." + name, "is computed from the geometry (read-only); leave it out"});
                }
            }
        } else if (member != "geometry") {
            problems.push_back({member, "is not a member of a feature this server takes"});
        }
    }
    if (!problems.empty()) {
        std::string message = "the patch cannot apply to " + meta.id + "/" + std::to_string(feature_id) + ": ";
        for (std::size_t i = 0; i < problems.size(); ++i) {
            message += (i ? "; " : "") + problems[i].field + " " + problems[i].message;
        }
        throw Error(ErrorKind::unprocessable, message, std::move(problems));
    }
}

nlohmann::json feature_json(const CollectionMeta& meta, const Feature& feature, bool writable_only) {
    JsonBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    write_feature_members(writer, meta, feature);
    writer.EndObject();
    json out = json::parse(std::string_view(buffer.GetString(), buffer.GetSize()));
    if (writable_only && out.contains("properties") && out["properties"].is_object()) {
        for (const FieldDef& field : meta.fields) {
            if (is_derived_field(field.name)) {
                out["properties"].erase(field.name);
            }
        }
    }
    return out;
}

}  // namespace regiomap::edit
