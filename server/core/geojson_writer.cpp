#include "core/geojson_writer.hpp"

#include <charconv>
#include <string_view>

namespace regiomap {

namespace {

void write_string(JsonWriter& json, std::string_view text) {
    json.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

// Coordinates are most of a page: std::to_chars (shortest round-trip, Ryu
// in libstdc++) formats them faster than rapidjson's Grisu2, and exactly.
void write_number(JsonWriter& json, double value) {
    char text[32];
    auto [end, ec] = std::to_chars(text, text + sizeof text, value);
    json.RawValue(text, static_cast<std::size_t>(end - text), rapidjson::kNumberType);
}

void write_position(JsonWriter& json, const Coord& c) {
    json.StartArray();
    write_number(json, c.x);
    write_number(json, c.y);
    json.EndArray();
}

void write_path(JsonWriter& json, std::span<const Coord> path) {
    json.StartArray();
    for (const Coord& c : path) {
        write_position(json, c);
    }
    json.EndArray();
}

// Rings [first_ring, end_ring) of one polygon.
void write_polygon(JsonWriter& json, const Geometry& g, std::size_t first_ring, std::size_t end_ring) {
    json.StartArray();
    for (std::size_t ring = first_ring; ring < end_ring; ++ring) {
        write_path(json, g.path(ring));
    }
    json.EndArray();
}

}  // namespace

std::string_view geojson_type(GeometryType type) {
    switch (type) {
        case GeometryType::point:
            return "Point";
        case GeometryType::line_string:
            return "LineString";
        case GeometryType::polygon:
            return "Polygon";
        case GeometryType::multi_point:
            return "MultiPoint";
        case GeometryType::multi_line_string:
            return "MultiLineString";
        case GeometryType::multi_polygon:
            return "MultiPolygon";
    }
    return "GeometryCollection";
}

void write_geometry(JsonWriter& json, const Geometry& g) {
    if (g.empty()) {
        json.Null();
        return;
    }
    json.StartObject();
    json.Key("type");
    write_string(json, geojson_type(g.type));
    json.Key("coordinates");
    switch (g.type) {
        case GeometryType::point:
            write_position(json, g.coords.front());
            break;
        case GeometryType::line_string:
            write_path(json, g.path(0));
            break;
        case GeometryType::multi_point:
            json.StartArray();
            for (const Coord& c : g.coords) {
                write_position(json, c);
            }
            json.EndArray();
            break;
        case GeometryType::multi_line_string:
            json.StartArray();
            for (std::size_t i = 0; i < g.path_count(); ++i) {
                write_path(json, g.path(i));
            }
            json.EndArray();
            break;
        case GeometryType::polygon:
            write_polygon(json, g, 0, g.path_count());
            break;
        case GeometryType::multi_polygon: {
            json.StartArray();
            std::size_t first_ring = 0;
            for (std::uint32_t end_ring : g.polygon_ends) {
                write_polygon(json, g, first_ring, end_ring);
                first_ring = end_ring;
            }
            json.EndArray();
            break;
        }
    }
    json.EndObject();
}

void write_value(JsonWriter& json, const Value& value) {
    struct Visitor {
        JsonWriter& json;
        void operator()(std::monostate) const { json.Null(); }
        void operator()(bool b) const { json.Bool(b); }
        void operator()(std::int64_t i) const { json.Int64(i); }
        void operator()(double d) const { json.Double(d); }
        void operator()(const std::string& s) const { write_string(json, s); }
        void operator()(Date d) const { write_string(json, format_date(d.days)); }
        void operator()(DateTime t) const { write_string(json, format_datetime(t.ms)); }
    };
    std::visit(Visitor{json}, value);
}

void write_properties(JsonWriter& json, const CollectionMeta& meta, const Feature& feature) {
    json.StartObject();
    for (std::size_t i = 0; i < meta.fields.size(); ++i) {
        const std::string& name = meta.fields[i].name;
        json.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
        write_value(json, feature.properties[i]);
    }
    json.EndObject();
}

void write_feature_members(JsonWriter& json, const CollectionMeta& meta, const Feature& feature,
                           const FeatureWriteOptions& options) {
    json.Key("type");
    json.String("Feature");
    json.Key("id");
    json.Int64(feature.id);
    json.Key("geometry");
    if (options.skip_geometry) {
        json.Null();
    } else {
        write_geometry(json, options.geometry ? *options.geometry : feature.geometry);
    }
    json.Key("properties");
    if (!options.fields) {
        write_properties(json, meta, feature);
        return;
    }
    json.StartObject();
    for (std::size_t i : *options.fields) {
        const std::string& name = meta.fields[i].name;
        json.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
        write_value(json, feature.properties[i]);
    }
    json.EndObject();
}

}  // namespace regiomap
