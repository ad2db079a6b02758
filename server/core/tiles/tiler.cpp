#include "core/tiles/tiler.hpp"

#include "core/tiles/mvt_encoder.hpp"
#include "core/tiles/tile_geometry.hpp"

namespace regiomap {

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
        const TileLayer& tiles = collection->tile_layer();
        const auto candidates = tiles.candidates(query, tile.z);
        for (std::size_t k = 0; k < candidates.size(); ++k) {
            // A tile's features are spread over memory (vertices in the
            // collection's arena, each property list its own allocation),
            // and waiting for memory was the largest single cost of a
            // dense tile. So while feature k is cut, the records of feature
            // k + 8 and the arrays of feature k + 4 (whose records came four
            // steps ago) are fetched. Written here, not in a helper: GCC
            // deems a function holding only prefetches free of effects and
            // drops its calls.
            if (k + 8 < candidates.size()) {
                __builtin_prefetch(tiles.arena().slot_address(candidates[k + 8]));
                __builtin_prefetch(&collection->features()[candidates[k + 8]]);
            }
            if (k + 4 < candidates.size()) {
                const GeometryView soon = tiles.geometry(candidates[k + 4]);
                __builtin_prefetch(soon.coords.data());
                __builtin_prefetch(soon.path_ends.data());
                const auto& values = collection->features()[candidates[k + 4]].properties;
                if (!values.empty()) {  // a Value is 40 bytes: the first, middle and last lines
                    __builtin_prefetch(&values.front());
                    __builtin_prefetch(&values[values.size() / 2]);
                    __builtin_prefetch(&values.back());
                }
            }
            const std::uint32_t position = candidates[k];
            auto geometry = make_tile_geometry(tiles.geometry(position), tile, options, geos);
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
