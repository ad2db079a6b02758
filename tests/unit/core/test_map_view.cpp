#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/map_view.hpp"
#include "core/web_mercator.hpp"

namespace regiomap {
namespace {

void expect_in_range(const MapView& view) {
    for (double x : {view.bounds.min_x, view.bounds.max_x, view.center.x}) {
        EXPECT_TRUE(x >= -180 && x <= 180) << x;
    }
    for (double y : {view.bounds.min_y, view.bounds.max_y, view.center.y}) {
        EXPECT_TRUE(y >= -kMaxMercatorLatitude && y <= kMaxMercatorLatitude) << y;
    }
    EXPECT_LE(view.bounds.min_x, view.center.x);
    EXPECT_LE(view.center.x, view.bounds.max_x);
    EXPECT_LE(view.bounds.min_y, view.center.y);
    EXPECT_LE(view.center.y, view.bounds.max_y);
}

TEST(MapView, DataInRangeIsLeftAlone) {
    auto view = map_view({116.7, 39.0, 117.5, 39.5}, {117.1, 39.1, 117.3, 39.3}, 14);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->bounds.min_x, 116.7);
    EXPECT_EQ(view->bounds.max_y, 39.5);
    EXPECT_NEAR(view->center.x, 117.2, 1e-9);
    EXPECT_NEAR(view->center.y, 39.2, 1e-9);
    EXPECT_EQ(view->zoom, 11);  // 0.2° fills a 512-pixel view at about zoom 11
}

// Sentinels and projected metres gave bounds [-9999,-9999,3.4e38,3.4e38]
// and a centre MapLibre refuses ("Invalid LngLat").
TEST(MapView, OutOfRangeExtentsAreClamped) {
    auto view = map_view({-9999, -9999, 3.4e38, 3.4e38}, {511226.5, 4342935.9, 511226.5, 4342935.9}, 14);
    ASSERT_TRUE(view);
    expect_in_range(*view);
    EXPECT_EQ(view->bounds.min_x, -180);
    EXPECT_EQ(view->bounds.max_y, kMaxMercatorLatitude);

    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    auto odd = map_view({-inf, 10, 20, inf}, {nan, nan, nan, nan}, 14);
    ASSERT_TRUE(odd);
    expect_in_range(*odd);
    EXPECT_EQ(odd->bounds.min_x, -180);
    EXPECT_EQ(odd->bounds.max_y, kMaxMercatorLatitude);
    auto pole = map_view({10, 89, 11, 90}, {10, 89.5, 11, 90}, 14);
    ASSERT_TRUE(pole);
    expect_in_range(*pole);
}

TEST(MapView, ZoomStaysWithinTheTiles) {
    auto point = map_view({117, 39, 117, 39}, {117, 39, 117, 39}, 12);
    ASSERT_TRUE(point);
    EXPECT_EQ(point->zoom, 12);
    auto world = map_view({-180, -90, 180, 90}, {-180, -90, 180, 90}, 14);
    ASSERT_TRUE(world);
    EXPECT_EQ(world->zoom, 1);
    EXPECT_FALSE(map_view(Box{}, Box{}, 14));
}

}  // namespace
}  // namespace regiomap
