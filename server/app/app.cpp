#include "app/app.hpp"

#include "app/edit_service.hpp"

#include <chrono>

#include "api/api_routes.hpp"
#include "app/operations.hpp"
#include "core/error.hpp"
#include "http/error_response.hpp"
#include "http/representation.hpp"
#include "http/url.hpp"

namespace regiomap::app {

namespace {

using http::error_response;
using http::Request;
using http::Response;

// "GET, HEAD, OPTIONS" for the methods a path has.
std::string allow_header(const std::vector<std::string>& methods) {
    std::string out;
    for (const std::string& method : methods) {
        out += out.empty() ? "" : ", ";
        out += method;
        if (method == "GET") {
            out += ", HEAD";
        }
    }
    return out + (out.empty() ? "OPTIONS" : ", OPTIONS");
}

// The CORS preflight. A page of another site learns of the write methods
// only if it may use them (WriteOrigins); the browser then refuses to send
// the write at all.
Response preflight(const Request& request, std::vector<std::string> methods, const WriteOrigins& write_origins) {
    Response response;
    response.status = 204;
    const std::string_view origin = request.header("origin");
    if (!write_origins.refused_origin(request).empty()) {
        std::erase_if(methods, [](const std::string& method) { return WriteOrigins::is_write_method(method); });
    } else if (write_origins.is_configured(origin)) {
        response.set_header("Access-Control-Allow-Origin", std::string(origin));
    }
    response.set_header("Vary", "Origin");  // the methods depend on it
    response.set_header("Access-Control-Allow-Methods", allow_header(methods));
    std::string_view requested = request.header("access-control-request-headers");
    response.set_header("Access-Control-Allow-Headers", requested.empty() ? "*" : std::string(requested));
    response.set_header("Access-Control-Max-Age", "86400");
    return response;
}

}  // namespace

App::App(const AppContext& context)
    : context_(context), gzip_(context.config.gzip_level), write_origins_(context.config.cors_origins) {
    if (context_.edit) {
        // Before the read routes: the write methods of the same paths.
        add_edit_routes(routes_, *context_.edit);
    }
    api::add_api_routes(routes_);
    add_operation_routes(routes_, context_);
}

Response App::handle(const Request& request) const {
    const auto started = std::chrono::steady_clock::now();
    Response response;
    std::size_t route = Metrics::kUnrouted;
    try {
        const http::ParsedTarget target = http::parse_target(request.target);
        api::RouteTable::Resolution resolved = routes_.resolve(request.method, target.segments);
        if (resolved.route) {
            route = resolved.index;
        }
        if (request.method == "OPTIONS") {
            response = preflight(request, resolved.allowed, write_origins_);
        } else if (!resolved.route) {
            response = error_response(405, "method " + request.method + " is not allowed on " + target.raw_path +
                                               "; use " + allow_header(resolved.allowed));
            response.set_header("Allow", allow_header(resolved.allowed));
        } else if (const std::string refused = WriteOrigins::is_write_method(request.method)
                                                   ? write_origins_.refused_origin(request)
                                                   : std::string();
                   !refused.empty()) {
            response = error_response(403, "changes from web pages at " + refused +
                                               " are not accepted: only this server's own pages and the origins "
                                               "given with --cors-origin may change features");
        } else {
            // One snapshot for the whole request: a reload swapping in new
            // data never changes what a running request reads.
            const auto served = context_.store.get();
            const api::ApiContext api_context{context_.config,
                                              context_.tile_cache,
                                              gzip_,
                                              context_.files,
                                              context_.fonts,
                                              routes_,
                                              crs_,
                                              context_.log,
                                              request,
                                              target,
                                              served ? served->store.get() : nullptr,
                                              served ? served->generation : 0,
                                              context_.archives};
            response = resolved.route->handler(api_context, resolved.args);
            if (response.header("Cache-Control").empty()) {
                response.set_header("Cache-Control", context_.config.cache_control);
            }
            if (WriteOrigins::is_write_method(request.method) &&
                write_origins_.is_configured(request.header("origin"))) {
                response.set_header("Access-Control-Allow-Origin", std::string(request.header("origin")));
                response.set_header("Vary", "Origin");
            }
        }
    } catch (const Error& error) {
        response = error_response(error);
        if (response.status >= 500) {
            context_.log.error(std::string("request ") + request.target + ": " + error.what());
        }
    } catch (const std::exception& error) {
        context_.log.error(std::string("request ") + request.target + " failed: " + error.what());
        response = error_response(500, "internal error; the server log has the details");
    }
    http::finish_response(request, response, context_.config.gzip_min_bytes, gzip_, context_.log);
    context_.metrics.record(route, response.status, request.method == "HEAD" ? 0 : response.body_size(),
                            std::chrono::steady_clock::now() - started);
    return response;
}

}  // namespace regiomap::app
