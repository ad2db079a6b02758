#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/tiles/mvt_values.hpp"
#include "core/tiles/tile_geometry.hpp"

namespace regiomap {

// Builds one MVT 2.1 layer: features with integer ids, geometry commands
// (MoveTo/LineTo/ClosePath, zigzag deltas), and tags into key and value
// tables that hold each key and each value once, and only those the
// layer's features use. Appends the finished layer to a tile buffer;
// layers of one tile are simply concatenated.
class MvtLayerBuilder {
public:
    // `keys`: the property names of the layer's features; `values`: the
    // table their value ids refer to; `overlay_values`: a second table, of
    // a collection's live-update overlay, whose features go into the same
    // layer (a tile must not hold two layers of one name). All outlive the
    // builder.
    MvtLayerBuilder(std::string name, std::uint32_t extent, std::vector<std::string_view> keys, const MvtValues& values,
                    const MvtValues* overlay_values = nullptr);

    // `value_ids` runs parallel to the keys; MvtValues::kNull leaves the
    // key out (MVT has no null). A negative id is not written. With
    // `overlay`, the ids are of the overlay's table.
    void add_feature(std::int64_t id, const TileGeometry& geometry, std::span<const std::uint32_t> value_ids,
                     bool overlay = false);

    bool empty() const { return feature_count_ == 0; }
    std::size_t feature_count() const { return feature_count_; }

    // Appends `Tile.layers` (field 3) to `tile`.
    void append_to(std::string& tile) const;

private:
    // Value id → its index in this layer: open addressing over a
    // power-of-two table, grown at half full (a tile holds thousands of
    // values of a collection's millions).
    class ValueIndex {
    public:
        // The layer index of `id`, or `next` (recorded) when it has none yet.
        std::uint32_t find_or_add(std::uint32_t id, std::uint32_t next);

    private:
        std::vector<std::uint64_t> slots_;  // (id + 1) << 32 | index; 0 = free
        std::size_t used_ = 0;
    };

    std::string name_;
    std::uint32_t extent_;
    std::vector<std::string_view> keys_;
    const MvtValues& values_;
    const MvtValues* overlay_values_;
    // Marks an overlay table's id among the layer's value ids (ids stay far
    // below it: MvtValues holds at most 4 GiB).
    static constexpr std::uint32_t kOverlayBit = 1u << 31;
    std::string features_;  // encoded Feature messages, each as field 2 of Layer
    std::size_t feature_count_ = 0;
    std::vector<std::uint32_t> key_index_;  // per key: its index in this layer + 1; 0 = not used yet
    std::vector<std::uint32_t> key_order_;  // the keys used, in layer order
    ValueIndex value_index_;
    std::vector<std::uint32_t> value_order_;  // the value ids used, in layer order
    // Scratch space reused by every add_feature.
    std::vector<std::uint32_t> tags_;
    std::vector<std::uint32_t> commands_;
};

// The geometry command stream of one feature, appended to `commands`.
void append_geometry_commands(const TileGeometry& geometry, std::vector<std::uint32_t>& commands);

// The same as a new vector (for tests).
std::vector<std::uint32_t> encode_geometry(const TileGeometry& geometry);

}  // namespace regiomap
