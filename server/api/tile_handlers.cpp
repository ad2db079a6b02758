#include "api/tile_handlers.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "api/ogc_handlers.hpp"
#include "api/ogc_params.hpp"
#include "api/tile_version.hpp"
#include "core/error.hpp"
#include "core/map_view.hpp"
#include "core/tiles/tiler.hpp"
#include "http/compression.hpp"
#include "http/etag.hpp"

namespace regiomap::api {

namespace {

using json = nlohmann::ordered_json;

std::string_view tilejson_type(FieldType type) {
    switch (type) {
        case FieldType::integer:
        case FieldType::real:
            return "Number";
        case FieldType::boolean:
            return "Boolean";
        default:
            return "String";
    }
}

}  // namespace

std::vector<const Collection*> tile_collections(const FeatureStore& store, const std::string& collection_id) {
    std::vector<const Collection*> out;
    if (collection_id.empty()) {
        for (const auto& collection : store.collections()) {
            out.push_back(collection.get());
        }
        return out;
    }
    const Collection* found = store.find(collection_id);
    if (!found) {
        throw Error::not_found("collection '" + collection_id + "' does not exist; see /collections");
    }
    out.push_back(found);
    return out;
}

nlohmann::ordered_json tilejson_document(const FeatureStore& store, const std::string& collection_id,
                                         const TileConfig& config, const std::string& tiles_url) {
    const auto collections = tile_collections(store, collection_id);
    Box bounds;
    json layers = json::array();
    for (const Collection* collection : collections) {
        bounds.extend(collection->extent());
        json fields = json::object();
        for (const FieldDef& field : collection->meta().fields) {
            fields[field.name] = tilejson_type(field.type);
        }
        layers.push_back({{"id", collection->id()},
                          {"description", collection->meta().description},
                          {"fields", fields},
                          {"minzoom", 0},
                          {"maxzoom", config.max_zoom}});
    }
    const std::string& attribution = store.attribution().empty() ? config.attribution : store.attribution();
    json document{
        {"tilejson", "3.0.0"},
        {"name", collection_id.empty() ? "regiomap" : collection_id},
        {"description", collection_id.empty() ? "Every collection, one layer each" : collections[0]->meta().title},
        {"version", "1.0.0"},
        {"attribution", attribution},
        {"scheme", "xyz"},
        {"tiles", json::array({tiles_url})},
        {"minzoom", 0},
        {"maxzoom", config.max_zoom},
        {"vector_layers", layers},
    };
    // The focus was computed once when the data was loaded, not per request.
    const Box focus = collection_id.empty() ? store.focus() : collections[0]->focus();
    if (auto view = map_view(bounds, focus, config.max_zoom)) {
        document["bounds"] = {view->bounds.min_x, view->bounds.min_y, view->bounds.max_x, view->bounds.max_y};
        document["center"] = {view->center.x, view->center.y, view->zoom};
    }
    return document;
}

Response tilejson(const ApiContext& context, const RouteArgs& args) {
    // Clients add cache busters and keys: only `f` is looked at.
    parse_format(context.query(), false);
    const std::string& collection_id = args.collection_id;
    const std::string path = collection_id.empty() ? "/tiles" : "/tiles/" + percent_encode(collection_id);
    // The data version on the tile URL lets caches keep each tile for good:
    // new data, new URLs (see tile_version.hpp).
    return json_response(tilejson_document(context.data(), collection_id, context.config.tiles,
                                           context.base() + path + "/{z}/{x}/{y}.mvt?v=" + tile_version(context)),
                         media_type::json);
}

Response tile(const ApiContext& context, const RouteArgs& args) {
    const FeatureStore& store = context.data();
    const auto collections = tile_collections(store, args.collection_id);
    const TileId id = args.tile;
    const TileOptions& options = context.config.tiles.options;
    // Keyed by layer and tile, not by data generation: a live update drops
    // only the tiles it touches (TileCache::invalidate), the rest stay.
    auto cache_key = [&](const std::string& layer) { return LiveTileKey{layer, id}; };
    auto finished = [](std::string raw) {
        auto made = std::make_shared<CachedTile>();
        made->raw = std::move(raw);
        return std::shared_ptr<const CachedTile>(std::move(made));
    };
    auto make_layer = [&](const Collection* collection) {
        const Collection* one[] = {collection};
        return finished(render_tile(one, id, options));
    };
    auto make_all = [&] {
        std::string all;
        for (const Collection* c : collections) {
            // Never stale here: the tile made of them is kept as new.
            all += context.tile_cache.get(cache_key(c->id()), context.generation, [&] { return make_layer(c); })->raw;
        }
        return finished(std::move(all));
    };
    // The tile sent may be stale (the data under it changed less than
    // --tile-refresh-ms after it was made; see TileRefresh).
    const LiveTile found =
        args.collection_id.empty()
            ? context.tile_cache.get_allowing_stale(cache_key("*"), context.generation, make_all)
            : context.tile_cache.get_allowing_stale(cache_key(collections.front()->id()), context.generation,
                                                    [&] { return make_layer(collections.front()); });
    const std::shared_ptr<const CachedTile>& cached = found.tile;

    Response response;
    if (found.stale) {
        // Known to be behind the data for a moment: whoever keeps it must ask again.
        response.set_header("Cache-Control", "no-cache");
    } else if (std::string cache_control = tile_cache_control(context); !cache_control.empty()) {
        response.set_header("Cache-Control", cache_control);
    }
    if (cached->raw.empty()) {
        response.status = 204;
        return response;
    }
    response.content_type = std::string(mvt_media_type);
    // Aliasing pointers: they share ownership of the cached tile.
    response.shared_body = std::shared_ptr<const std::string>(cached, &cached->raw);
    response.etag = cached->etag([](const std::string& raw) { return http::etag_of(raw); });
    if (cached->raw.size() >= context.config.gzip_min_bytes &&
        http::accepts_gzip(context.request.header("accept-encoding"))) {
        const std::string& packed = cached->gzip([&](const std::string& raw) {
            auto compressed = context.gzip.compress(raw);
            return compressed ? std::move(*compressed) : std::string();
        });
        if (!packed.empty()) {
            response.shared_gzip_body = std::shared_ptr<const std::string>(cached, &packed);
        }
    }
    return response;
}

}  // namespace regiomap::api
