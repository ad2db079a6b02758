#include "api/ogc_params.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/cql2/filter.hpp"
#include "core/cql2/parser.hpp"
#include "core/error.hpp"

namespace regiomap::api {

namespace {

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) {
        out += out.empty() ? "" : ", ";
        out += name;
    }
    return out;
}

bool all_digits(std::string_view text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// A non-negative integer; values too large for size_t saturate, since for
// limit and offset "very large" has a well-defined meaning.
std::optional<std::size_t> parse_count(std::string_view text) {
    if (text.starts_with('+')) {
        text.remove_prefix(1);
    }
    if (!all_digits(text)) {
        return std::nullopt;
    }
    std::size_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range) {
        return std::numeric_limits<std::size_t>::max();
    }
    return value;
}

}  // namespace

const std::string* single_param(const QueryParams& params, std::string_view name) {
    const std::string* found = nullptr;
    for (const auto& [key, value] : params) {
        if (key != name) {
            continue;
        }
        if (found && *found != value) {
            throw Error::bad_parameter(std::string(name), "given more than once with different values (" +
                                                              quoted(*found) + " and " + quoted(value) + ")");
        }
        found = &value;
    }
    return found;
}

void reject_unknown_params(const QueryParams& params, const std::vector<std::string>& allowed) {
    for (const auto& [key, value] : params) {
        bool known = false;
        for (const auto& name : allowed) {
            known = known || name == key;
        }
        if (!known) {
            throw Error(ErrorKind::bad_request,
                        "unknown query parameter " + quoted(key) + "; this resource accepts: " + join(allowed));
        }
    }
}

Format parse_format(const QueryParams& params, bool features, bool html) {
    const std::string* f = single_param(params, ogc::format);
    if (!f) {
        return features ? Format::geojson : Format::json;
    }
    if (*f == "json") {
        return Format::json;
    }
    if (features && *f == "geojson") {
        return Format::geojson;
    }
    if (html && *f == "html") {
        return Format::html;
    }
    std::string allowed = features ? "'json', 'geojson'" : "'json'";
    allowed += html ? " or 'html'" : "";
    throw Error::bad_parameter("f", quoted(*f) + " is not a supported format; use " + allowed);
}

std::size_t parse_limit(const std::string& text) {
    auto value = parse_count(text);
    if (!value || *value < 1) {
        throw Error::bad_parameter("limit", quoted(text) + " is not an integer from 1 to " +
                                                std::to_string(ogc::max_limit) +
                                                " (larger values are reduced to the maximum)");
    }
    return std::min(*value, ogc::max_limit);
}

std::size_t parse_offset(const std::string& text) {
    auto value = parse_count(text);
    if (!value) {
        throw Error::bad_parameter("offset", quoted(text) + " is not a non-negative integer");
    }
    return *value;
}

namespace {

// 4 or 6 finite comma-separated numbers; `axes` names them for the error.
std::vector<double> bbox_numbers(const std::string& text, const std::string& axes) {
    std::vector<double> numbers;
    std::size_t start = 0;
    while (true) {
        std::size_t comma = text.find(',', start);
        std::string_view part =
            std::string_view(text).substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        double number = 0;
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), number);
        if (part.empty() || ec != std::errc{} || end != part.data() + part.size() || !std::isfinite(number)) {
            throw Error::bad_parameter("bbox",
                                       quoted(std::string(part)) + " is not a finite number (bbox is " + axes + ")");
        }
        numbers.push_back(number);
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    if (numbers.size() != 4 && numbers.size() != 6) {
        throw Error::bad_parameter("bbox", "has " + std::to_string(numbers.size()) + " numbers; give 4 (" + axes +
                                               ") or 6 (with a minimum and maximum height)");
    }
    return numbers;
}

}  // namespace

