#include "core/tiles/generalise.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_set>

#include "core/web_mercator.hpp"

namespace regiomap {

namespace {

constexpr std::uint8_t kNever = 255;

double pixel_metres(int zoom) {
    return 2 * kHalfWorld / (256.0 * std::ldexp(1.0, zoom));
}

bool has_extent(GeometryType type) {
    return type != GeometryType::point && type != GeometryType::multi_point;
}

}  // namespace

std::vector<std::uint8_t> first_zooms(const GeometryArena& mercator, const GeneralisationOptions& options,
                                      std::span<const std::uint32_t> collection_order) {
    const std::size_t n = mercator.size();
    std::vector<std::uint8_t> first(n, 0);
    std::vector<Box> boxes(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (mercator[i].empty()) {
            first[i] = kNever;
        } else {
            boxes[i] = mercator[i].bounds();
        }
    }
    if (n <= options.thin_above) {
        return first;
    }

    // The zoom from which a line or polygon is at least min_size_px big.
    std::vector<std::uint8_t> visible(n, 0);
    std::vector<double> size(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (first[i] == kNever || !has_extent(mercator[i].type)) {
            continue;
        }
        size[i] = std::max(boxes[i].max_x - boxes[i].min_x, boxes[i].max_y - boxes[i].min_y);
        int z = 0;
        while (z < 30 && size[i] < options.min_size_px * pixel_metres(z)) {
            ++z;
        }
        visible[i] = static_cast<std::uint8_t>(z);
    }

    // Larger features claim cells first; ties keep the collection order.
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    auto position = [&](std::uint32_t i) { return collection_order.empty() ? i : collection_order[i]; };
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return size[a] > size[b] || (size[a] == size[b] && position(a) < position(b));
    });

    std::vector<bool> assigned(n, false);
    for (std::size_t i = 0; i < n; ++i) {
        assigned[i] = first[i] == kNever;
    }
    std::unordered_set<std::uint64_t> occupied;
    for (int z = 0; z < options.detail_zoom; ++z) {
        const double cell = options.cell_px * pixel_metres(z);
        auto cell_of = [&](std::uint32_t i) {
            const Box& b = boxes[i];
            auto cx = static_cast<std::uint64_t>(((b.min_x + b.max_x) / 2 + kHalfWorld) / cell);
            auto cy = static_cast<std::uint64_t>(((b.min_y + b.max_y) / 2 + kHalfWorld) / cell);
            return (cx << 32) | cy;
        };
        occupied.clear();
        for (std::uint32_t i : order) {
            if (assigned[i] && first[i] != kNever) {
                occupied.insert(cell_of(i));  // shown since a lower zoom: its cell is taken here too
            }
        }
        for (std::uint32_t i : order) {
            if (!assigned[i] && visible[i] <= z && occupied.insert(cell_of(i)).second) {
                first[i] = static_cast<std::uint8_t>(z);
                assigned[i] = true;
            }
        }
    }
    // From detail_zoom on, every feature, once it is big enough to see.
    for (std::size_t i = 0; i < n; ++i) {
        if (!assigned[i]) {
            first[i] = static_cast<std::uint8_t>(std::max<int>(options.detail_zoom, visible[i]));
        }
    }
    return first;
}

}  // namespace regiomap
