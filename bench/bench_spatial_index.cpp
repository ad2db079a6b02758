// The packed Hilbert R-tree: build, and searches of a small box (a bbox query
// or a z16 tile) and a large one (a z10 tile).
#include <benchmark/benchmark.h>

#include "bench_data.hpp"
#include "core/spatial_index.hpp"

namespace regiomap::bench {
namespace {

std::vector<Box> boxes(std::size_t n) {
    Generator gen(5);
    std::vector<Box> out(n);
    for (Box& b : out) {
        const Coord c = gen.position();
        const double w = gen.uniform(0.0002, 0.01);
        const double h = gen.uniform(0.0002, 0.01);
        b = {c.x, c.y, c.x + w, c.y + h};
    }
    return out;
}

void BM_IndexBuild(benchmark::State& state) {
    const auto items = boxes(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        auto index = SpatialIndex::build(items);
        benchmark::DoNotOptimize(index);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_IndexBuild)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void search(benchmark::State& state, double size) {
    const auto items = boxes(static_cast<std::size_t>(state.range(0)));
    const auto index = SpatialIndex::build(items);
    Generator gen(9);
    std::vector<Box> queries(256);
    for (Box& q : queries) {
        const Coord c = gen.position();
        q = {c.x - size / 2, c.y - size / 2, c.x + size / 2, c.y + size / 2};
    }
    std::size_t i = 0;
    std::size_t found = 0;
    for (auto _ : state) {
        auto hits = index.search(queries[i++ % queries.size()]);
        found += hits.size();
        benchmark::DoNotOptimize(hits);
    }
    state.counters["hits"] = benchmark::Counter(static_cast<double>(found), benchmark::Counter::kAvgIterations);
}

void BM_IndexSearch_1km(benchmark::State& state) {
    search(state, 0.01);
}
void BM_IndexSearch_z16(benchmark::State& state) {
    search(state, 360.0 / 65536);
}
void BM_IndexSearch_z10(benchmark::State& state) {
    search(state, 360.0 / 1024);
}
BENCHMARK(BM_IndexSearch_1km)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_IndexSearch_z16)->Arg(1000000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_IndexSearch_z10)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace regiomap::bench