std::vector<Box> parse_bbox(const std::string& text) {
    const std::vector<double> numbers = bbox_numbers(text, "minLon,minLat,maxLon,maxLat in CRS84");
    const bool three_d = numbers.size() == 6;
    const double west = numbers[0];
    const double south = numbers[1];
    const double east = numbers[three_d ? 3 : 2];
    const double north = numbers[three_d ? 4 : 3];
    for (double lon : {west, east}) {
        if (lon < -180 || lon > 180) {
            throw Error::bad_parameter("bbox", "longitude " + std::to_string(lon) + " is outside -180..180");
        }
    }
    for (double lat : {south, north}) {
        if (lat < -90 || lat > 90) {
            throw Error::bad_parameter("bbox", "latitude " + std::to_string(lat) + " is outside -90..90");
        }
    }
    if (south > north) {
        throw Error::bad_parameter("bbox", "its southern edge (" + std::to_string(south) +
                                               ") lies north of its northern edge (" + std::to_string(north) + ")");
    }
    if (three_d && numbers[2] > numbers[5]) {
        throw Error::bad_parameter("bbox", "its minimum height exceeds its maximum height");
    }
    if (west <= east) {
        return {Box{west, south, east, north}};
    }
    // Crosses the antimeridian: the part east of `west` and the part west of `east`.
    return {Box{west, south, 180, north}, Box{-180, south, east, north}};
}

namespace ogc {
bool is_reserved(std::string_view name) {
    return std::find(std::begin(reserved), std::end(reserved), name) != std::end(reserved);
}
}  // namespace ogc

