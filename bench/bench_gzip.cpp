// gzip of a made tile, which a cold tile pays whether or not the client asks
// for gzip (the cache keeps both forms).
#include <benchmark/benchmark.h>

#include "bench_data.hpp"
#include "core/tiles/tiler.hpp"
#include "http/compression.hpp"

namespace regiomap::bench {
namespace {

void BM_GzipTile(benchmark::State& state) {
    const TileId tile = tile_at(kCentreLon, kCentreLat, static_cast<int>(state.range(0)));
    const std::string raw = render_tile(dataset_1e5().all(), tile, TileOptions{});
    const int level = static_cast<int>(state.range(1));
    std::size_t packed = 0;
    for (auto _ : state) {
        auto out = http::gzip_compress(raw, level);
        packed = out ? out->size() : 0;
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * raw.size()));
    state.counters["raw_kib"] = static_cast<double>(raw.size()) / 1024;
    state.counters["gzip_kib"] = static_cast<double>(packed) / 1024;
}
BENCHMARK(BM_GzipTile)->Args({10, 6})->Args({10, 1})->Args({14, 6})->Args({14, 1})->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace regiomap::bench
