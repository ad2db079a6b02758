// The tile cache's refresh interval (TileRefresh in core/tiles/tile_cache.hpp):
// a tile made less than the interval ago is not dropped by a change but kept
// as stale, served as stale by get_allowing_stale() until the interval has
// passed, and never handed out stale by get(). The clock is the test's.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "core/tiles/tile_cache.hpp"

namespace regiomap {
namespace {

using namespace std::chrono_literals;

std::shared_ptr<const CachedTile> tile_with(const std::string& text) {
    auto t = std::make_shared<CachedTile>();
    t->raw = text;
    return t;
}

// Zoom 10 over Beichen, and a point inside it.
constexpr TileId kTile{10, 845, 390};
constexpr Box kInside{117.15, 39.2, 117.15, 39.2};
constexpr Box kElsewhere{-70.0, -30.0, -70.0, -30.0};

struct Fixture : ::testing::Test {
    std::chrono::steady_clock::time_point now{};
    TileCache cache{1 << 20, 64.0 / 4096, TileRefresh{250ms, [this] { return now; }}};
    int made = 0;

    LiveTile ask(std::uint64_t generation) {
        return cache.get_allowing_stale(LiveTileKey{"pois", kTile}, generation, [&] {
            ++made;
            return tile_with("made " + std::to_string(made));
        });
    }
};

using TileCacheRefresh = Fixture;

TEST_F(TileCacheRefresh, AChangeSoonAfterTheMakingLeavesTheTileStaleUntilTheIntervalEnds) {
    EXPECT_EQ(ask(1).tile->raw, "made 1");
    now += 100ms;
    cache.invalidate(2, {"pois"}, {kInside});
    const LiveTile stale = ask(2);
    EXPECT_EQ(stale.tile->raw, "made 1");
    EXPECT_TRUE(stale.stale);
    now += 149ms;  // 249 ms after the making: still within the interval
    EXPECT_TRUE(ask(2).stale);
    EXPECT_EQ(made, 1);
    now += 1ms;  // 250 ms: due
    const LiveTile fresh = ask(2);
    EXPECT_EQ(fresh.tile->raw, "made 2");
    EXPECT_FALSE(fresh.stale);
    EXPECT_EQ(cache.stats().deferred, 1u);
    EXPECT_EQ(cache.stats().stale_hits, 2u);
}

TEST_F(TileCacheRefresh, AChangeLaterThanTheIntervalDropsTheTileAtOnce) {
    ask(1);
    now += 250ms;
    cache.invalidate(2, {"pois"}, {kInside});
    const LiveTile after = ask(2);
    EXPECT_EQ(after.tile->raw, "made 2");
    EXPECT_FALSE(after.stale);
    EXPECT_EQ(cache.stats().deferred, 0u);
    EXPECT_EQ(cache.stats().invalidated, 1u);
}

TEST_F(TileCacheRefresh, ManyChangesWithinOneIntervalMakeTheTileOnceMore) {
    ask(1);
    for (std::uint64_t generation = 2; generation < 100; ++generation) {
        now += 10ms;  // 100 changes a second under the tile
        cache.invalidate(generation, {"pois"}, {kInside});
        ask(generation);
    }
    // ~1 s of edits: the tile was made again about every 250 ms, not 98 times
    EXPECT_GE(made, 4);
    EXPECT_LE(made, 6);
}

TEST_F(TileCacheRefresh, PlainGetNeverHandsOutAStaleTile) {
    ask(1);
    now += 10ms;
    cache.invalidate(2, {"pois"}, {kInside});
    const auto tile = cache.get(LiveTileKey{"pois", kTile}, 2, [&] {
        ++made;
        return tile_with("made for the all-collections tile");
    });
    EXPECT_EQ(tile->raw, "made for the all-collections tile");
    // and what it made is kept as new
    EXPECT_FALSE(ask(2).stale);
    EXPECT_EQ(made, 2);
}

TEST_F(TileCacheRefresh, AChangeElsewhereLeavesTheTileFresh) {
    ask(1);
    cache.invalidate(2, {"pois"}, {kElsewhere});
    EXPECT_FALSE(ask(2).stale);
    EXPECT_EQ(made, 1);
}

TEST_F(TileCacheRefresh, ATileMadeFromDataThatChangedMeanwhileIsKeptAsStale) {
    LiveTile during;
    {
        // the change lands while the tile of generation 1 is being made
        during = cache.get_allowing_stale(LiveTileKey{"pois", kTile}, 1, [&] {
            cache.invalidate(2, {"pois"}, {kInside});
            ++made;
            return tile_with("of generation 1");
        });
    }
    EXPECT_EQ(during.tile->raw, "of generation 1");  // right for its own request
    EXPECT_EQ(cache.stats().refused, 1u);
    const LiveTile next = ask(2);
    EXPECT_TRUE(next.stale);
    EXPECT_EQ(next.tile->raw, "of generation 1");
    now += 250ms;
    EXPECT_EQ(ask(2).tile->raw, "made 2");
}

TEST_F(TileCacheRefresh, WhileOneRequestMakesADueTileAgainTheOthersGetTheStaleOne) {
    ask(1);
    now += 10ms;
    cache.invalidate(2, {"pois"}, {kInside});
    now += 250ms;  // due
    std::promise<void> release;
    std::promise<void> making;
    std::thread maker([&] {
        const LiveTile made_again = cache.get_allowing_stale(LiveTileKey{"pois", kTile}, 2, [&] {
            making.set_value();
            release.get_future().wait();
            return tile_with("made again");
        });
        EXPECT_EQ(made_again.tile->raw, "made again");
        EXPECT_FALSE(made_again.stale);
    });
    making.get_future().wait();
    // does not wait for the maker (it would never return: the maker waits for us)
    const LiveTile meanwhile = ask(2);
    EXPECT_TRUE(meanwhile.stale);
    EXPECT_EQ(meanwhile.tile->raw, "made 1");
    release.set_value();
    maker.join();
    EXPECT_EQ(ask(2).tile->raw, "made again");
    EXPECT_EQ(made, 1);  // ask() never made one
}

// The tile made again is too large to keep: the stale one must not stay
// behind, marked as being made again, and be served for good.
TEST(TileCacheRefreshBudget, ATileMadeAgainTooLargeToKeepDoesNotLeaveTheStaleOneBehind) {
    std::chrono::steady_clock::time_point now{};
    TileCache cache(2048, 64.0 / 4096, TileRefresh{250ms, [&] { return now; }});
    std::string next = "small";
    auto ask = [&] { return cache.get_allowing_stale(LiveTileKey{"pois", kTile}, 2, [&] { return tile_with(next); }); };
    ask();
    now += 10ms;
    cache.invalidate(2, {"pois"}, {kInside});
    now += 250ms;
    next = std::string(4096, 'x');  // over the whole budget
    EXPECT_EQ(ask().tile->raw.size(), 4096u);
    const LiveTile after = ask();
    EXPECT_FALSE(after.stale);
    EXPECT_EQ(after.tile->raw.size(), 4096u);
}

TEST(TileCacheRefreshOff, WithoutAnIntervalAChangeDropsTheTileAtOnce) {
    TileCache cache(1 << 20);
    int made = 0;
    auto ask = [&](std::uint64_t generation) {
        return cache.get_allowing_stale(LiveTileKey{"pois", kTile}, generation, [&] {
            ++made;
            return tile_with("made");
        });
    };
    ask(1);
    cache.invalidate(2, {"pois"}, {kInside});
    EXPECT_FALSE(ask(2).stale);
    EXPECT_EQ(made, 2);
}

}  // namespace
}  // namespace regiomap
