#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

#include "core/geometry_arena.hpp"

namespace regiomap {
namespace {

Geometry square_with_hole_and_island() {
    Geometry g;
    g.type = GeometryType::multi_polygon;
    g.coords = {{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0},  // exterior
                {1, 1}, {1, 2}, {2, 2}, {1, 1},          // hole
                {6, 6}, {7, 6}, {7, 7}, {6, 6}};         // second polygon
    g.path_ends = {5, 9, 13};
    g.polygon_ends = {2, 3};
    return g;
}

void expect_same(GeometryView view, const Geometry& original) {
    EXPECT_EQ(view.type, original.type);
    EXPECT_EQ(std::vector<Coord>(view.coords.begin(), view.coords.end()), original.coords);
    EXPECT_EQ(std::vector<std::uint32_t>(view.path_ends.begin(), view.path_ends.end()), original.path_ends);
    EXPECT_EQ(std::vector<std::uint32_t>(view.polygon_ends.begin(), view.polygon_ends.end()), original.polygon_ends);
}

TEST(GeometryArena, ViewsGiveBackWhatWasStoredInOrder) {
    Geometry point;
    point.coords = {{117.1, 39.2}};
    point.path_ends = {1};
    Geometry line;
    line.type = GeometryType::line_string;
    line.coords = {{0, 0}, {1, 1}, {2, 0}};
    line.path_ends = {3};
    const Geometry empty;  // no geometry: served as null
    const Geometry polygons = square_with_hole_and_island();

    GeometryArena arena;
    arena.reserve(4, 17, 5, 2);
    for (const Geometry* g : std::initializer_list<const Geometry*>{&point, &line, &empty, &polygons}) {
        arena.push_back(*g);
    }
    ASSERT_EQ(arena.size(), 4u);
    expect_same(arena[0], point);
    expect_same(arena[1], line);
    expect_same(arena[2], empty);
    EXPECT_TRUE(arena[2].empty());
    expect_same(arena[3], polygons);
}

TEST(GeometryArena, PathsOfAViewCountFromItsOwnStart) {
    GeometryArena arena;
    Geometry line;
    line.type = GeometryType::multi_line_string;
    line.coords = {{0, 0}, {1, 0}, {5, 5}, {6, 6}, {7, 7}};
    line.path_ends = {2, 5};
    arena.push_back(square_with_hole_and_island());  // vertices before it in the arena
    arena.push_back(line);
    const GeometryView view = arena[1];
    ASSERT_EQ(view.path_count(), 2u);
    EXPECT_EQ(view.path(1).size(), 3u);
    EXPECT_EQ(view.path(1)[0], (Coord{5, 5}));
    const Box b = view.bounds();
    EXPECT_EQ(b.min_x, 0);
    EXPECT_EQ(b.max_y, 7);
}

TEST(GeometryArena, AGeometryConvertsToTheSameView) {
    const Geometry g = square_with_hole_and_island();
    GeometryArena arena;
    arena.push_back(g);
    const GeometryView direct = g;
    EXPECT_EQ(direct.path(1).size(), arena[0].path(1).size());
    EXPECT_EQ(direct.bounds().max_x, arena[0].bounds().max_x);
}

}  // namespace
}  // namespace regiomap
