#include "api/ogc_params.hpp"

#include <charconv>
#include <cmath>

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

Format parse_format(const QueryParams& params, bool features) {
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
    throw Error::bad_parameter(
        "f", quoted(*f) + " is not a supported format; use " + (features ? "'json' or 'geojson'" : "'json'"));
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

std::vector<Box> parse_bbox(const std::string& text) {
    std::vector<double> numbers;
    std::size_t start = 0;
    while (true) {
        std::size_t comma = text.find(',', start);
        std::string_view part =
            std::string_view(text).substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        double number = 0;
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), number);
        if (part.empty() || ec != std::errc{} || end != part.data() + part.size() || !std::isfinite(number)) {
            throw Error::bad_parameter(
                "bbox",
                quoted(std::string(part)) + " is not a finite number (bbox is minLon,minLat,maxLon,maxLat in CRS84)");
        }
        numbers.push_back(number);
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    if (numbers.size() != 4 && numbers.size() != 6) {
        throw Error::bad_parameter("bbox", "has " + std::to_string(numbers.size()) +
                                               " numbers; give 4 (minLon,minLat,maxLon,maxLat) or 6 "
                                               "(minLon,minLat,minHeight,maxLon,maxLat,maxHeight)");
    }
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

ItemQuery parse_items_query(const Collection& collection, const QueryParams& params) {
    std::vector<std::string> allowed{std::string(ogc::format), std::string(ogc::limit), std::string(ogc::offset),
                                     std::string(ogc::bbox), std::string(ogc::datetime)};
    for (const FieldDef& field : collection.meta().fields) {
        allowed.push_back(field.name);
    }
    reject_unknown_params(params, allowed);
    parse_format(params, true);

    ItemQuery query;
    if (const auto* limit = single_param(params, ogc::limit)) {
        query.limit = parse_limit(*limit);
    }
    if (const auto* offset = single_param(params, ogc::offset)) {
        query.offset = parse_offset(*offset);
    }
    if (const auto* bbox = single_param(params, ogc::bbox)) {
        query.boxes = parse_bbox(*bbox);
    }
    if (const auto* datetime = single_param(params, ogc::datetime)) {
        // Parsed (and refused when malformed) even where the collection has
        // no date field; Collection::query then lets every feature pass.
        query.datetime = parse_datetime_parameter(*datetime);
    }
    // Property filters: fields whose names are not reserved OGC parameters.
    for (std::size_t i = 0; i < collection.meta().fields.size(); ++i) {
        const FieldDef& field = collection.meta().fields[i];
        if (field.name == ogc::format || field.name == ogc::limit || field.name == ogc::offset ||
            field.name == ogc::bbox || field.name == ogc::datetime) {
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

}  // namespace regiomap::api
