#pragma once

#include <filesystem>
#include <string>

#include "api/routes.hpp"

namespace regiomap::api {

// /styles/{name}.json: a MapLibre GL style from the styles directory, with
// every root-relative URL in it (vector source "url" and "tiles", "glyphs",
// "sprite") made absolute on this server, so one file works behind any
// host name or proxy.
Response style(const ApiContext& context, const RouteArgs& args);

}  // namespace regiomap::api
