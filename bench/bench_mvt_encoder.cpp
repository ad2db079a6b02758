// MvtLayerBuilder: geometry commands, tag tables, feature messages, for the
// features of one tile over the city centre (geometry prepared beforehand).
#include <benchmark/benchmark.h>

#include "bench_data.hpp"
#include "core/tiles/mvt_encoder.hpp"
#include "core/tiles/tile_geometry.hpp"

namespace regiomap::bench {
namespace {

struct Prepared {
    std::vector<std::int64_t> ids;
    std::vector<TileGeometry> geometries;
    std::vector<const Feature*> features;
};

Prepared prepare(const Collection& collection, TileId tile) {
    const TileOptions options;
    const geos::Context geos;
    Prepared out;
    for (std::uint32_t p : candidates(collection, tile, options)) {
        if (auto g = make_tile_geometry(collection.tile_layer().geometry(p), tile, options, geos)) {
            out.geometries.push_back(std::move(*g));
            out.features.push_back(&collection.features()[p]);
        }
    }
    return out;
}

void run(benchmark::State& state, const Collection& collection) {
    const TileId tile = tile_at(kCentreLon, kCentreLat, static_cast<int>(state.range(0)));
    const Prepared prepared = prepare(collection, tile);
    const auto& fields = collection.meta().fields;
    std::vector<std::pair<std::string_view, const Value*>> properties(fields.size());
    std::size_t bytes = 0;
    for (auto _ : state) {
        MvtLayerBuilder layer(collection.id(), 4096);
        for (std::size_t i = 0; i < prepared.geometries.size(); ++i) {
            const Feature& feature = *prepared.features[i];
            for (std::size_t f = 0; f < fields.size(); ++f) {
                properties[f] = {fields[f].name, &feature.properties[f]};
            }
            layer.add_feature(feature.id, prepared.geometries[i], properties);
        }
        std::string tile_bytes;
        layer.append_to(tile_bytes);
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