namespace {

const crs::Definition& parse_crs(const QueryParams& params, std::string_view name) {
    const std::string* uri = single_param(params, name);
    if (!uri) {
        return crs::crs84();
    }
    const crs::Definition* found = crs::find(*uri);
    if (!found) {
        throw Error::bad_parameter(std::string(name),
                                   quoted(*uri) + " is not a supported CRS; use one of: " + crs::supported_list());
    }
    return *found;
}

// The ring of a box's edges, 32 points each, closed.
std::vector<Coord> densified_box(double x0, double y0, double x1, double y1) {
    constexpr int steps = 32;
    const Coord corners[] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
    std::vector<Coord> ring;
    for (int edge = 0; edge < 4; ++edge) {
        for (int k = 0; k < steps; ++k) {
            const double t = static_cast<double>(k) / steps;
            ring.push_back({corners[edge].x + t * (corners[edge + 1].x - corners[edge].x),
                            corners[edge].y + t * (corners[edge + 1].y - corners[edge].y)});
        }
    }
    ring.push_back(ring.front());
    return ring;
}

// `bbox` in another CRS than CRS84 (`bbox-crs`), in that CRS's axis order.
// A geographic CRS's box is still a box in CRS84 (its corners transformed);
// a projected CRS's box is a curved shape in CRS84: its densified edges
// become a polygon that features must intersect.
void parse_bbox_in(const std::string& text, const crs::Definition& definition, const crs::Catalog& catalog,
                   ItemQuery& query) {
    const std::string axes = "the box's lower and upper corner in " + std::string(definition.uri) + ", axes in " +
                             (definition.geographic ? "its order" : "its order, in metres");
    const std::vector<double> numbers = bbox_numbers(text, axes);
    const bool three_d = numbers.size() == 6;
    const double x0 = numbers[0], y0 = numbers[1];
    const double x1 = numbers[three_d ? 3 : 2], y1 = numbers[three_d ? 4 : 3];
    const crs::Transformer transformer(catalog, definition);
    if (definition.geographic) {
        std::vector<Coord> corners{{x0, y0}, {x1, y1}};
        if (!transformer.inverse(corners)) {
            throw Error::bad_parameter("bbox", "its corners lie outside " + std::string(definition.uri));
        }
        // Reuse the CRS84 rules (ranges, antimeridian) on the transformed corners.
        char buffer[128];
        std::snprintf(buffer, sizeof buffer, "%.17g,%.17g,%.17g,%.17g", corners[0].x, corners[0].y, corners[1].x,
                      corners[1].y);
        query.boxes = parse_bbox(buffer);
        return;
    }
    if (x0 > x1 || y0 > y1) {
        throw Error::bad_parameter("bbox", "its lower corner lies above or right of its upper corner");
    }
    Geometry polygon;
    polygon.type = GeometryType::polygon;
    polygon.coords = densified_box(x0, y0, x1, y1);
    polygon.path_ends = {static_cast<std::uint32_t>(polygon.coords.size())};
    polygon.polygon_ends = {1};
    if (!transformer.inverse(polygon.coords)) {
        throw Error::bad_parameter("bbox",
                                   "it lies outside the area where " + std::string(definition.uri) + " is defined");
    }
    orient_rings_rfc7946(polygon);
    try {
        query.predicates.push_back(cql2::intersects_polygon(polygon));
    } catch (const std::invalid_argument& error) {
        throw Error::bad_parameter("bbox", std::string("in CRS84 it is not a valid polygon: ") + error.what());
    }
}

std::shared_ptr<const FeaturePredicate> parse_filter(const Collection& collection, const QueryParams& params,
                                                     const std::string& text, const crs::Catalog& catalog) {
    const std::string* lang = single_param(params, ogc::filter_lang);
    if (lang && *lang != ogc::cql2_text && *lang != ogc::cql2_json) {
        throw Error::bad_parameter(std::string(ogc::filter_lang),
                                   quoted(*lang) + " is not supported; use 'cql2-text' (the default) or 'cql2-json'");
    }
    const crs::Definition& definition = parse_crs(params, ogc::filter_crs);
    std::optional<crs::Transformer> transformer;
    cql2::LiteralCrs literal_crs;
    if (&definition != &crs::crs84()) {
        transformer.emplace(catalog, definition);
        literal_crs.geographic = definition.geographic;
        literal_crs.to_crs84 = [&](std::span<Coord> coords) {
            if (!transformer->inverse(coords)) {
                throw cql2::FilterError("a geometry lies outside the area where " + std::string(definition.uri) +
                                        " is defined");
            }
        };
    }
    try {
        const cql2::Expression expression =
            lang && *lang == ogc::cql2_json ? cql2::parse_json(text) : cql2::parse_text(text);
        return std::make_shared<cql2::Filter>(expression, collection.meta(), literal_crs);
    } catch (const cql2::FilterError& error) {
        throw Error::bad_parameter(std::string(ogc::filter), error.what());
    }
}

std::vector<SortKey> parse_sortby(const Collection& collection, const std::string& text) {
    std::vector<SortKey> keys;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        std::string_view item =
            std::string_view(text).substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        start = comma == std::string::npos ? text.size() + 1 : comma + 1;
        SortKey key;
        // '+' arrives as a space when a client did not percent-encode it.
        if (!item.empty() && (item.front() == '+' || item.front() == ' ')) {
            item.remove_prefix(1);
        } else if (!item.empty() && item.front() == '-') {
            key.descending = true;
            item.remove_prefix(1);
        }
        if (item == "id") {
            keys.push_back(key);
            continue;
        }
        key.field = collection.field_index(item);
        if (!key.field) {
            std::string allowed = "id";
            for (const FieldDef& field : collection.meta().fields) {
                allowed += ", " + field.name;
            }
            throw Error::bad_parameter(std::string(ogc::sortby),
                                       quoted(std::string(item)) +
                                           " is not a property of this collection; sort by one of: " + allowed +
                                           " (prefix '-' for descending order, e.g. sortby=-id)");
        }
        keys.push_back(key);
    }
    return keys;
}

std::vector<std::string> output_params() {
    return {std::string(ogc::format), std::string(ogc::crs), std::string(ogc::properties),
            std::string(ogc::skip_geometry)};
}

}  // namespace

