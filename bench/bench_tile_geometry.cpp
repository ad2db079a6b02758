// TileCutter (transform, clip, simplify, snap; GEOS for the polygons the
// fast path cannot prove valid) on the candidates of one tile over the city
// centre, by zoom, one cutter per tile as the tiler uses it: the per-feature
// cost of a cold tile without the encoder.
#include <benchmark/benchmark.h>

#include <memory>

#include "bench_data.hpp"
#include "core/tiles/tile_geometry.hpp"

namespace regiomap::bench {
namespace {

void run(benchmark::State& state, const Collection& collection) {
    const int z = static_cast<int>(state.range(0));
    const TileOptions options;
    const TileId tile = tile_at(kCentreLon, kCentreLat, z);
    const auto positions = candidates(collection, tile, options);
    std::size_t kept = 0;
    std::size_t vertices_in = 0;
    for (std::uint32_t p : positions) {
        vertices_in += collection.tile_layer().geometry(p).coords.size();
    }
    TileCutter cutter(tile, options);
    TileGeometry g;
    for (auto _ : state) {
        kept = 0;
        for (std::uint32_t p : positions) {
            kept += cutter.cut(collection.tile_layer().geometry(p), g);
            benchmark::DoNotOptimize(g);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * positions.size()));
    state.counters["candidates"] = static_cast<double>(positions.size());
    state.counters["kept"] = static_cast<double>(kept);
    state.counters["vertices"] = static_cast<double>(vertices_in);
    state.counters["us_per_feature"] =
        benchmark::Counter(static_cast<double>(positions.size()),
                           benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_TileGeometry_Lines(benchmark::State& state) {
    run(state, *dataset_1e5().roads);
}
void BM_TileGeometry_Polygons(benchmark::State& state) {
    run(state, *dataset_1e5().parcels);
}
void BM_TileGeometry_Points(benchmark::State& state) {
    run(state, *dataset_1e5().pois);
}

BENCHMARK(BM_TileGeometry_Lines)->DenseRange(8, 16, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TileGeometry_Polygons)->DenseRange(8, 16, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TileGeometry_Points)->Arg(8)->Arg(12)->Arg(16)->Unit(benchmark::kMicrosecond);

// Parcels that cross the edge of the buffered tile (their exterior's box is
// not inside it), gathered over the 5 × 5 tiles around the centre so that
// there are enough of them: the polygons that need clipping. `geos` is the
// fraction that the fast path leaves to GEOS.
void BM_TileGeometry_EdgePolygons(benchmark::State& state) {
    const Collection& collection = *dataset_1e5().parcels;
    const int z = static_cast<int>(state.range(0));
    const TileOptions options;
    const double low = -static_cast<double>(options.buffer);
    const double high = static_cast<double>(options.extent + options.buffer);
    const TileId centre = tile_at(kCentreLon, kCentreLat, z);
    const geos::Context geos;
    CutStats stats;
    std::vector<std::unique_ptr<TileCutter>> cutters;
    std::vector<std::pair<std::uint32_t, TileCutter*>> work;
    for (std::uint32_t dx = 0; dx < 5; ++dx) {
        for (std::uint32_t dy = 0; dy < 5; ++dy) {
            const TileId tile{z, centre.x + dx - 2, centre.y + dy - 2};
            cutters.push_back(std::make_unique<TileCutter>(tile, options, &geos, &stats));
            const TileTransform to_grid(tile, options.extent);
            for (std::uint32_t p : candidates(collection, tile, options)) {
                const GeometryView g = collection.tile_layer().geometry(p);
                Box box;
                for (const Coord& c : g.path(0)) {
                    box.extend(to_grid(c));
                }
                const bool inside = box.min_x >= low && box.max_x <= high && box.min_y >= low && box.max_y <= high;
                const bool meets = box.max_x >= low && box.min_x <= high && box.max_y >= low && box.min_y <= high;
                const double size = options.scaled(options.min_feature_size);
                if (!inside && meets && (box.max_x - box.min_x >= size || box.max_y - box.min_y >= size)) {
                    work.emplace_back(p, cutters.back().get());
                }
            }
        }
    }
    std::size_t kept = 0;
    TileGeometry g;
    for (auto _ : state) {
        kept = 0;
        for (auto [p, cutter] : work) {
            kept += cutter->cut(collection.tile_layer().geometry(p), g);
            benchmark::DoNotOptimize(g);
        }
    }
    const auto runs = static_cast<double>(state.iterations() * work.size());
    state.counters["geos"] = static_cast<double>(stats.polygons_through_geos) / runs;
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * work.size()));
    state.counters["polygons"] = static_cast<double>(work.size());
    state.counters["kept"] = static_cast<double>(kept);
    state.counters["us_per_feature"] = benchmark::Counter(
        static_cast<double>(work.size()), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_TileGeometry_EdgePolygons)->DenseRange(10, 16, 2)->Unit(benchmark::kMicrosecond);

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
