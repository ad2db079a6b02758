// Thinning of large collections at low zooms: tiles stay bounded at low
// zooms, full at the detail zoom, and small collections are never thinned.
#include <gtest/gtest.h>

#include <random>

#include "core/feature_store.hpp"
#include "core/tiles/tiler.hpp"
#include "regiomap_testing/store_builder.hpp"

namespace regiomap {
namespace {

std::unique_ptr<Collection> random_points(int count, std::uint32_t seed) {
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> lon(117.0, 117.5), lat(39.0, 39.5);
    testing::StoreBuilder builder;
    builder.collection("points", {});
    for (int i = 0; i < count; ++i) {
        const double x = lon(random);
        builder.add(testing::feature(i + 1, testing::point(x, lat(random))));
    }
    return builder.take_collection();
}

TileId tile_at(double lon, double lat, int z) {
    WebMercatorProjection projection;
    std::vector<Coord> c{{lon, lat}};
    projection.project(c);
    const double size = 2 * kHalfWorld / (1 << z);
    return {z, static_cast<std::uint32_t>((c[0].x + kHalfWorld) / size),
            static_cast<std::uint32_t>((kHalfWorld - c[0].y) / size)};
}

std::size_t features_in(const Collection& c, TileId tile) {
    const Collection* one[] = {&c};
    TileStats stats;
    render_tile(one, tile, TileOptions{}, &stats);
    return stats.features;
}

TEST(Generalise, LowZoomTilesOfALargeCollectionAreBounded) {
    const auto points = random_points(60000, 1);
    const Collection& c = *points;
    const double cells_per_side = 256 / GeneralisationOptions{}.cell_px;
    const auto bound = static_cast<std::size_t>(cells_per_side * cells_per_side * 1.1);  // + the buffer
    for (int z = 0; z <= 9; ++z) {
        EXPECT_LE(features_in(c, tile_at(117.25, 39.25, z)), bound) << "zoom " << z;
    }
    // Thinned, not emptied: the points cover about a sixth of this tile.
    EXPECT_GT(features_in(c, tile_at(117.25, 39.25, 8)), bound / 8);
}

TEST(Generalise, DetailZoomHasEveryFeature) {
    const auto points = random_points(60000, 2);
    const Collection& c = *points;
    const TileId tile = tile_at(117.25, 39.25, 14);
    // Every point whose EPSG:3857 position lies in the buffered tile.
    Box bounds = tile_bounds(tile);
    const double margin = (bounds.max_x - bounds.min_x) * 64 / 4096;
    std::size_t expected = 0;
    for (std::size_t i = 0; i < c.size(); ++i) {
        const Coord& p = c.tile_layer().geometry(i).coords[0];
        expected += p.x >= bounds.min_x - margin && p.x <= bounds.max_x + margin && p.y >= bounds.min_y - margin &&
                    p.y <= bounds.max_y + margin;
    }
    EXPECT_GT(expected, 0u);
    EXPECT_EQ(features_in(c, tile), expected);
}

TEST(Generalise, FirstZoomsNeverDecreaseTheCountAsZoomGrows) {
    const auto points = random_points(20000, 3);
    const Collection& c = *points;
    std::size_t previous = 0;
    for (int z = 0; z <= 14; ++z) {
        std::size_t shown = 0;
        for (std::size_t i = 0; i < c.size(); ++i) {
            shown += c.tile_layer().first_zoom(i) <= z;
        }
        EXPECT_GE(shown, previous);
        previous = shown;
    }
    EXPECT_EQ(previous, c.size());
}

TEST(Generalise, SmallCollectionsAreNeverThinned) {
    const auto points = random_points(1000, 4);
    const Collection& c = *points;
    for (std::size_t i = 0; i < c.size(); ++i) {
        ASSERT_EQ(c.tile_layer().first_zoom(i), 0);
    }
    EXPECT_EQ(features_in(c, TileId{0, 0, 0}), 1000u);
}

}  // namespace
}  // namespace regiomap
