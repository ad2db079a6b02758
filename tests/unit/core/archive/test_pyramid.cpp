#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/archive/pmtiles_format.hpp"
#include "core/archive/pyramid.hpp"
#include "core/web_mercator.hpp"

namespace regiomap {
namespace {

TEST(PyramidTiles, InTileIdOrderAndOnlyWhereThereIsData) {
    // A "feature" in one small box north-east of the origin.
    const Box data{1000, 1000, 2000, 2000};
    auto has_data = [&](const Box& box) { return box.intersects(data); };
    const Box world{-kHalfWorld, -kHalfWorld, kHalfWorld, kHalfWorld};
    const auto tiles = pyramid_tiles(world, 2, 10, 64.0 / 4096, has_data);
    ASSERT_FALSE(tiles.empty());
    for (std::size_t i = 1; i < tiles.size(); ++i) {
        EXPECT_LT(pmtiles::tile_id(tiles[i - 1]), pmtiles::tile_id(tiles[i]));
    }
    std::set<int> zooms;
    for (const TileId& tile : tiles) {
        zooms.insert(tile.z);
        const Box bounds = tile_bounds(tile);
        const double margin = (bounds.max_x - bounds.min_x) * 64.0 / 4096;
        EXPECT_TRUE((Box{bounds.min_x - margin, bounds.min_y - margin, bounds.max_x + margin, bounds.max_y + margin})
                        .intersects(data))
            << tile.to_string();
    }
    EXPECT_EQ(*zooms.begin(), 2);
    EXPECT_EQ(*zooms.rbegin(), 10);
    // At zoom 2 the box touches the four tiles around the origin (it lies in
    // the buffer of the three it is not in).
    EXPECT_EQ(std::count_if(tiles.begin(), tiles.end(), [](const TileId& t) { return t.z == 2; }), 4);
}

TEST(PyramidTiles, CutToTheArea) {
    auto everywhere = [](const Box&) { return true; };
    const Box area{1e6, 1e6, 1.1e6, 1.1e6};  // inside one tile at zooms 0-3
    EXPECT_EQ(pyramid_tiles(area, 0, 3, 0, everywhere).size(), 4u);
    EXPECT_EQ(pyramid_tiles(area, 2, 3, 0, everywhere).size(), 2u);
}

TEST(RunOrdered, ConsumesInOrderWhateverTheWorkersDo) {
    std::vector<std::size_t> order;
    const std::atomic<bool> stop{false};
    const bool completed = run_ordered(
        5000, 4, 64,
        [](std::size_t i) {
            if (i % 7 == 0) {
                std::this_thread::yield();
            }
            return std::to_string(i);
        },
        [&](std::size_t i, std::string& made) {
            EXPECT_EQ(made, std::to_string(i));
            order.push_back(i);
        },
        stop);
    EXPECT_TRUE(completed);
    ASSERT_EQ(order.size(), 5000u);
    for (std::size_t i = 0; i < order.size(); ++i) {
        ASSERT_EQ(order[i], i);
    }
}

TEST(RunOrdered, StopsWhenAskedAndRethrowsErrors) {
    std::atomic<bool> stop{false};
    std::size_t consumed = 0;
    const bool completed = run_ordered(
        1000000, 2, 16, [](std::size_t) { return std::string("x"); },
        [&](std::size_t i, std::string&) {
            ++consumed;
            if (i == 100) {
                stop = true;
            }
        },
        stop);
    EXPECT_FALSE(completed);
    EXPECT_LT(consumed, 1000u);
    const std::atomic<bool> never{false};
    EXPECT_THROW(run_ordered(
                     100, 2, 8,
                     [](std::size_t i) {
                         if (i == 50) {
                             throw std::runtime_error("boom");
                         }
                         return std::string("x");
                     },
                     [](std::size_t, std::string&) {}, never),
                 std::runtime_error);
}

TEST(RunOrdered, WorkersStayWithinTheWindowOfTheConsumer) {
    constexpr std::size_t kWindow = 32;
    std::atomic<std::size_t> consumed{0};
    std::atomic<std::size_t> furthest_ahead{0};
    const std::atomic<bool> never{false};
    const bool completed = run_ordered(
        20000, 3, kWindow,
        [&](std::size_t i) {
            const std::size_t ahead = i - std::min(i, consumed.load());
            std::size_t seen = furthest_ahead.load();
            while (ahead > seen && !furthest_ahead.compare_exchange_weak(seen, ahead)) {
            }
            return std::string(1, 'x');
        },
        [&](std::size_t, std::string&) {
            if (consumed % 97 == 0) {
                std::this_thread::sleep_for(std::chrono::microseconds(200));  // a slow writer now and then
            }
            ++consumed;
        },
        never);
    EXPECT_TRUE(completed);
    EXPECT_EQ(consumed, 20000u);
    EXPECT_LT(furthest_ahead.load(), 2 * kWindow);
    EXPECT_GE(furthest_ahead.load(), kWindow / 2);  // the workers did run ahead
}

TEST(RunOrdered, AnErrorOfTheConsumerStopsTheWorkersAndIsRethrown) {
    std::atomic<std::size_t> made{0};
    const std::atomic<bool> never{false};
    EXPECT_THROW(run_ordered(
                     1000000, 2, 16,
                     [&](std::size_t) {
                         ++made;
                         return std::string("x");
                     },
                     [](std::size_t i, std::string&) {
                         if (i == 300) {
                             throw std::runtime_error("disk full");
                         }
                     },
                     never),
                 std::runtime_error);
    EXPECT_LT(made.load(), 400u);
}

}  // namespace
}  // namespace regiomap
