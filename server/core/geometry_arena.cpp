#include "core/geometry_arena.hpp"

#include <limits>
#include <stdexcept>

namespace regiomap {

void GeometryArena::reserve(std::size_t geometries, std::size_t coords, std::size_t paths, std::size_t polygons) {
    slots_.reserve(geometries + 1);
    coords_.reserve(coords);
    path_ends_.reserve(paths);
    polygon_ends_.reserve(polygons);
}

void GeometryArena::push_back(const Geometry& geometry) {
    constexpr std::size_t limit = std::numeric_limits<std::uint32_t>::max();
    if (coords_.size() + geometry.coords.size() > limit || path_ends_.size() + geometry.path_ends.size() > limit ||
        polygon_ends_.size() + geometry.polygon_ends.size() > limit) {
        throw std::length_error("a collection holds more than 2^32 - 1 vertices");
    }
    slots_.back().type = geometry.type;
    coords_.insert(coords_.end(), geometry.coords.begin(), geometry.coords.end());
    path_ends_.insert(path_ends_.end(), geometry.path_ends.begin(), geometry.path_ends.end());
    polygon_ends_.insert(polygon_ends_.end(), geometry.polygon_ends.begin(), geometry.polygon_ends.end());
    slots_.push_back({static_cast<std::uint32_t>(coords_.size()), static_cast<std::uint32_t>(path_ends_.size()),
                      static_cast<std::uint32_t>(polygon_ends_.size()), GeometryType::point});
}

}  // namespace regiomap
