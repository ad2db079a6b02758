#pragma once

#include <cstdint>
#include <vector>

#include "core/geometry.hpp"

namespace regiomap {

// Many geometries in three shared arrays instead of three allocations
// each: a tile reads its features' vertices from neighbouring memory, and
// a million features save the per-vector bookkeeping (about 100 bytes
// each). Append-only; read through views.
class GeometryArena {
public:
    // Room for `geometries` holding `coords` vertices, `paths` paths and
    // `polygons` polygons in all, so that filling it never reallocates (a
    // doubling vector would briefly need half as much again).
    void reserve(std::size_t geometries, std::size_t coords, std::size_t paths, std::size_t polygons);

    // Appends a copy; throws std::length_error beyond 2^32 - 1 vertices.
    void push_back(const Geometry& geometry);

    std::size_t size() const { return slots_.size() - 1; }
    GeometryView operator[](std::size_t i) const {
        const Slot& slot = slots_[i];
        const Slot& next = slots_[i + 1];
        return {slot.type,
                {coords_.data() + slot.coords, next.coords - slot.coords},
                {path_ends_.data() + slot.paths, next.paths - slot.paths},
                {polygon_ends_.data() + slot.polygons, next.polygons - slot.polygons}};
    }
    // Where slot i's bookkeeping lives, for the tiler's prefetching.
    const void* slot_address(std::size_t i) const { return &slots_[i]; }

private:
    struct Slot {
        std::uint32_t coords = 0;  // index of the first vertex, path and polygon
        std::uint32_t paths = 0;
        std::uint32_t polygons = 0;
        GeometryType type = GeometryType::point;
    };
    std::vector<Slot> slots_{Slot{}};  // one more than geometries: the last marks the end
    std::vector<Coord> coords_;
    std::vector<std::uint32_t> path_ends_;
    std::vector<std::uint32_t> polygon_ends_;
};

}  // namespace regiomap
