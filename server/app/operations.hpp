#pragma once

#include "api/routes.hpp"

namespace regiomap::app {

struct AppContext;

// /health, /metrics and POST /admin/reload: the routes operators use.
void add_operation_routes(api::RouteTable& table, const AppContext& context);

}  // namespace regiomap::app
