#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/tiles/tile_geometry.hpp"
#include "core/value.hpp"

namespace regiomap {

// Builds one MVT 2.1 layer: features with integer ids, geometry commands
// (MoveTo/LineTo/ClosePath, zigzag deltas), and tags into key and value
// tables de-duplicated across the layer. Appends the finished layer to a
// tile buffer; layers of one tile are simply concatenated.
class MvtLayerBuilder {
public:
    MvtLayerBuilder(std::string name, std::uint32_t extent) : name_(std::move(name)), extent_(extent) {}

    // Properties are (key, value) pairs; null values are left out (MVT has
    // no null). Dates become their ISO text. A negative id is not written.
    void add_feature(std::int64_t id, const TileGeometry& geometry,
                     const std::vector<std::pair<std::string_view, const Value*>>& properties);

    bool empty() const { return features_.empty(); }
    std::size_t feature_count() const { return feature_count_; }

    // Appends `Tile.layers` (field 3) to `tile`.
    void append_to(std::string& tile) const;

private:
    // Hashes std::string and std::string_view alike, so that lookups by a
    // view of a scratch buffer allocate nothing.
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    using TextIndex = std::unordered_map<std::string, std::uint32_t, TextHash, std::equal_to<>>;

    std::uint32_t key_index(std::size_t position, std::string_view key);
    std::uint32_t value_index(std::uint32_t key, const Value& value);

    // How well de-duplication pays for one key: a key whose values are
    // nearly all different (names, codes, areas) stops being looked up
    // after a sample, and its values are appended as they come (MVT allows
    // repeated values; the tile grows by the rare repeat).
    struct KeyDedup {
        std::uint32_t lookups = 0;
        std::uint32_t hits = 0;
        bool on = true;
    };
    static constexpr std::uint32_t kDedupSample = 64;       // lookups before deciding
    static constexpr std::uint32_t kDedupMinHitShare = 16;  // keep on if >= 1 hit in 16

    std::string name_;
    std::uint32_t extent_;
    std::string features_;  // encoded Feature messages, each as field 2 of Layer
    std::size_t feature_count_ = 0;
    TextIndex keys_;
    std::vector<const std::string*> key_order_;  // node addresses are stable in an unordered_map
    std::vector<KeyDedup> key_dedup_;            // parallel to key_order_
    // The key at each property position, last time: callers pass the same
    // field names feature after feature, and comparing a short name is
    // cheaper than hashing it.
    std::vector<std::pair<std::string_view, std::uint32_t>> key_by_position_;
    TextIndex values_;  // keyed by the encoded Value message
    std::vector<const std::string*> value_order_;
    std::deque<std::string> unshared_values_;  // values of keys without de-duplication
    // Scratch space reused by every add_feature: a tile has thousands of
    // features, and allocating these per feature was a tenth of its time.
    std::string encoded_value_;
    std::vector<std::uint32_t> tags_;
    std::vector<std::uint32_t> commands_;
};

// The geometry command stream of one feature, appended to `commands`.
void append_geometry_commands(const TileGeometry& geometry, std::vector<std::uint32_t>& commands);

// The same as a new vector (for tests).
std::vector<std::uint32_t> encode_geometry(const TileGeometry& geometry);

}  // namespace regiomap
