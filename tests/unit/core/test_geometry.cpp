#include <gtest/gtest.h>

#include "core/geometry.hpp"

namespace regiomap {
namespace {

Geometry polygon(std::vector<std::vector<Coord>> rings) {
    Geometry g;
    g.type = GeometryType::polygon;
    for (const auto& ring : rings) {
        g.coords.insert(g.coords.end(), ring.begin(), ring.end());
        g.path_ends.push_back(static_cast<std::uint32_t>(g.coords.size()));
    }
    g.polygon_ends.push_back(static_cast<std::uint32_t>(g.path_ends.size()));
    return g;
}

// A 10×10 square with a 2×2 hole in the middle; exterior clockwise, hole
// counter-clockwise: the opposite of RFC 7946.
Geometry square_with_hole() {
    return polygon({{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}}, {{4, 4}, {6, 4}, {6, 6}, {4, 6}, {4, 4}}});
}

TEST(Geometry, SignedAreaIsPositiveCounterClockwise) {
    std::vector<Coord> ccw{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}};
    EXPECT_DOUBLE_EQ(signed_area2(ccw), 2.0);
    std::reverse(ccw.begin(), ccw.end());
    EXPECT_DOUBLE_EQ(signed_area2(ccw), -2.0);
}

TEST(Geometry, OrientsRingsToTheRightHandRule) {
    Geometry g = square_with_hole();
    orient_rings_rfc7946(g);
    EXPECT_GT(signed_area2(g.path(0)), 0);  // exterior counter-clockwise
    EXPECT_LT(signed_area2(g.path(1)), 0);  // hole clockwise
    Geometry again = g;
    orient_rings_rfc7946(again);
    EXPECT_EQ(again.coords, g.coords);  // idempotent
}

TEST(Geometry, BoundsCoverEveryVertex) {
    Box b = square_with_hole().bounds();
    EXPECT_EQ(b.min_x, 0);
    EXPECT_EQ(b.max_y, 10);
    EXPECT_TRUE(Geometry{}.bounds().empty());
}

TEST(GeometryIntersects, BoxInsideTheHoleMissesThePolygon) {
    Geometry g = square_with_hole();
    EXPECT_FALSE(intersects(g, Box{4.5, 4.5, 5.5, 5.5}));
    EXPECT_TRUE(intersects(g, Box{1, 1, 2, 2}));      // inside the solid part, no vertex in the box
    EXPECT_TRUE(intersects(g, Box{5.5, 5.5, 7, 7}));  // crosses the hole's edge
    EXPECT_FALSE(intersects(g, Box{11, 11, 12, 12}));
}

TEST(GeometryIntersects, LineCrossingABoxWithNoVertexInside) {
    Geometry line;
    line.type = GeometryType::line_string;
    line.coords = {{0, 0}, {10, 10}};
    line.path_ends = {2};
    EXPECT_TRUE(intersects(line, Box{4, 4, 6, 6}));
    EXPECT_FALSE(intersects(line, Box{6, 0, 10, 3}));  // inside the line's bounds, off the line
}

TEST(GeometryIntersects, PointsOnTheBoxEdgeCount) {
    Geometry point;
    point.type = GeometryType::point;
    point.coords = {{1, 1}};
    point.path_ends = {1};
    EXPECT_TRUE(intersects(point, Box{1, 0, 2, 1}));
    EXPECT_FALSE(intersects(point, Box{1.5, 0, 2, 1}));
}

}  // namespace
}  // namespace regiomap
