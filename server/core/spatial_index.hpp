#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/geometry.hpp"

namespace regiomap {

// A static, packed R-tree over item boxes, sorted along a Hilbert curve
// (the scheme of Flatbush). Built once at load, then only read: queries
// touch no shared mutable state, so all threads use it without locks —
// which GEOS 3.11's STRtree, built lazily on its first query, does not give.
// Memory is a few arrays of (items × 1.07) entries, no node objects.
class SpatialIndex {
public:
    SpatialIndex() = default;

    // Items whose box is empty (no geometry) are left out of the index.
    static SpatialIndex build(std::span<const Box> item_boxes, std::size_t node_size = 16);

    // Calls visit(item) for every item whose box intersects `query`, in no
    // particular order.
    template <typename Visit>
    void visit(const Box& query, Visit&& visit) const;

    // The items whose box intersects `query`, in ascending item order.
    std::vector<std::uint32_t> search(const Box& query) const;

    std::size_t size() const { return item_count_; }

private:
    std::size_t node_size_ = 16;
    std::size_t item_count_ = 0;
    std::vector<Box> boxes_;                  // leaves first, then each level up to the root
    std::vector<std::uint32_t> indices_;      // leaf: item index; inner node: first child's position
    std::vector<std::size_t> level_ends_;     // one past the last node of each level
};

template <typename Visit>
void SpatialIndex::visit(const Box& query, Visit&& visit) const {
    if (boxes_.empty() || !boxes_.back().intersects(query)) {
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
            if (boxes_[child].intersects(query)) {
                stack.push_back(child);
            }
        }
    }
}

}  // namespace regiomap
