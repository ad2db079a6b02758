#include "api/tile_handlers.hpp"

#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

#include "api/ogc_handlers.hpp"
#include "api/ogc_params.hpp"
#include "core/error.hpp"
#include "core/tiles/tiler.hpp"
#include "http/compression.hpp"
#include "http/etag.hpp"

namespace regiomap::api {

namespace {

using json = nlohmann::ordered_json;

std::vector<const Collection*> select(const FeatureStore& store, const std::string& collection_id) {
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

// The zoom at which a box of `degrees` width fills about one 512-pixel view.
int fitting_zoom(double degrees) {
    if (degrees <= 0) {
        return 14;
    }
    return std::clamp(static_cast<int>(std::floor(std::log2(360.0 / degrees))) + 1, 0, 14);
}

// Where the data is: the box spanning the 10th to 90th percentiles of the
// features' positions (bounding-box centres), so that a few far-off
// features (partner counties in Tibet) do not pull the default view away
// from the thousands that are together.
Box core_extent(const std::vector<const Collection*>& collections) {
    std::vector<double> xs;
    std::vector<double> ys;
    for (const Collection* collection : collections) {
        for (const Feature& feature : collection->features()) {
            if (!feature.geometry.empty()) {
                Box b = feature.geometry.bounds();
                xs.push_back((b.min_x + b.max_x) / 2);
                ys.push_back((b.min_y + b.max_y) / 2);
            }
        }
    }
    std::sort(xs.begin(), xs.end());
    std::sort(ys.begin(), ys.end());
    const std::size_t low = xs.size() / 10;
    const std::size_t high = xs.size() - 1 - low;
    return {xs[low], ys[low], xs[high], ys[high]};
}

std::optional<std::uint32_t> parse_index(std::string_view text) {
    if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string_view::npos) {
        return std::nullopt;
    }
    std::uint32_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

}  // namespace

TileId parse_tile_id(const std::string& z_text, const std::string& x_text, const std::string& y_text) {
    auto z = parse_index(z_text);
    if (!z) {
        throw Error::bad_parameter(
            "z", "'" + z_text + "' is not a zoom level; use an integer from 0 to " + std::to_string(kMaxTileZoom));
    }
    auto x = parse_index(x_text);
    auto y = parse_index(y_text);
    if (!x || !y) {
        throw Error::bad_parameter(x ? "y" : "x",
                                   "'" + (x ? y_text : x_text) + "' is not a tile index; use a non-negative integer");
    }
    if (*z > static_cast<std::uint32_t>(kMaxTileZoom)) {
        throw Error::not_found("zoom " + z_text + " is beyond this server's tiles: zoom levels are 0 to " +
                               std::to_string(kMaxTileZoom));
    }
    const std::uint32_t count = 1u << *z;
    if (*x >= count || *y >= count) {
        throw Error::not_found("tile " + z_text + "/" + x_text + "/" + y_text + " is outside the pyramid: at zoom " +
                               z_text + ", x and y run from 0 to " + std::to_string(count - 1));
    }
    return {static_cast<int>(*z), *x, *y};
}

Response tilejson(const TileContext& context, const std::string& collection_id) {
    reject_unknown_params(context.target.query, {std::string(ogc::format)});
    parse_format(context.target.query, false);
    const auto collections = select(context.store, collection_id);

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
                          {"maxzoom", context.config.max_zoom}});
    }
    const std::string path = collection_id.empty() ? "/tiles" : "/tiles/" + percent_encode(collection_id);
    const std::string& attribution =
        context.store.attribution().empty() ? context.config.attribution : context.store.attribution();
    json document{
        {"tilejson", "3.0.0"},
        {"name", collection_id.empty() ? "regiomap" : collection_id},
        {"description", collection_id.empty() ? "Every collection, one layer each" : collections[0]->meta().title},
        {"version", "1.0.0"},
        {"attribution", attribution},
        {"scheme", "xyz"},
        {"tiles", json::array({context.base + path + "/{z}/{x}/{y}.mvt"})},
        {"minzoom", 0},
        {"maxzoom", context.config.max_zoom},
        {"vector_layers", layers},
    };
    if (!bounds.empty()) {
        document["bounds"] = {bounds.min_x, bounds.min_y, bounds.max_x, bounds.max_y};
        Box focus = core_extent(collections);
        document["center"] = {(focus.min_x + focus.max_x) / 2, (focus.min_y + focus.max_y) / 2,
                              fitting_zoom(std::max(focus.max_x - focus.min_x, focus.max_y - focus.min_y))};
    }
    return json_response(document, media_type::json);
}

Response tile(const TileContext& context, const std::string& collection_id, const std::string& z_segment,
              const std::string& x_segment, const std::string& y_segment) {
    if (!y_segment.ends_with(".mvt")) {
        throw Error::not_found("tiles end in .mvt, e.g. /tiles/10/843/388.mvt");
    }
    const TileId id = parse_tile_id(z_segment, x_segment, y_segment.substr(0, y_segment.size() - 4));
    const auto collections = select(context.store, collection_id);
    reject_unknown_params(context.target.query, {});

    std::string key = std::to_string(context.generation);
    key += '/';
    key += collection_id.empty() ? std::string_view("*") : std::string_view(collection_id);
    key += '/';
    key += id.to_string();
    auto cached = context.cache.get(key, [&] {
        auto made = std::make_shared<CachedTile>();
        made->raw = render_tile(collections, id, context.config.options);
        if (!made->raw.empty()) {
            made->etag = http::etag_of(made->raw);
        }
        return std::shared_ptr<const CachedTile>(std::move(made));
    });

    Response response;
    if (cached->raw.empty()) {
        response.status = 204;
        return response;
    }
    response.content_type = std::string(mvt_media_type);
    // Aliasing pointers: they share ownership of the cached tile.
    response.shared_body = std::shared_ptr<const std::string>(cached, &cached->raw);
    response.etag = cached->etag;
    if (context.gzip_accepted) {
        const std::string& packed = cached->gzip([](const std::string& raw) {
            auto compressed = http::gzip_compress(raw);
            return compressed ? std::move(*compressed) : std::string();
        });
        if (!packed.empty()) {
            response.shared_gzip_body = std::shared_ptr<const std::string>(cached, &packed);
        }
    }
    return response;
}

}  // namespace regiomap::api
