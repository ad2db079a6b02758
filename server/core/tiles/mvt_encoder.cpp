#include "core/tiles/mvt_encoder.hpp"

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

std::uint32_t command(std::uint32_t id, std::size_t count) {
    return (id & 0x7) | (static_cast<std::uint32_t>(count) << 3);
}
std::uint32_t zigzag(std::int32_t n) {
    return (static_cast<std::uint32_t>(n) << 1) ^ static_cast<std::uint32_t>(n >> 31);
}

// Encodes a Value message for the value table into `out`; nothing for null.
void encode_value(const Value& value, std::string& out) {
    out.clear();
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
}

}  // namespace

void append_geometry_commands(const TileGeometry& geometry, std::vector<std::uint32_t>& commands) {
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
        return;
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
}

std::vector<std::uint32_t> encode_geometry(const TileGeometry& geometry) {
    std::vector<std::uint32_t> commands;
    append_geometry_commands(geometry, commands);
    return commands;
}

std::uint32_t MvtLayerBuilder::key_index(std::size_t position, std::string_view key) {
    if (position < key_by_position_.size() && key_by_position_[position].first == key) {
        return key_by_position_[position].second;
    }
    std::uint32_t index = 0;
    if (auto it = keys_.find(key); it != keys_.end()) {
        index = it->second;
    } else {
        index = static_cast<std::uint32_t>(key_order_.size());
        auto inserted = keys_.emplace(std::string(key), index).first;
        key_order_.push_back(&inserted->first);
        key_dedup_.emplace_back();
    }
    if (position >= key_by_position_.size()) {
        key_by_position_.resize(position + 1);
    }
    key_by_position_[position] = {*key_order_[index], index};  // a view of our own copy
    return index;
}

std::uint32_t MvtLayerBuilder::value_index(std::uint32_t key, const Value& value) {
    encode_value(value, encoded_value_);
    const auto index = static_cast<std::uint32_t>(value_order_.size());
    KeyDedup& dedup = key_dedup_[key];
    if (!dedup.on) {
        value_order_.push_back(&unshared_values_.emplace_back(encoded_value_));
        return index;
    }
    ++dedup.lookups;
    if (auto it = values_.find(std::string_view(encoded_value_)); it != values_.end()) {
        ++dedup.hits;
        return it->second;
    }
    if (dedup.lookups == kDedupSample && dedup.hits * kDedupMinHitShare < dedup.lookups) {
        dedup.on = false;
    }
    auto inserted = values_.emplace(encoded_value_, index).first;
    value_order_.push_back(&inserted->first);
    return index;
}

void MvtLayerBuilder::add_feature(std::int64_t id, const TileGeometry& geometry,
                                  const std::vector<std::pair<std::string_view, const Value*>>& properties) {
    tags_.clear();
    for (std::size_t i = 0; i < properties.size(); ++i) {
        const auto& [key, value] = properties[i];
        if (std::holds_alternative<std::monostate>(*value)) {
            continue;
        }
        const std::uint32_t key_position = key_index(i, key);
        tags_.push_back(key_position);
        tags_.push_back(value_index(key_position, *value));
    }
    commands_.clear();
    append_geometry_commands(geometry, commands_);

    // The Feature message is written straight into the layer's buffer as a
    // nested message (protozero back-fills its length).
    protozero::pbf_writer features(features_);
    {
        protozero::pbf_writer feature(features, layer_field::features);
        if (id >= 0) {
            feature.add_uint64(feature_field::id, static_cast<std::uint64_t>(id));
        }
        feature.add_packed_uint32(feature_field::tags, tags_.begin(), tags_.end());
        feature.add_enum(feature_field::type, static_cast<std::int32_t>(geometry.type));
        feature.add_packed_uint32(feature_field::geometry, commands_.begin(), commands_.end());
    }
    ++feature_count_;
}

void MvtLayerBuilder::append_to(std::string& tile) const {
    // The Layer message is its head (version, name), the pre-encoded
    // features and its tail (key and value tables, extent); the features,
    // most of its bytes, are copied once, straight into the tile.
    std::string head;
    {
        protozero::pbf_writer writer(head);
        writer.add_uint32(layer_field::version, 2);
        writer.add_string(layer_field::name, name_);
    }
    std::string tail;
    {
        protozero::pbf_writer writer(tail);
        for (const std::string* key : key_order_) {
            writer.add_string(layer_field::keys, *key);
        }
        for (const std::string* value : value_order_) {
            writer.add_message(layer_field::values, *value);
        }
        writer.add_uint32(layer_field::extent, extent_);
    }
    protozero::pbf_writer tile_writer(tile);
    tile_writer.add_bytes_vectored(tile_field::layers, head, features_, tail);
}

}  // namespace regiomap
