#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/tiles/tile_cache.hpp"

namespace regiomap {
namespace {

std::shared_ptr<const CachedTile> tile_of(std::size_t bytes) {
    auto t = std::make_shared<CachedTile>();
    t->raw.assign(bytes, 'x');
    return t;
}

TEST(TileCache, HitsAfterTheFirstMiss) {
    TileCache cache(1 << 20);
    int made = 0;
    auto make = [&] {
        ++made;
        return tile_of(100);
    };
    cache.get("a", make);
    cache.get("a", make);
    EXPECT_EQ(made, 1);
    EXPECT_EQ(cache.stats().hits, 1u);
    EXPECT_EQ(cache.stats().misses, 1u);
}

TEST(TileCache, EvictsTheLeastRecentlyUsedWithinTheBudget) {
    TileCache cache(3 * 2200);  // three 1000-byte tiles, each counted with room for its gzip form
    for (const char* key : {"a", "b", "c"}) {
        cache.get(key, [] { return tile_of(1000); });
    }
    cache.get("a", [] { return tile_of(1000); });  // "a" is now the most recent
    cache.get("d", [] { return tile_of(1000); });  // evicts "b"
    EXPECT_EQ(cache.stats().evictions, 1u);
    EXPECT_LE(cache.stats().bytes, 3u * 2200);
    int made = 0;
    cache.get("a", [&] {
        ++made;
        return tile_of(1000);
    });
    EXPECT_EQ(made, 0);
    cache.get("b", [&] {
        ++made;
        return tile_of(1000);
    });
    EXPECT_EQ(made, 1);
}

TEST(TileCache, ConcurrentRequestsForOneTileMakeItOnce) {
    TileCache cache(1 << 20);
    std::atomic<int> made{0};
    std::vector<std::thread> threads;
    std::vector<std::shared_ptr<const CachedTile>> results(8);
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            results[i] = cache.get("z/x/y", [&] {
                ++made;
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                return tile_of(10);
            });
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(made.load(), 1);
    for (const auto& r : results)
        EXPECT_EQ(r, results[0]);
}

TEST(TileCache, GzipIsMadeOnceAndOnlyWhenAsked) {
    auto tile = std::make_shared<CachedTile>();
    tile->raw = "abc";
    int compressions = 0;
    auto compress = [&](const std::string& raw) {
        ++compressions;
        return "gz:" + raw;
    };
    EXPECT_EQ(compressions, 0);
    EXPECT_EQ(tile->gzip(compress), "gz:abc");
    EXPECT_EQ(tile->gzip(compress), "gz:abc");
    EXPECT_EQ(compressions, 1);
}

TEST(TileCache, AFailureIsNotCached) {
    TileCache cache(1 << 20);
    EXPECT_THROW(cache.get("k", []() -> std::shared_ptr<const CachedTile> { throw std::runtime_error("boom"); }),
                 std::runtime_error);
    int made = 0;
    cache.get("k", [&] {
        ++made;
        return tile_of(1);
    });
    EXPECT_EQ(made, 1);
}

TEST(TileCache, ZeroBudgetKeepsNothing) {
    TileCache cache(0);
    int made = 0;
    cache.get("k", [&] {
        ++made;
        return tile_of(1);
    });
    cache.get("k", [&] {
        ++made;
        return tile_of(1);
    });
    EXPECT_EQ(made, 2);
    EXPECT_EQ(cache.stats().entries, 0u);
}

}  // namespace
}  // namespace regiomap
