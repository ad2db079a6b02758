#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/geometry.hpp"

namespace regiomap {

// Item indices in the order of a Hilbert curve through the centres of
// their boxes (over the boxes' common extent, on a 2^16 × 2^16 grid; ties
// keep the item order), items with empty boxes left out: items near each
// other in space come out near each other in the order.
std::vector<std::uint32_t> hilbert_order(std::span<const Box> item_boxes);

// A static, packed R-tree over item boxes, sorted along a Hilbert curve
// (the scheme of Flatbush). Built once at load, then only read: queries
// touch no shared mutable state, so all threads use it without locks —
// which GEOS 3.11's STRtree, built lazily on its first query, does not give.
// Memory is a few arrays of (items × 1.07) entries, no node objects.
class SpatialIndex {
public:
    SpatialIndex() = default;

    // Items whose box is empty (no geometry) are left out of the index.
    // `ranks` (optional, one per item) lets queries skip items ranked above
    // a limit without visiting them: every node keeps its subtree's lowest
    // rank (the tiler ranks features by the first zoom that shows them).
    static SpatialIndex build(std::span<const Box> item_boxes, std::span<const std::uint8_t> ranks = {},
                              std::size_t node_size = 16);

    // Calls visit(item) for every item whose box intersects `query` and
    // whose rank is at most `max_rank`, in no particular order.
    template <typename Visit>
    void visit(const Box& query, Visit&& visit, std::uint8_t max_rank = 255) const;

    // The items whose box intersects `query`, in ascending item order.
    std::vector<std::uint32_t> search(const Box& query) const;

    std::size_t size() const { return item_count_; }

private:
    std::size_t node_size_ = 16;
    std::size_t item_count_ = 0;
    std::vector<Box> boxes_;               // leaves first, then each level up to the root
    std::vector<std::uint32_t> indices_;   // leaf: item index; inner node: first child's position
    std::vector<std::size_t> level_ends_;  // one past the last node of each level
    std::vector<std::uint8_t> min_ranks_;  // per node; empty when built without ranks
};

template <typename Visit>
void SpatialIndex::visit(const Box& query, Visit&& visit, std::uint8_t max_rank) const {
    const bool ranked = !min_ranks_.empty();
    if (boxes_.empty() || !boxes_.back().intersects(query) || (ranked && min_ranks_.back() > max_rank)) {
        return;
    }
    // Explicit stack of node positions; the root is the last node.
    std::vector<std::size_t> stack{boxes_.size() - 1};
    stack.reserve(64);
    while (!stack.empty()) {
        std::size_t node = stack.back();
        stack.pop_back();
        std::size_t level = 0;
        while (node >= level_ends_[level]) {
            ++level;
        }
        if (level == 0) {
            visit(indices_[node]);
            continue;
        }
        std::size_t first = indices_[node];
        std::size_t last = std::min(first + node_size_, level_ends_[level - 1]);
        for (std::size_t child = first; child < last; ++child) {
            if (boxes_[child].intersects(query) && (!ranked || min_ranks_[child] <= max_rank)) {
                stack.push_back(child);
            }
        }
    }
}

}  // namespace regiomap
