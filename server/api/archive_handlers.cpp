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
    auto stored = source.archive->tile(id);
    Response response;
    if (!stored) {
        response.status = 204;
        return response;
    }
    response.content_type = std::string(mvt_media_type);
    if (!stored->gzip) {
        response.body = std::move(stored->bytes);  // compressed on the way out when the client accepts gzip
        return response;
    }
    // The stored gzip bytes are the gzip representation; its tag is made
    // from them, and the plain one shares it without the -gzip suffix.
    auto packed = std::make_shared<const std::string>(std::move(stored->bytes));
    response.etag = http::etag_of(*packed);
    if (http::accepts_gzip(context.request.header("accept-encoding"))) {
        response.shared_gzip_body = std::move(packed);
        return response;
    }
    auto plain = http::gzip_decompress(*packed);
    if (!plain) {
        throw Error(ErrorKind::data_source, "tile " + id.to_string() + " of " + what + " does not decompress (gzip)");
    }
    response.shared_body = std::make_shared<const std::string>(std::move(*plain));
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
