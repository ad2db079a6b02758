#include "core/tiles/tiler.hpp"

#include "core/tiles/mvt_encoder.hpp"
#include "core/tiles/tile_geometry.hpp"

namespace regiomap {

std::string render_tile(std::span<const Collection* const> collections, TileId tile, const TileOptions& options,
                        TileStats* stats) {
    TileStats counted;
    std::string out;

    // Candidates come from the EPSG:3857 index with the tile grown by its buffer.
    Box query = tile_bounds(tile);
    const double margin = (query.max_x - query.min_x) * options.buffer / options.extent;
    query = {query.min_x - margin, query.min_y - margin, query.max_x + margin, query.max_y + margin};

    TileCutter cutter(tile, options);
    TileGeometry geometry;  // reused: its buffers grow to the largest feature and stay
    for (const Collection* collection : collections) {
        const TileLayer& layer = collection->tile_layer();
        const auto candidates = layer.candidates(query, tile.z);
        if (candidates.empty()) {
            continue;
        }
        std::vector<std::string_view> keys;
        for (const FieldDef& field : collection->meta().fields) {
            keys.push_back(field.name);
        }
        MvtLayerBuilder builder(collection->id(), options.extent, std::move(keys), layer.values());
        for (std::size_t k = 0; k < candidates.size(); ++k) {
            // A tile's features lie close together in the layer's arrays
            // (Hilbert order), but are visited in collection order, so the
            // next ones are fetched while this one is cut: the slot records
            // of feature k + 8, the vertices and values of feature k + 4
            // (whose records came four steps ago). Written here, not in a
            // helper: GCC deems a function holding only prefetches free of
            // effects and drops its calls.
            if (k + 8 < candidates.size()) {
                __builtin_prefetch(layer.arena().slot_address(candidates[k + 8]));
            }
            if (k + 4 < candidates.size()) {
                const GeometryView soon = layer.geometry(candidates[k + 4]);
                __builtin_prefetch(soon.coords.data());
                __builtin_prefetch(soon.path_ends.data());
                __builtin_prefetch(layer.value_ids(candidates[k + 4]).data());
            }
            const std::uint32_t slot = candidates[k];
            if (!cutter.cut(layer.geometry(slot), geometry)) {
                ++counted.dropped;
                continue;
            }
            builder.add_feature(layer.feature_id(slot), geometry, layer.value_ids(slot));
        }
        if (!builder.empty()) {
            counted.features += builder.feature_count();
            builder.append_to(out);
        }
    }
    if (stats) {
        *stats = counted;
    }
    return out;
}

}  // namespace regiomap
