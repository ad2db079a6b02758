// render_tile end to end (index search, geometry, encoding; no gzip, no HTTP)
// on the 10^5-feature set, one tile over the city centre per zoom; and what
// building the collections costs (the part of the load after GDAL).
#include <benchmark/benchmark.h>

#include "bench_data.hpp"
#include "core/tiles/tiler.hpp"

namespace regiomap::bench {
namespace {

void BM_RenderTile(benchmark::State& state) {
    const auto collections = dataset_1e5().all();
    const TileId tile = tile_at(kCentreLon, kCentreLat, static_cast<int>(state.range(0)));
    const TileOptions options;
    TileStats stats;
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto out = render_tile(collections, tile, options, &stats);
        bytes = out.size();
        benchmark::DoNotOptimize(out);
    }
    state.counters["features"] = static_cast<double>(stats.features);
    state.counters["dropped"] = static_cast<double>(stats.dropped);
    state.counters["tile_kib"] = static_cast<double>(bytes) / 1024;
}
BENCHMARK(BM_RenderTile)->DenseRange(0, 16, 2)->Unit(benchmark::kMillisecond);

// Collection construction: boxes, CRS84 index, projection to EPSG:3857 (PROJ), mercator index, id order.
void BM_CollectionBuild_Parcels(benchmark::State& state) {
    Generator gen(2);
    std::vector<Feature> features(static_cast<std::size_t>(state.range(0)));
    for (std::size_t i = 0; i < features.size(); ++i) {
        features[i].id = static_cast<std::int64_t>(i + 1);
        features[i].geometry = gen.parcel();
    }
    for (auto _ : state) {
        state.PauseTiming();
        auto copy = features;
        state.ResumeTiming();
        Collection c(CollectionMeta{"parcels", "parcels", "", {}, GeometryType::polygon}, std::move(copy));
        benchmark::DoNotOptimize(c);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CollectionBuild_Parcels)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace regiomap::bench
