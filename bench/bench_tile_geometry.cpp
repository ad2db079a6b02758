// make_tile_geometry (transform, clip, simplify, snap; GEOS for polygons) on the
// candidates of one tile over the city centre, by zoom: the per-feature cost
// of a cold tile without the encoder.
#include <benchmark/benchmark.h>

#include "bench_data.hpp"
#include "core/tile_geometry.hpp"

namespace regiomap::bench {
namespace {

void run(benchmark::State& state, const Collection& collection) {
    const int z = static_cast<int>(state.range(0));
    const TileOptions options;
    const TileId tile = tile_at(kCentreLon, kCentreLat, z);
    const auto positions = candidates(collection, tile, options);
    const geos::Context geos;
    std::size_t kept = 0;
    std::size_t vertices_in = 0;
    for (std::uint32_t p : positions) {
        vertices_in += collection.mercator(p).coords.size();
    }
    for (auto _ : state) {
        kept = 0;
        for (std::uint32_t p : positions) {
            auto g = make_tile_geometry(collection.mercator(p), tile, options, geos);
            kept += g.has_value();
            benchmark::DoNotOptimize(g);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * positions.size()));
    state.counters["candidates"] = static_cast<double>(positions.size());
    state.counters["kept"] = static_cast<double>(kept);
    state.counters["vertices"] = static_cast<double>(vertices_in);
    state.counters["us_per_feature"] = benchmark::Counter(
        static_cast<double>(positions.size()), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_TileGeometry_Lines(benchmark::State& state) { run(state, *dataset_1e5().roads); }
void BM_TileGeometry_Polygons(benchmark::State& state) { run(state, *dataset_1e5().parcels); }
void BM_TileGeometry_Points(benchmark::State& state) { run(state, *dataset_1e5().pois); }

BENCHMARK(BM_TileGeometry_Lines)->DenseRange(8, 16, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TileGeometry_Polygons)->DenseRange(8, 16, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TileGeometry_Points)->Arg(8)->Arg(12)->Arg(16)->Unit(benchmark::kMicrosecond);

// Douglas–Peucker alone on a long road-like path (grid units, tolerance 3).
void BM_Simplify(benchmark::State& state) {
    Generator gen(7);
    std::vector<Coord> path;
    Coord c{0, 0};
    double heading = 0;
    for (std::int64_t i = 0; i < state.range(0); ++i) {
        heading += gen.normal(0, 0.12);
        const double step = gen.uniform(1, 8);
        c.x += std::cos(heading) * step;
        c.y += std::sin(heading) * step;
        path.push_back(c);
    }
    for (auto _ : state) {
        auto out = simplify(path, 3.0);
        benchmark::DoNotOptimize(out);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Simplify)->Arg(30)->Arg(300)->Arg(10000);

}  // namespace
}  // namespace regiomap::bench
