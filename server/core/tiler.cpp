#include "core/tiler.hpp"

#include "core/mvt_encoder.hpp"
#include "core/tile_geometry.hpp"

namespace regiomap {

namespace {

// A tile's features are scattered over the heap (each geometry and each
// property list is its own allocation), and waiting for memory was the
// largest single cost of a dense tile. So while feature k is cut, the
// records of feature k + 8 and the vertex and property arrays of feature
// k + 4 (whose records were asked for four steps ago) are fetched.
void prefetch_ahead(const Collection& collection, std::span<const std::uint32_t> candidates, std::size_t k) {
    constexpr std::size_t records_ahead = 8;
    constexpr std::size_t arrays_ahead = 4;
    if (k + records_ahead < candidates.size()) {
        const std::uint32_t later = candidates[k + records_ahead];
        __builtin_prefetch(&collection.mercator(later));
        __builtin_prefetch(&collection.features()[later]);
    }
    if (k + arrays_ahead < candidates.size()) {
        const std::uint32_t soon = candidates[k + arrays_ahead];
        const Geometry& geometry = collection.mercator(soon);
        __builtin_prefetch(geometry.coords.data());
        __builtin_prefetch(geometry.path_ends.data());
        __builtin_prefetch(collection.features()[soon].properties.data());
    }
}

}  // namespace

std::string render_tile(std::span<const Collection* const> collections, TileId tile, const TileOptions& options,
                        TileStats* stats) {
    const geos::Context geos;
    TileStats counted;
    std::string out;

    // Candidates come from the EPSG:3857 index with the tile grown by its buffer.
    Box query = tile_bounds(tile);
    const double margin = (query.max_x - query.min_x) * options.buffer / options.extent;
    query = {query.min_x - margin, query.min_y - margin, query.max_x + margin, query.max_y + margin};

    for (const Collection* collection : collections) {
        MvtLayerBuilder layer(collection->id(), options.extent);
        const auto& fields = collection->meta().fields;
        std::vector<std::pair<std::string_view, const Value*>> properties(fields.size());
        const auto candidates = collection->tile_candidates(query, tile.z);
        for (std::size_t k = 0; k < candidates.size(); ++k) {
            prefetch_ahead(*collection, candidates, k);
            const std::uint32_t position = candidates[k];
            auto geometry = make_tile_geometry(collection->mercator(position), tile, options, geos);
            if (!geometry) {
                ++counted.dropped;
                continue;
            }
            const Feature& feature = collection->features()[position];
            for (std::size_t i = 0; i < fields.size(); ++i) {
                properties[i] = {fields[i].name, &feature.properties[i]};
            }
            layer.add_feature(feature.id, *geometry, properties);
        }
        if (!layer.empty()) {
            counted.features += layer.feature_count();
            layer.append_to(out);
        }
    }
    if (stats) {
        *stats = counted;
    }
    return out;
}

}  // namespace regiomap
