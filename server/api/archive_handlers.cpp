#include "api/archive_handlers.hpp"

#include "api/archive_sources.hpp"
#include "api/links.hpp"
#include "api/ogc_handlers.hpp"
#include "api/tile_handlers.hpp"
#include "core/error.hpp"
#include "http/compression.hpp"
#include "http/etag.hpp"

namespace regiomap::api {

namespace {

using json = nlohmann::ordered_json;

const ArchiveSource& tile_archive(const ApiContext& context, const std::string& id) {
    const ArchiveSource* source = context.archives ? context.archives->find(id) : nullptr;
    if (!source) {
        std::string known;
        if (context.archives) {
            for (const ArchiveSource& other : context.archives->tiles) {
                known += (known.empty() ? "" : ", ") + other.id;
            }
        }
        throw Error::not_found("no tile archive '" + id + "' on this server" +
                               (known.empty() ? " (start it with --tiles FILE)" : "; there are: " + known));
    }
    return *source;
}

const ArchiveSource& basemap(const ApiContext& context) {
    if (!context.archives || !context.archives->basemap) {
        throw Error::not_found("this server has no basemap (start it with --basemap FILE.pmtiles|FILE.mbtiles)");
    }
    return *context.archives->basemap;
}

Response tilejson_of(const ApiContext& context, const ArchiveSource& source, const std::string& tiles_path,
                     bool say_schema) {
    const ArchiveDescription& description = source.archive->description();
    const json& metadata = source.metadata;
    auto text = [&](const char* key, const std::string& fallback) {
        return metadata.contains(key) && metadata[key].is_string() ? metadata[key].get<std::string>() : fallback;
    };
    json document{
        {"tilejson", "3.0.0"},
        {"name", text("name", source.id)},
        {"description", text("description", "")},
        {"version", text("version", "1.0.0")},
        {"attribution", text("attribution", "")},
        {"scheme", "xyz"},
        {"tiles", json::array({context.base() + tiles_path + "/{z}/{x}/{y}.mvt"})},
        {"minzoom", description.min_zoom},
        {"maxzoom", description.max_zoom},
        {"vector_layers", metadata.contains("vector_layers") && metadata["vector_layers"].is_array()
                              ? metadata["vector_layers"]
                              : json::array()},
    };
    if (description.has_bounds) {
        document["bounds"] = {description.min_lon, description.min_lat, description.max_lon, description.max_lat};
    }
    if (description.has_center) {
        document["center"] = {description.center_lon, description.center_lat, description.center_zoom};
    }
    if (say_schema && source.protomaps_schema) {
        document["x-schema"] = "protomaps";
    }
    return json_response(document, media_type::json);
}

Response tile_of(const ApiContext& context, const ArchiveSource& source, TileId id, const std::string& what) {
    const ArchiveDescription& description = source.archive->description();
    if (id.z < description.min_zoom || id.z > description.max_zoom) {
        throw Error::not_found("zoom " + std::to_string(id.z) + " is outside " + what + ": it holds zooms " +
                               std::to_string(description.min_zoom) + " to " + std::to_string(description.max_zoom));
    }
    // Archive tiles go through the tile cache like live ones (keyed by the
    // archive, never by the data generation): a hot tile costs what a cached
    // live tile costs, whatever the archive's format (an MBTiles look-up is
    // an SQLite query).
    std::string key = "archive:";
    key += source.id;
    key += '/';
    key += id.to_string();
    auto cached = context.tile_cache.get(key, [&] {
        auto made = std::make_shared<CachedTile>();
        auto stored = source.archive->tile(id);
        if (!stored) {
            return std::shared_ptr<const CachedTile>(std::move(made));  // empty: 204
        }
        if (!stored->gzip) {
            made->raw = std::move(stored->bytes);
        } else {
            auto plain = http::gzip_decompress(stored->bytes);
            if (!plain) {
                throw Error(ErrorKind::data_source,
                            "tile " + id.to_string() + " of " + what + " does not decompress (gzip)");
            }
            made->raw = std::move(*plain);
            // The stored bytes are the gzip form: sent as they are.
            made->gzip([&](const std::string&) { return std::move(stored->bytes); });
        }
        return std::shared_ptr<const CachedTile>(std::move(made));
    });
    Response response;
    if (cached->raw.empty()) {
        response.status = 204;
        return response;
    }
    response.content_type = std::string(mvt_media_type);
    response.shared_body = std::shared_ptr<const std::string>(cached, &cached->raw);
    response.etag = cached->etag([](const std::string& raw) { return http::etag_of(raw); });
    // A gzip archive's stored bytes are sent whatever their size (the gzip
    // form is preset above); a plain archive's tiles compressed as live ones.
    if (http::accepts_gzip(context.request.header("accept-encoding"))) {
        const std::string& packed = cached->gzip([&](const std::string& raw) {
            if (raw.size() < context.config.gzip_min_bytes) {
                return std::string();
            }
            auto compressed = context.gzip.compress(raw);
            return compressed ? std::move(*compressed) : std::string();
        });
        if (!packed.empty()) {
            response.shared_gzip_body = std::shared_ptr<const std::string>(cached, &packed);
        }
    }
    return response;
}

}  // namespace

Response archive_tilejson(const ApiContext& context, const RouteArgs& args) {
    const ArchiveSource& source = tile_archive(context, args.name);
    return tilejson_of(context, source, "/archives/" + percent_encode(source.id), false);
}

Response basemap_tilejson(const ApiContext& context, const RouteArgs&) {
    return tilejson_of(context, basemap(context), "/basemap", true);
}

Response archive_tile(const ApiContext& context, const RouteArgs& args) {
    const ArchiveSource& source = tile_archive(context, args.name);
    return tile_of(context, source, args.tile, "archive '" + source.id + "'");
}

Response basemap_tile(const ApiContext& context, const RouteArgs& args) {
    return tile_of(context, basemap(context), args.tile, "the basemap");
}

}  // namespace regiomap::api
