// write_feature_members: one page of 10 000 features as a FeatureCollection
// (what /items?limit=10000 writes, without links and HTTP).
#include <benchmark/benchmark.h>

#include "bench_data.hpp"
#include "core/geojson_writer.hpp"

namespace regiomap::bench {
namespace {

void run(benchmark::State& state, const Collection& collection) {
    const std::size_t page = std::min<std::size_t>(static_cast<std::size_t>(state.range(0)), collection.size());
    std::size_t bytes = 0;
    for (auto _ : state) {
        JsonBuffer buffer;
        JsonWriter json(buffer);
        json.StartObject();
        json.Key("type");
        json.String("FeatureCollection");
        json.Key("features");
        json.StartArray();
        for (std::size_t i = 0; i < page; ++i) {
            json.StartObject();
            write_feature_members(json, collection.meta(), collection.features()[i]);
            json.EndObject();
        }
        json.EndArray();
        json.EndObject();
        bytes = buffer.GetSize();
        benchmark::DoNotOptimize(buffer.GetString());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * page));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
    state.counters["page_bytes"] = static_cast<double>(bytes);
}

void BM_GeoJsonPage_Roads(benchmark::State& state) {
    run(state, *dataset_1e5().roads);
}
void BM_GeoJsonPage_Parcels(benchmark::State& state) {
    run(state, *dataset_1e5().parcels);
}
void BM_GeoJsonPage_Points(benchmark::State& state) {
    run(state, *dataset_1e5().pois);
}

BENCHMARK(BM_GeoJsonPage_Roads)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GeoJsonPage_Parcels)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GeoJsonPage_Points)->Arg(10000)->Unit(benchmark::kMillisecond);

// A page through Collection::query, as the handler asks for it (offset paging, no filter).
void BM_QueryPage(benchmark::State& state) {
    const Collection& collection = *dataset_1e5().parcels;
    ItemQuery query;
    query.limit = 10000;
    query.offset = static_cast<std::size_t>(state.range(0));
    for (auto _ : state) {
        auto result = collection.query(query);
        benchmark::DoNotOptimize(result);
    }
}
BENCHMARK(BM_QueryPage)->Arg(0)->Arg(40000)->Unit(benchmark::kMicrosecond);

// A small bbox (about 1 km) through Collection::query: index + exact test.
void BM_QueryBbox(benchmark::State& state) {
    const Collection& collection = *dataset_1e5().parcels;
    Generator gen(11);
    std::vector<ItemQuery> queries(64);
    for (auto& q : queries) {
        Coord c = gen.position();
        q.boxes = {{c.x - 0.005, c.y - 0.005, c.x + 0.005, c.y + 0.005}};
        q.limit = 10000;
    }
    std::size_t i = 0;
    for (auto _ : state) {
        auto result = collection.query(queries[i++ % queries.size()]);
        benchmark::DoNotOptimize(result);
    }
}
BENCHMARK(BM_QueryBbox)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace regiomap::bench
