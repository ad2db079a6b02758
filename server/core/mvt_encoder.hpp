#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/tile_geometry.hpp"
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
    std::uint32_t key_index(std::string_view key);
    std::uint32_t value_index(const Value& value);

    std::string name_;
    std::uint32_t extent_;
    std::string features_;  // encoded Feature messages, each as field 2 of Layer
    std::size_t feature_count_ = 0;
    std::map<std::string, std::uint32_t, std::less<>> keys_;
    std::vector<std::string_view> key_order_;
    std::map<std::string, std::uint32_t> values_;  // keyed by the encoded Value message
    std::vector<const std::string*> value_order_;
};

// The geometry command stream of one feature (exposed for tests).
std::vector<std::uint32_t> encode_geometry(const TileGeometry& geometry);

}  // namespace regiomap
