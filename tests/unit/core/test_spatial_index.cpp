#include <gtest/gtest.h>

#include <random>

#include "core/spatial_index.hpp"

namespace regiomap {
namespace {

std::vector<std::uint32_t> brute_force(const std::vector<Box>& boxes, const Box& query) {
    std::vector<std::uint32_t> found;
    for (std::uint32_t i = 0; i < boxes.size(); ++i) {
        if (!boxes[i].empty() && boxes[i].intersects(query)) {
            found.push_back(i);
        }
    }
    return found;
}

TEST(SpatialIndex, EmptyIndexFindsNothing) {
    SpatialIndex index = SpatialIndex::build({});
    EXPECT_TRUE(index.search(Box{-180, -90, 180, 90}).empty());
}

TEST(SpatialIndex, SingleItemIsFoundOnlyWhereItIs) {
    std::vector<Box> boxes{{1, 1, 2, 2}};
    SpatialIndex index = SpatialIndex::build(boxes);
    EXPECT_EQ(index.search(Box{0, 0, 1.5, 1.5}), std::vector<std::uint32_t>{0});
    EXPECT_TRUE(index.search(Box{3, 3, 4, 4}).empty());
}

TEST(SpatialIndex, SkipsEmptyBoxes) {
    std::vector<Box> boxes{{0, 0, 1, 1}, Box{}, {2, 2, 3, 3}};
    SpatialIndex index = SpatialIndex::build(boxes);
    EXPECT_EQ(index.size(), 2u);
    EXPECT_EQ(index.search(Box{-10, -10, 10, 10}), (std::vector<std::uint32_t>{0, 2}));
}

// Many random boxes and queries: the index must agree with a linear scan.
TEST(SpatialIndex, AgreesWithBruteForce) {
    std::mt19937 random(42);
    std::uniform_real_distribution<double> lon(116.8, 117.5), lat(39.0, 39.5), size(0, 0.02);
    std::vector<Box> boxes;
    for (int i = 0; i < 5000; ++i) {
        double x = lon(random), y = lat(random);
        boxes.push_back({x, y, x + size(random), y + size(random)});
    }
    SpatialIndex index = SpatialIndex::build(boxes);
    for (int q = 0; q < 200; ++q) {
        double x = lon(random), y = lat(random), w = size(random) * 10;
        Box query{x, y, x + w, y + w};
        ASSERT_EQ(index.search(query), brute_force(boxes, query)) << "query " << q;
    }
}

}  // namespace
}  // namespace regiomap
