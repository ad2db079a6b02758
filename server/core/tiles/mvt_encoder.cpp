#include "core/tiles/mvt_encoder.hpp"

#include <algorithm>

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

constexpr std::uint32_t move_to = 1;
constexpr std::uint32_t line_to = 2;
constexpr std::uint32_t close_path = 7;

std::uint32_t command(std::uint32_t id, std::size_t count) {
    return (id & 0x7) | (static_cast<std::uint32_t>(count) << 3);
}
std::uint32_t zigzag(std::int32_t n) {
    return (static_cast<std::uint32_t>(n) << 1) ^ static_cast<std::uint32_t>(n >> 31);
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
        commands.push_back(command(move_to, geometry.points.size()));
        for (const GridPoint& p : geometry.points) {
            delta(p);
        }
        return;
    }
    for (std::size_t i = 0; i < geometry.part_count(); ++i) {
        const auto part = geometry.part(i);
        commands.push_back(command(move_to, 1));
        delta(part[0]);
        commands.push_back(command(line_to, part.size() - 1));
        for (std::size_t k = 1; k < part.size(); ++k) {
            delta(part[k]);
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

MvtLayerBuilder::MvtLayerBuilder(std::string name, std::uint32_t extent, std::vector<std::string_view> keys,
                                 const MvtValues& values, const MvtValues* overlay_values)
    : name_(std::move(name)),
      extent_(extent),
      keys_(std::move(keys)),
      values_(values),
      overlay_values_(overlay_values),
      key_index_(keys_.size(), 0) {}

std::uint32_t MvtLayerBuilder::ValueIndex::find_or_add(std::uint32_t id, std::uint32_t next) {
    if (used_ * 2 >= slots_.size()) {
        std::vector<std::uint64_t> grown(std::max<std::size_t>(slots_.size() * 2, 256), 0);
        const std::size_t mask = grown.size() - 1;
        for (std::uint64_t entry : slots_) {
            if (entry != 0) {
                std::size_t slot = ((entry >> 32) * 0x9E3779B97F4A7C15ull >> 32) & mask;
                while (grown[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                grown[slot] = entry;
            }
        }
        slots_ = std::move(grown);
    }
    const std::size_t mask = slots_.size() - 1;
    const std::uint64_t key = static_cast<std::uint64_t>(id) + 1;
    std::size_t slot = (key * 0x9E3779B97F4A7C15ull >> 32) & mask;
    while (slots_[slot] != 0) {
        if (slots_[slot] >> 32 == key) {
            return static_cast<std::uint32_t>(slots_[slot]);
        }
        slot = (slot + 1) & mask;
    }
    slots_[slot] = key << 32 | next;
    ++used_;
    return next;
}

void MvtLayerBuilder::add_feature(std::int64_t id, const TileGeometry& geometry,
                                  std::span<const std::uint32_t> value_ids, bool overlay) {
    tags_.clear();
    for (std::size_t i = 0; i < value_ids.size() && i < keys_.size(); ++i) {
        if (value_ids[i] == MvtValues::kNull) {
            continue;
        }
        const std::uint32_t value = overlay ? value_ids[i] | kOverlayBit : value_ids[i];
        if (key_index_[i] == 0) {
            key_order_.push_back(static_cast<std::uint32_t>(i));
            key_index_[i] = static_cast<std::uint32_t>(key_order_.size());
        }
        tags_.push_back(key_index_[i] - 1);
        const auto next = static_cast<std::uint32_t>(value_order_.size());
        const std::uint32_t index = value_index_.find_or_add(value, next);
        if (index == next) {
            value_order_.push_back(value);
        }
        tags_.push_back(index);
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
        for (std::uint32_t key : key_order_) {
            writer.add_string(layer_field::keys, keys_[key].data(), keys_[key].size());
        }
        for (std::uint32_t value : value_order_) {
            const std::string_view encoded = (value & kOverlayBit) != 0 && overlay_values_
                                                 ? overlay_values_->encoded(value & ~kOverlayBit)
                                                 : values_.encoded(value);
            writer.add_message(layer_field::values, encoded.data(), encoded.size());
        }
        writer.add_uint32(layer_field::extent, extent_);
    }
    protozero::pbf_writer tile_writer(tile);
    tile_writer.add_bytes_vectored(tile_field::layers, head, features_, tail);
}

}  // namespace regiomap
