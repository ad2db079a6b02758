// MvtLayerBuilder: geometry commands, tag tables, feature messages, for the
// features of one tile over the city centre (geometry prepared beforehand).
#include <benchmark/benchmark.h>

#include "bench_data.hpp"
#include "core/tiles/mvt_encoder.hpp"
#include "core/tiles/tile_geometry.hpp"

namespace regiomap::bench {
namespace {

struct Prepared {
    std::vector<std::uint32_t> slots;
    std::vector<TileGeometry> geometries;
};

Prepared prepare(const Collection& collection, TileId tile) {
    const TileOptions options;
    TileCutter cutter(tile, options);
    Prepared out;
    for (std::uint32_t slot : candidates(collection, tile, options)) {
        TileGeometry g;
        if (cutter.cut(collection.tile_layer().geometry(slot), g)) {
            out.geometries.push_back(std::move(g));
            out.slots.push_back(slot);
        }
    }
    return out;
}

void run(benchmark::State& state, const Collection& collection) {
    const TileId tile = tile_at(kCentreLon, kCentreLat, static_cast<int>(state.range(0)));
    const Prepared prepared = prepare(collection, tile);
    const TileLayer& layer = collection.tile_layer();
    std::vector<std::string_view> keys;
    for (const FieldDef& field : collection.meta().fields) {
        keys.push_back(field.name);
    }
    std::size_t bytes = 0;
    for (auto _ : state) {
        MvtLayerBuilder builder(collection.id(), 4096, keys, layer.values());
        for (std::size_t i = 0; i < prepared.geometries.size(); ++i) {
            const std::uint32_t slot = prepared.slots[i];
            builder.add_feature(layer.feature_id(slot), prepared.geometries[i], layer.value_ids(slot));
        }
        std::string tile_bytes;
        builder.append_to(tile_bytes);
        bytes = tile_bytes.size();
        benchmark::DoNotOptimize(tile_bytes);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * prepared.geometries.size()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
    state.counters["features"] = static_cast<double>(prepared.geometries.size());
    state.counters["layer_bytes"] = static_cast<double>(bytes);
}

void BM_MvtEncode_Lines(benchmark::State& state) {
    run(state, *dataset_1e5().roads);
}
void BM_MvtEncode_Polygons(benchmark::State& state) {
    run(state, *dataset_1e5().parcels);
}
void BM_MvtEncode_Points(benchmark::State& state) {
    run(state, *dataset_1e5().pois);
}

BENCHMARK(BM_MvtEncode_Lines)->Arg(8)->Arg(12)->Arg(14)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MvtEncode_Polygons)->Arg(10)->Arg(12)->Arg(14)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MvtEncode_Points)->Arg(8)->Arg(12)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace regiomap::bench
