#include "core/spatial_index.hpp"

#include <algorithm>
#include <numeric>

namespace regiomap {

namespace {

// Position of (x, y) on a Hilbert curve over a 2^16 × 2^16 grid
// (the classic iterative rotate-and-flip formulation).
std::uint32_t hilbert_index(std::uint32_t x, std::uint32_t y) {
    std::uint32_t d = 0;
    for (std::uint32_t s = 1u << 15; s > 0; s >>= 1) {
        std::uint32_t rx = (x & s) > 0 ? 1 : 0;
        std::uint32_t ry = (y & s) > 0 ? 1 : 0;
        d += s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            std::swap(x, y);
        }
    }
    return d;
}

}  // namespace

std::vector<std::uint32_t> hilbert_order(std::span<const Box> item_boxes) {
    std::vector<std::uint32_t> items;
    Box extent;
    for (std::uint32_t i = 0; i < item_boxes.size(); ++i) {
        if (!item_boxes[i].empty()) {
            items.push_back(i);
            extent.extend(item_boxes[i]);
        }
    }
    if (items.empty()) {
        return items;
    }
    const double width = std::max(extent.max_x - extent.min_x, 1e-300);
    const double height = std::max(extent.max_y - extent.min_y, 1e-300);
    constexpr double grid = 65535.0;
    std::vector<std::uint64_t> keyed;  // Hilbert value << 32 | item: one sort, ties in item order
    keyed.reserve(items.size());
    for (std::uint32_t i : items) {
        const Box& b = item_boxes[i];
        auto cx = static_cast<std::uint32_t>(grid * ((b.min_x + b.max_x) / 2 - extent.min_x) / width);
        auto cy = static_cast<std::uint32_t>(grid * ((b.min_y + b.max_y) / 2 - extent.min_y) / height);
        keyed.push_back(static_cast<std::uint64_t>(hilbert_index(cx, cy)) << 32 | i);
    }
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t k = 0; k < keyed.size(); ++k) {
        items[k] = static_cast<std::uint32_t>(keyed[k]);
    }
    return items;
}

SpatialIndex SpatialIndex::build(std::span<const Box> item_boxes, std::span<const std::uint8_t> ranks,
                                 std::size_t node_size) {
    SpatialIndex index;
    index.node_size_ = std::max<std::size_t>(node_size, 2);

    const std::vector<std::uint32_t> items = hilbert_order(item_boxes);
    index.item_count_ = items.size();
    if (items.empty()) {
        return index;
    }

    const bool ranked = !ranks.empty();
    for (std::uint32_t i : items) {
        index.boxes_.push_back(item_boxes[i]);
        index.indices_.push_back(i);
        if (ranked) {
            index.min_ranks_.push_back(ranks[i]);
        }
    }
    index.level_ends_.push_back(index.boxes_.size());

    // Build the levels above until one node (the root) remains.
    std::size_t level_begin = 0;
    while (index.level_ends_.back() - level_begin > 1) {
        std::size_t level_end = index.level_ends_.back();
        for (std::size_t first = level_begin; first < level_end; first += index.node_size_) {
            std::size_t last = std::min(first + index.node_size_, level_end);
            Box parent;
            std::uint8_t lowest = 255;
            for (std::size_t child = first; child < last; ++child) {
                parent.extend(index.boxes_[child]);
                if (ranked) {
                    lowest = std::min(lowest, index.min_ranks_[child]);
                }
            }
            index.boxes_.push_back(parent);
            if (ranked) {
                index.min_ranks_.push_back(lowest);
            }
            index.indices_.push_back(static_cast<std::uint32_t>(first));
        }
        level_begin = level_end;
        index.level_ends_.push_back(index.boxes_.size());
    }
    return index;
}

std::vector<std::uint32_t> SpatialIndex::search(const Box& query) const {
    std::vector<std::uint32_t> found;
    visit(query, [&](std::uint32_t item) { found.push_back(item); });
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace regiomap
