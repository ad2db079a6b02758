// The tile cache's rules for live data (core/tiles/tile_cache.hpp): a
// change drops only the tiles it touches, at every zoom, for its layer and
// the all-collections tile; a tile made from older data that a change
// touched meanwhile is served but never kept. The races are made
// deterministic: the maker blocks until the test lets it finish.
#include <gtest/gtest.h>

#include <cmath>
#include <future>
#include <numbers>
#include <thread>

#include "core/tiles/tile_cache.hpp"

namespace regiomap {
namespace {

std::shared_ptr<const CachedTile> tile_with(const std::string& text) {
    auto t = std::make_shared<CachedTile>();
    t->raw = text;
    return t;
}

TileId tile_at(double lon, double lat, int z) {
    const double n = std::ldexp(1.0, z);
    const double r = lat * std::numbers::pi / 180;
    return {z, static_cast<std::uint32_t>((lon + 180) / 360 * n),
            static_cast<std::uint32_t>((1 - std::asinh(std::tan(r)) / std::numbers::pi) / 2 * n)};
}

Box point_box(double lon, double lat) {
    return {lon, lat, lon, lat};
}

// Whether the cache still holds the tile: asking for it makes it only if not.
bool cached(TileCache& cache, const std::string& layer, TileId tile, std::uint64_t generation) {
    bool made = false;
    cache.get(LiveTileKey{layer, tile}, generation, [&] {
        made = true;
        return tile_with("remade");
    });
    return !made;
}

constexpr double kLon = 117.1337, kLat = 39.2468;    // the change
constexpr double kFarLon = 117.40, kFarLat = 39.05;  // elsewhere in the district

TEST(TileCacheInvalidation, DropsOnlyTheTilesTheChangeMeetsAtEveryZoom) {
    TileCache cache(64 << 20);
    for (int z = 0; z <= 16; ++z) {
        for (const char* layer : {"industry", "*", "roads"}) {
            cache.get(LiveTileKey{layer, tile_at(kLon, kLat, z)}, 1, [] { return tile_with("old"); });
            cache.get(LiveTileKey{layer, tile_at(kFarLon, kFarLat, z)}, 1, [] { return tile_with("old"); });
        }
    }
    cache.invalidate(2, {"industry", "*"}, {point_box(kLon, kLat)});
    for (int z = 0; z <= 16; ++z) {
        const TileId here = tile_at(kLon, kLat, z);
        const TileId far = tile_at(kFarLon, kFarLat, z);
        EXPECT_FALSE(cached(cache, "industry", here, 2)) << z;
        EXPECT_FALSE(cached(cache, "*", here, 2)) << z;
        EXPECT_TRUE(cached(cache, "roads", here, 2)) << "another collection's layer, zoom " << z;
        if (!(far == here)) {
            EXPECT_TRUE(cached(cache, "industry", far, 2)) << "a tile elsewhere, zoom " << z;
        }
    }
    EXPECT_GT(cache.stats().invalidated, 0u);
}

TEST(TileCacheInvalidation, AChangeWithinTheBufferDropsTheNeighbour) {
    TileCache cache(1 << 20, 64.0 / 4096);
    const TileId tile = tile_at(kLon, kLat, 14);
    const double width = 360.0 / (1 << 14);
    const double east_edge = -180 + (tile.x + 1) * width;
    cache.get(LiveTileKey{"industry", tile}, 1, [] { return tile_with("old"); });
    cache.invalidate(2, {"industry"}, {point_box(east_edge + width * 0.1, kLat)});  // beyond the buffer
    EXPECT_TRUE(cached(cache, "industry", tile, 2));
    cache.invalidate(3, {"industry"}, {point_box(east_edge + width * 0.01, kLat)});  // within 64/4096
    EXPECT_FALSE(cached(cache, "industry", tile, 3));
}

TEST(TileCacheInvalidation, TilesAtTheWorldsEdgeReachBeyondMercator) {
    TileCache cache(1 << 20);
    const TileId top{3, 4, 0};
    cache.get(LiveTileKey{"x", top}, 1, [] { return tile_with("old"); });
    cache.invalidate(2, {"x"}, {point_box(10.0, 88.0)});  // drawn on the top row (clamped at 85.05°)
    EXPECT_FALSE(cached(cache, "x", top, 2));
}

TEST(TileCacheInvalidation, ATileOfOlderDataMadeDuringAChangeIsServedButNotKept) {
    TileCache cache(1 << 20);
    const TileId tile = tile_at(kLon, kLat, 12);
    std::promise<void> started, release;
    std::shared_ptr<const CachedTile> served;
    std::thread old_request([&] {
        served = cache.get(LiveTileKey{"industry", tile}, 1, [&] {
            started.set_value();
            release.get_future().wait();  // still rendering the old snapshot...
            return tile_with("old data");
        });
    });
    started.get_future().wait();
    cache.invalidate(2, {"industry", "*"}, {point_box(kLon, kLat)});  // ...when the change is published
    release.set_value();
    old_request.join();
    EXPECT_EQ(served->raw, "old data");  // right for the snapshot that asked
    EXPECT_EQ(cache.stats().refused, 1u);
    std::string now;
    cache.get(LiveTileKey{"industry", tile}, 2, [&] {
        now = "new data";
        return tile_with(now);
    });
    EXPECT_EQ(now, "new data") << "the old tile was kept and served as the new data's";
}

TEST(TileCacheInvalidation, ATileOfOlderDataElsewhereIsKept) {
    TileCache cache(1 << 20);
    const TileId tile = tile_at(kFarLon, kFarLat, 12);
    std::promise<void> started, release;
    std::thread old_request([&] {
        cache.get(LiveTileKey{"industry", tile}, 1, [&] {
            started.set_value();
            release.get_future().wait();
            return tile_with("unchanged");
        });
    });
    started.get_future().wait();
    cache.invalidate(2, {"industry"}, {point_box(kLon, kLat)});
    release.set_value();
    old_request.join();
    EXPECT_TRUE(cached(cache, "industry", tile, 2));
}

TEST(TileCacheInvalidation, NewerDataNeverWaitsForATileOfOlderData) {
    TileCache cache(1 << 20);
    const TileId tile = tile_at(kLon, kLat, 10);
    std::promise<void> started, release;
    std::thread old_request([&] {
        cache.get(LiveTileKey{"industry", tile}, 1, [&] {
            started.set_value();
            release.get_future().wait();
            return tile_with("old");
        });
    });
    started.get_future().wait();
    cache.invalidate(2, {"industry"}, {point_box(kLon, kLat)});
    // Single flight is per generation: this returns while generation 1's
    // tile is still being made (it would hang here otherwise).
    auto fresh = cache.get(LiveTileKey{"industry", tile}, 2, [] { return tile_with("new"); });
    EXPECT_EQ(fresh->raw, "new");
    release.set_value();
    old_request.join();
    auto again = cache.get(LiveTileKey{"industry", tile}, 2, [] { return tile_with("made again"); });
    EXPECT_EQ(again->raw, "new") << "generation 1's late tile replaced generation 2's";
}

TEST(TileCacheInvalidation, AFullClearRefusesEveryOlderTile) {
    TileCache cache(1 << 20);
    const TileId tile = tile_at(kFarLon, kFarLat, 9);
    std::promise<void> started, release;
    std::thread old_request([&] {
        cache.get(LiveTileKey{"industry", tile}, 1, [&] {
            started.set_value();
            release.get_future().wait();
            return tile_with("old");
        });
    });
    started.get_future().wait();
    cache.clear(2);
    release.set_value();
    old_request.join();
    EXPECT_FALSE(cached(cache, "industry", tile, 2));
}

TEST(TileCacheInvalidation, ArchiveTilesAreNotTouched) {
    TileCache cache(1 << 20);
    cache.get("archive:base/0/0/0", [] { return tile_with("base"); });
    cache.invalidate(2, {"industry", "*"}, {Box{-180, -90, 180, 90}});
    int made = 0;
    cache.get("archive:base/0/0/0", [&] {
        ++made;
        return tile_with("base");
    });
    EXPECT_EQ(made, 0);
}

}  // namespace
}  // namespace regiomap
