#include "core/tiler.hpp"

#include "core/mvt_encoder.hpp"
#include "core/tile_geometry.hpp"

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
        for (std::uint32_t position : collection->tile_candidates(query, tile.z)) {
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
