// What one live update costs the server (issue 13 §2: < 50 ms of CPU per
// single-feature edit at 10^6 features), apart from reading the row: the
// new collection (an overlay on the shared base), the new store, and the
// tile cache's invalidation with a full cache. Arguments: collection size,
// and how many features the overlay already holds (the cost grows with it
// until the compaction bound, Collection::kMaxOverlay).
#include <benchmark/benchmark.h>

#include <map>

#include "bench_data.hpp"
#include "core/tiles/tile_cache.hpp"

namespace regiomap::bench {
namespace {

// A pois collection of `n`, with `changed` features already moved (cached per size).
std::shared_ptr<const Collection> live_pois(std::size_t n, std::size_t changed) {
    static std::map<std::pair<std::size_t, std::size_t>, std::shared_ptr<const Collection>> made;
    auto& slot = made[{n, changed}];
    if (!slot) {
        std::shared_ptr<const Collection> collection = pois(n);
        std::vector<Feature> moved;
        for (std::size_t i = 0; i < changed; ++i) {
            Feature f = *collection->find(static_cast<std::int64_t>(i * 97 % n + 1));
            f.geometry.coords[0].x += 0.001;
            moved.push_back(std::move(f));
        }
        slot = moved.empty() ? collection : collection->with_changes(std::move(moved), {});
    }
    return slot;
}

void BM_LiveUpdate_OneFeature(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto collection = live_pois(n, static_cast<std::size_t>(state.range(1)));
    const FeatureStore store("bench", FeatureStore::Collections{collection});
    Feature edited = *collection->find(static_cast<std::int64_t>(n / 2));
    for (auto _ : state) {
        edited.geometry.coords[0].y += 1e-6;
        auto next = store.with_collection(collection->with_changes({edited}, {}));
        benchmark::DoNotOptimize(next);
    }
}
BENCHMARK(BM_LiveUpdate_OneFeature)
    ->Args({100'000, 0})
    ->Args({100'000, 1000})
    ->Args({1'000'000, 0})
    ->Args({1'000'000, 1000})
    ->Args({1'000'000, 4000})
    ->Unit(benchmark::kMillisecond);

// invalidate() with a full cache (tiles of one layer at zooms 10-16 around the centre).
void BM_TileCacheInvalidate(benchmark::State& state) {
    TileCache cache(std::size_t{1} << 30);
    const auto entries = static_cast<std::size_t>(state.range(0));
    auto tile = std::make_shared<CachedTile>();
    tile->raw.assign(100, 'x');
    for (std::size_t i = 0; i < entries; ++i) {
        const int z = 10 + static_cast<int>(i % 7);
        const TileId centre = tile_at(kCentreLon, kCentreLat, z);
        const auto offset = static_cast<std::uint32_t>(i / 7);
        cache.get(LiveTileKey{"pois", TileId{z, centre.x + offset % 64, centre.y + offset / 64}}, 1,
                  [&] { return tile; });
    }
    std::uint64_t generation = 2;
    const Box changed{kCentreLon, kCentreLat, kCentreLon, kCentreLat};
    for (auto _ : state) {
        cache.invalidate(generation++, {"pois", "*"}, {changed});
    }
    state.counters["entries"] = static_cast<double>(cache.stats().entries);
}
BENCHMARK(BM_TileCacheInvalidate)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace regiomap::bench
