#include "app/app.hpp"

#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "api/links.hpp"
#include "api/router.hpp"
#include "api/search_handler.hpp"
#include "api/style_handlers.hpp"
#include "core/datetime.hpp"
#include "core/error.hpp"
#include "http/compression.hpp"
#include "http/error_response.hpp"
#include "http/etag.hpp"
#include "http/url.hpp"

namespace regiomap::app {

using namespace api;   // the handlers this file dispatches to
using namespace http;  // the transport's request, response and helpers

namespace {

constexpr std::string_view allowed_methods = "GET, HEAD, OPTIONS";

Response preflight(const Request& request) {
    Response response;
    response.status = 204;
    response.set_header("Access-Control-Allow-Methods", std::string(allowed_methods));
    std::string_view requested = request.header("access-control-request-headers");
    response.set_header("Access-Control-Allow-Headers", requested.empty() ? "*" : std::string(requested));
    response.set_header("Access-Control-Max-Age", "86400");
    return response;
}

bool prefers_html(const Request& request, const ParsedTarget& target) {
    if (!target.query.empty()) {
        return false;  // ?f=json and every other parameter mean the API
    }
    std::string_view accept = request.header("accept");
    auto html = accept.find("text/html");
    auto json = accept.find("json");
    return html != std::string_view::npos && (json == std::string_view::npos || html < json);
}

std::string iso(std::chrono::system_clock::time_point t) {
    return format_datetime(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

Response health(const AppContext& context) {
    auto served = context.store.get();
    if (!served) {
        Response response = error_response(503, "the data is still loading");
        response.set_header("Retry-After", "1");
        return response;
    }
    nlohmann::ordered_json body{{"status", "ok"},
                                {"collections", served->store->collections().size()},
                                {"features", served->store->feature_count()},
                                {"data_generation", served->generation},
                                {"data_loaded_at", iso(served->loaded_at)}};
    if (context.reloader) {
        ReloadStatus reload = context.reloader->status();
        body["last_reload"] = {{"ok", reload.last_ok}, {"at", iso(reload.last_attempt)}};
        if (!reload.last_ok) {
            // Still serving the previous data: healthy, but say what failed.
            body["last_reload"]["error"] = reload.last_error;
        }
    }
    Response response = json_response(body, media_type::json);
    response.set_header("Cache-Control", "no-store");
    return response;
}

Response metrics(const AppContext& context) {
    auto served = context.store.get();
    Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = context.metrics.prometheus(context.tile_cache.stats(), served.get(),
                                               context.reloader ? context.reloader->status() : ReloadStatus{});
    response.set_header("Cache-Control", "no-store");
    return response;
}

// Constant-time comparison, so the token cannot be guessed byte by byte
// from response times.
bool same_secret(std::string_view a, std::string_view b) {
    unsigned char difference = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i) {
        difference |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
    }
    return difference == 0;
}

Response admin_reload(const AppContext& context, const Request& request) {
    if (request.method != "POST") {
        Response response = error_response(405, "use POST /admin/reload");
        response.set_header("Allow", "POST");
        return response;
    }
    if (context.config.admin_token.empty() || !context.reloader) {
        throw Error(ErrorKind::forbidden, "reloading over HTTP is disabled: no admin-token is configured");
    }
    std::string_view authorization = request.header("authorization");
    if (!authorization.starts_with("Bearer ") || !same_secret(authorization.substr(7), context.config.admin_token)) {
        Response response = error_response(401, "POST /admin/reload needs 'Authorization: Bearer <admin-token>'");
        response.set_header("WWW-Authenticate", "Bearer");
        return response;
    }
    const bool ok = context.reloader->reload();
    ReloadStatus status = context.reloader->status();
    if (!ok) {
        return error_response(500, "reload failed, the previous data is still served: " + status.last_error);
    }
    auto served = context.store.get();
    nlohmann::ordered_json body{
        {"status", "reloaded"}, {"data_generation", served->generation}, {"features", served->store->feature_count()}};
    Response response = json_response(body, media_type::json);
    response.set_header("Cache-Control", "no-store");
    return response;
}

// MapLibre asks for a font stack ("A,B"): the first font we have wins.
Response glyphs(const AppContext& context, const RouteMatch& match) {
    std::string_view stack = match.fontstack;
    while (!stack.empty()) {
        auto comma = stack.find(',');
        std::string font(stack.substr(0, comma));
        while (!font.empty() && font.front() == ' ') {
            font.erase(0, 1);
        }
        if (auto file = context.fonts.serve({font, match.file})) {
            file->set_header("Cache-Control", "public, max-age=86400");
            return std::move(*file);
        }
        stack = comma == std::string_view::npos ? std::string_view{} : stack.substr(comma + 1);
    }
    throw Error::not_found("no glyphs " + match.file + " for the fonts '" + match.fontstack + "'");
}

Response dispatch(const AppContext& context, const Request& request, const ParsedTarget& target,
                  const RouteMatch& match) {
    if (match.route == Route::health) {
        return health(context);
    }
    if (match.route == Route::static_file || (match.route == Route::landing && prefers_html(request, target))) {
        if (auto file = context.files.serve(target.segments)) {
            return std::move(*file);
        }
        if (match.route == Route::static_file) {
            throw Error::not_found("no resource at '" + target.raw_path + "'; the API starts at /");
        }
    }
    if (match.route == Route::glyphs) {
        return glyphs(context, match);
    }
    if (match.route == Route::metrics) {
        return metrics(context);
    }
    auto served = context.store.get();
    if (!served) {
        throw Error(ErrorKind::unavailable, "the data is still loading; try again in a moment");
    }
    const FeatureStore* store = served->store.get();
    // Tiles carry no links: skip building the base URL on the hottest path.
    const std::string base = match.route == Route::tile ? std::string()
                                                        : base_url(request, context.config.service.public_url,
                                                                   context.config.service.fallback_host);
    HandlerContext handler{*store, context.config.service, base, target};
    TileContext tiles{*store,
                      served->generation,
                      context.config.tiles,
                      context.tile_cache,
                      base,
                      target,
                      accepts_gzip(request.header("accept-encoding"))};
    Response response;
    switch (match.route) {
        case Route::tilejson:
            response = tilejson(tiles, match.collection_id);
            break;
        case Route::tile:
            response = tile(tiles, match.collection_id, match.tile[0], match.tile[1], match.tile[2]);
            break;
        case Route::search:
            response = search(*store, base, target);
            break;
        case Route::style:
            response = style(context.config.styles_dir, match.file, base, target);
            break;
        case Route::landing:
            response = landing_page(handler);
            break;
        case Route::conformance:
            response = conformance(handler);
            break;
        case Route::api:
            response = api_document(handler);
            break;
        case Route::collections:
            response = collections(handler);
            break;
        case Route::collection:
            response = collection(handler, match.collection_id);
            break;
        case Route::items:
            response = items(handler, match.collection_id);
            break;
        case Route::item:
            response = item(handler, match.collection_id, match.feature_id);
            break;
        case Route::health:
        case Route::glyphs:
        case Route::metrics:
        case Route::admin_reload:
        case Route::static_file:
        case Route::unrouted:
            break;
    }
    response.set_header("Cache-Control", context.config.cache_control);
    return response;
}

bool compressible(std::string_view content_type) {
    return content_type.find("json") != std::string_view::npos || content_type.starts_with("text/") ||
           content_type.find("javascript") != std::string_view::npos ||
           content_type.find("xml") != std::string_view::npos ||
           content_type.find("vnd.mapbox-vector-tile") != std::string_view::npos ||
           content_type.find("protobuf") != std::string_view::npos;
}

// ETag, 304 and gzip for a successful GET; CORS for every response.
void finish(const AppContext& context, const Request& request, Response& response) {
    response.set_header("Access-Control-Allow-Origin", "*");
    if (response.status != 200) {
        return;
    }
    const bool may_compress = compressible(response.content_type);
    if (may_compress) {
        response.set_header("Vary", "Accept-Encoding");
    }
    std::string etag = response.etag.empty() ? etag_of(response.body) : response.etag;
    const bool gzip =
        may_compress && accepts_gzip(request.header("accept-encoding")) &&
        (response.shared_gzip_body || (!response.shared_body && response.body.size() >= context.config.gzip_min_bytes));
    if (gzip) {
        etag.insert(etag.size() - 1, "-gzip");  // a different representation, a different tag
    }
    response.set_header("ETag", etag);
    if (if_none_match(request.header("if-none-match"), etag)) {
        response.status = 304;
        response.body.clear();
        response.shared_body.reset();
        return;
    }
    if (!gzip) {
        return;
    }
    if (response.shared_gzip_body) {
        response.shared_body = std::move(response.shared_gzip_body);
        response.set_header("Content-Encoding", "gzip");
    } else if (auto compressed = gzip_compress(response.body)) {
        response.body = std::move(*compressed);
        response.set_header("Content-Encoding", "gzip");
    } else {
        context.log.error("gzip compression failed; sending uncompressed");
        response.set_header("ETag", etag_of(response.body));
    }
}

}  // namespace

Response handle_request(const AppContext& context, const Request& request) {
    const auto started = std::chrono::steady_clock::now();
    Response response;
    Route route = Route::unrouted;
    try {
        ParsedTarget target = parse_target(request.target);
        RouteMatch match = match_route(target.segments);
        route = match.route;
        if (request.method == "OPTIONS") {
            response = preflight(request);
        } else if (match.route == Route::admin_reload) {
            response = admin_reload(context, request);
        } else if (request.method != "GET" && request.method != "HEAD") {
            response = error_response(405, "method " + request.method + " is not allowed; use GET, HEAD or OPTIONS");
            response.set_header("Allow", std::string(allowed_methods));
        } else {
            response = dispatch(context, request, target, match);
        }
    } catch (const Error& error) {
        response = error_response(error);
        if (response.status >= 500) {
            context.log.error(std::string("request ") + request.target + ": " + error.what());
        }
    } catch (const std::exception& error) {
        context.log.error(std::string("request ") + request.target + " failed: " + error.what());
        response = error_response(500, "internal error; the server log has the details");
    }
    finish(context, request, response);
    context.metrics.record(route, response.status, request.method == "HEAD" ? 0 : response.body_size(),
                           std::chrono::steady_clock::now() - started);
    return response;
}

}  // namespace regiomap::app