ItemQuery parse_items_query(const Collection& collection, const QueryParams& params, const crs::Catalog& catalog) {
    std::vector<std::string> allowed = output_params();
    for (std::string_view name : {ogc::limit, ogc::offset, ogc::bbox, ogc::bbox_crs, ogc::datetime, ogc::filter,
                                  ogc::filter_lang, ogc::filter_crs, ogc::sortby}) {
        allowed.emplace_back(name);
    }
    for (const FieldDef& field : collection.meta().fields) {
        if (!ogc::is_reserved(field.name)) {
            allowed.push_back(field.name);
        }
    }
    reject_unknown_params(params, allowed);
    parse_format(params, true, true);
    parse_feature_output(collection, params);

    ItemQuery query;
    if (const auto* limit = single_param(params, ogc::limit)) {
        query.limit = parse_limit(*limit);
    }
    if (const auto* offset = single_param(params, ogc::offset)) {
        query.offset = parse_offset(*offset);
    }
    const crs::Definition& bbox_crs = parse_crs(params, ogc::bbox_crs);
    if (const auto* bbox = single_param(params, ogc::bbox)) {
        if (&bbox_crs == &crs::crs84()) {
            query.boxes = parse_bbox(*bbox);
        } else {
            parse_bbox_in(*bbox, bbox_crs, catalog, query);
        }
    }
    if (const auto* datetime = single_param(params, ogc::datetime)) {
        // Parsed (and refused when malformed) even where the collection has
        // no date field; Collection::query then lets every feature pass.
        query.datetime = parse_datetime_parameter(*datetime);
    }
    if (const auto* filter = single_param(params, ogc::filter)) {
        query.predicates.push_back(parse_filter(collection, params, *filter, catalog));
    } else if (single_param(params, ogc::filter_lang) || single_param(params, ogc::filter_crs)) {
        throw Error::bad_parameter(
            single_param(params, ogc::filter_lang) ? std::string(ogc::filter_lang) : std::string(ogc::filter_crs),
            "given without a 'filter'");
    }
    if (const auto* sortby = single_param(params, ogc::sortby)) {
        query.sort = parse_sortby(collection, *sortby);
    }
    // Property filters: fields whose names are not reserved OGC parameters.
    for (std::size_t i = 0; i < collection.meta().fields.size(); ++i) {
        const FieldDef& field = collection.meta().fields[i];
        if (ogc::is_reserved(field.name)) {
            continue;
        }
        const auto* text = single_param(params, field.name);
        if (!text) {
            continue;
        }
        auto value = parse_value(field.type, *text);
        if (!value) {
            throw Error::bad_parameter(field.name, quoted(*text) + " is not a valid " +
                                                       std::string(field_type_name(field.type)) +
                                                       " value for this property");
        }
        query.properties.push_back({i, std::move(*value)});
    }
    return query;
}

FeatureOutput parse_feature_output(const Collection& collection, const QueryParams& params) {
    FeatureOutput output;
    output.crs = &parse_crs(params, ogc::crs);
    if (const auto* skip = single_param(params, ogc::skip_geometry)) {
        if (*skip != "true" && *skip != "false") {
            throw Error::bad_parameter(std::string(ogc::skip_geometry), quoted(*skip) + " is not 'true' or 'false'");
        }
        output.skip_geometry = *skip == "true";
    }
    if (const auto* names = single_param(params, ogc::properties)) {
        std::vector<std::size_t> fields;
        std::size_t start = 0;
        while (!names->empty() && start <= names->size()) {
            std::size_t comma = names->find(',', start);
            std::string_view name =
                std::string_view(*names).substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            start = comma == std::string::npos ? names->size() + 1 : comma + 1;
            auto field = collection.field_index(name);
            if (!field) {
                std::string allowed;
                for (const FieldDef& f : collection.meta().fields) {
                    allowed += (allowed.empty() ? "" : ", ") + f.name;
                }
                throw Error::bad_parameter(
                    std::string(ogc::properties),
                    quoted(std::string(name)) + " is not a property of this collection; choose from: " + allowed);
            }
            if (std::find(fields.begin(), fields.end(), *field) == fields.end()) {
                fields.push_back(*field);
            }
        }
        output.properties = std::move(fields);
    }
    return output;
}

void check_item_params(const QueryParams& params) {
    reject_unknown_params(params, output_params());
}

}  // namespace regiomap::api
