#include "core/mvt_encoder.hpp"

#include <protozero/pbf_writer.hpp>

namespace regiomap {

namespace {

// Field numbers of vector_tile.proto (MVT 2.1).
namespace tile_field {
constexpr protozero::pbf_tag_type layers = 3;
}
namespace layer_field {
constexpr protozero::pbf_tag_type name = 1;
constexpr protozero::pbf_tag_type features = 2;
constexpr protozero::pbf_tag_type keys = 3;
constexpr protozero::pbf_tag_type values = 4;
constexpr protozero::pbf_tag_type extent = 5;
constexpr protozero::pbf_tag_type version = 15;
}  // namespace layer_field
namespace feature_field {
constexpr protozero::pbf_tag_type id = 1;
constexpr protozero::pbf_tag_type tags = 2;
constexpr protozero::pbf_tag_type type = 3;
constexpr protozero::pbf_tag_type geometry = 4;
}  // namespace feature_field
namespace value_field {
constexpr protozero::pbf_tag_type string_value = 1;
constexpr protozero::pbf_tag_type double_value = 3;
constexpr protozero::pbf_tag_type uint_value = 5;
constexpr protozero::pbf_tag_type sint_value = 6;
constexpr protozero::pbf_tag_type bool_value = 7;
}  // namespace value_field

constexpr std::uint32_t move_to = 1;
constexpr std::uint32_t line_to = 2;
constexpr std::uint32_t close_path = 7;

std::uint32_t command(std::uint32_t id, std::size_t count) { return (id & 0x7) | (static_cast<std::uint32_t>(count) << 3); }
std::uint32_t zigzag(std::int32_t n) {
    return (static_cast<std::uint32_t>(n) << 1) ^ static_cast<std::uint32_t>(n >> 31);
}

// Encodes a Value message for the value table; nothing for null.
std::string encode_value(const Value& value) {
    std::string out;
    protozero::pbf_writer writer(out);
    struct Visitor {
        protozero::pbf_writer& w;
        void operator()(std::monostate) const {}
        void operator()(bool b) const { w.add_bool(value_field::bool_value, b); }
        void operator()(std::int64_t i) const {
            if (i >= 0) {
                w.add_uint64(value_field::uint_value, static_cast<std::uint64_t>(i));
            } else {
                w.add_sint64(value_field::sint_value, i);
            }
        }
        void operator()(double d) const { w.add_double(value_field::double_value, d); }
        void operator()(const std::string& s) const { w.add_string(value_field::string_value, s); }
        void operator()(Date d) const { w.add_string(value_field::string_value, format_date(d.days)); }
        void operator()(DateTime t) const { w.add_string(value_field::string_value, format_datetime(t.ms)); }
    };
    std::visit(Visitor{writer}, value);
    return out;
}

}  // namespace

std::vector<std::uint32_t> encode_geometry(const TileGeometry& geometry) {
    std::vector<std::uint32_t> commands;
    GridPoint cursor{0, 0};
    auto delta = [&](const GridPoint& p) {
        commands.push_back(zigzag(p.x - cursor.x));
        commands.push_back(zigzag(p.y - cursor.y));
        cursor = p;
    };
    if (geometry.type == TileGeometryType::point) {
        const auto& pts = geometry.parts.front();
        commands.push_back(command(move_to, pts.size()));
        for (const GridPoint& p : pts) {
            delta(p);
        }
        return commands;
    }
    for (const auto& part : geometry.parts) {
        commands.push_back(command(move_to, 1));
        delta(part[0]);
        commands.push_back(command(line_to, part.size() - 1));
        for (std::size_t i = 1; i < part.size(); ++i) {
            delta(part[i]);
        }
        if (geometry.type == TileGeometryType::polygon) {
            commands.push_back(command(close_path, 1));
        }
    }
    return commands;
}

std::uint32_t MvtLayerBuilder::key_index(std::string_view key) {
    auto it = keys_.find(key);
    if (it != keys_.end()) {
        return it->second;
    }
    auto index = static_cast<std::uint32_t>(key_order_.size());
    auto inserted = keys_.emplace(std::string(key), index).first;
    key_order_.push_back(inserted->first);
    return index;
}

std::uint32_t MvtLayerBuilder::value_index(const Value& value) {
    std::string encoded = encode_value(value);
    auto [it, inserted] = values_.emplace(std::move(encoded), static_cast<std::uint32_t>(value_order_.size()));
    if (inserted) {
        value_order_.push_back(&it->first);
    }
    return it->second;
}

void MvtLayerBuilder::add_feature(std::int64_t id, const TileGeometry& geometry,
                                  const std::vector<std::pair<std::string_view, const Value*>>& properties) {
    std::vector<std::uint32_t> tags;
    tags.reserve(properties.size() * 2);
    for (const auto& [key, value] : properties) {
        if (std::holds_alternative<std::monostate>(*value)) {
            continue;
        }
        tags.push_back(key_index(key));
        tags.push_back(value_index(*value));
    }
    const auto commands = encode_geometry(geometry);

    std::string encoded;
    {
        protozero::pbf_writer feature(encoded);
        if (id >= 0) {
            feature.add_uint64(feature_field::id, static_cast<std::uint64_t>(id));
        }
        feature.add_packed_uint32(feature_field::tags, tags.begin(), tags.end());
        feature.add_enum(feature_field::type, static_cast<std::int32_t>(geometry.type));
        feature.add_packed_uint32(feature_field::geometry, commands.begin(), commands.end());
    }
    protozero::pbf_writer features(features_);
    features.add_message(layer_field::features, encoded);
    ++feature_count_;
}

void MvtLayerBuilder::append_to(std::string& tile) const {
    // The Layer message, built in one string: a pbf_writer appends to what
    // its buffer already holds, so the pre-encoded features go in as raw
    // bytes between the name and the key/value tables.
    std::string layer;
    {
        protozero::pbf_writer head(layer);
        head.add_uint32(layer_field::version, 2);
        head.add_string(layer_field::name, name_);
    }
    layer += features_;
    {
        protozero::pbf_writer tail(layer);
        for (std::string_view key : key_order_) {
            tail.add_string(layer_field::keys, key.data(), key.size());
        }
        for (const std::string* value : value_order_) {
            tail.add_message(layer_field::values, *value);
        }
        tail.add_uint32(layer_field::extent, extent_);
    }
    protozero::pbf_writer tile_writer(tile);
    tile_writer.add_message(tile_field::layers, layer);
}

}  // namespace regiomap
