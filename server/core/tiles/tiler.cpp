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
        const TileLayer* overlay = collection->overlay_tile_layer();
        const auto candidates = layer.candidates(query, tile.z);
        const auto overlay_candidates = overlay ? overlay->candidates(query, tile.z) : std::vector<std::uint32_t>{};
        if (candidates.empty() && overlay_candidates.empty()) {
            continue;
        }
        std::vector<std::string_view> keys;
        for (const FieldDef& field : collection->meta().fields) {
            keys.push_back(field.name);
        }
        // One layer for the base and the overlay of live updates (whose
        // values are re-interned through the builder's second table).
        MvtLayerBuilder builder(collection->id(), options.extent, std::move(keys), layer.values(),
                                overlay ? &overlay->values() : nullptr);
        const bool hides = collection->has_overlay();
        auto cut_all = [&](const TileLayer& from, const std::vector<std::uint32_t>& slots, bool is_overlay) {
            for (std::size_t k = 0; k < slots.size(); ++k) {
                // A tile's features lie close together in the layer's arrays
                // (Hilbert order), but are visited in collection order, so the
                // next ones are fetched while this one is cut: the slot records
                // of feature k + 8, the vertices and values of feature k + 4
                // (whose records came four steps ago).
                if (k + 8 < slots.size()) {
                    __builtin_prefetch(from.arena().slot_address(slots[k + 8]));
                }
                if (k + 4 < slots.size()) {
                    const GeometryView soon = from.geometry(slots[k + 4]);
                    __builtin_prefetch(soon.coords.data());
                    __builtin_prefetch(soon.path_ends.data());
                    __builtin_prefetch(from.value_ids(slots[k + 4]).data());
                }
                const std::uint32_t slot = slots[k];
                if (hides && !is_overlay && collection->base_hidden(from.feature_position(slot))) {
                    continue;  // replaced or removed by a live update: the overlay has it, if anyone
                }
                if (!cutter.cut(from.geometry(slot), geometry)) {
                    ++counted.dropped;
                    continue;
                }
                builder.add_feature(from.feature_id(slot), geometry, from.value_ids(slot), is_overlay);
            }
        };
        cut_all(layer, candidates, false);
        if (overlay) {
            cut_all(*overlay, overlay_candidates, true);
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
