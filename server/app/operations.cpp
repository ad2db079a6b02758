#include "app/operations.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

#include "api/ogc_handlers.hpp"
#include "api/openapi.hpp"
#include "app/app.hpp"
#include "app/live_updates.hpp"
#include "core/datetime.hpp"
#include "core/error.hpp"

namespace regiomap::app {

namespace {

using api::ApiContext;
using api::RouteArgs;
using http::error_response;
using http::Request;
using http::Response;
namespace media_type = http::media_type;

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
    if (context.live) {
        // Still serving while not hearing changes: healthy, but say since
        // when the data may be behind the database.
        const LiveStatus live = context.live->status();
        body["live_updates"] = {{"connected", live.connected},
                                {"source", live.standby ? "change_log (hot standby)" : "notify"},
                                {"stale_since", live.stale_since ? nlohmann::ordered_json(iso(*live.stale_since))
                                                                 : nlohmann::ordered_json(nullptr)},
                                {"published", live.published}};
    }
    Response response = api::json_response(body, media_type::json);
    response.set_header("Cache-Control", "no-store");
    return response;
}

Response metrics(const AppContext& context, const ApiContext& api_context) {
    auto served = context.store.get();
    std::vector<std::string> route_names;
    for (const api::Route& route : api_context.routes.routes()) {
        route_names.push_back(route.name);
    }
    Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = context.metrics.prometheus(route_names, context.tile_cache.stats(), served.get(),
                                               context.reloader ? context.reloader->status() : ReloadStatus{});
    if (context.live) {
        response.body += Metrics::live_prometheus(context.live->status(), std::chrono::system_clock::now());
    }
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
    Response response = api::json_response(body, media_type::json);
    response.set_header("Cache-Control", "no-store");
    return response;
}

}  // namespace

void add_operation_routes(api::RouteTable& table, const AppContext& context) {
    table.add({"health", "GET", "/health", [context](const ApiContext&, const RouteArgs&) { return health(context); },
               [] {
                   return nlohmann::ordered_json{
                       {"summary", "Readiness"},
                       {"operationId", "getHealth"},
                       {"tags", {"Operations"}},
                       {"responses",
                        {{"200", api::openapi::ok("The data is loaded.", media_type::json, "health")},
                         {"503", api::openapi::ok("The data is not loaded yet.", media_type::json, "health")}}}};
               }});
    table.add({"metrics", "GET", "/metrics",
               [context](const ApiContext& api_context, const RouteArgs&) { return metrics(context, api_context); },
               nullptr});
    table.add({"admin_reload", "POST", "/admin/reload",
               [context](const ApiContext& api_context, const RouteArgs&) {
                   return admin_reload(context, api_context.request);
               },
               nullptr});
}

}  // namespace regiomap::app
