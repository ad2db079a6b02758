#pragma once

#include <string>

#include "api/context.hpp"

namespace regiomap::api {

// The `v` that TileJSON puts on tile URLs (`…/{z}/{x}/{y}.mvt?v=…`): the
// data generation, followed by this run's id when there is one
// (ApiConfig::run_id). Generations start again at 1 with every start of the
// process, so "3" alone would name different data before and after a
// restart, and a cache holding the old run's `v=3` as immutable would keep
// serving it.
std::string tile_version(const ApiContext& context);

// The Cache-Control of a data tile, by the request's `v`: the current
// version → cached for a year as immutable (the URL changes with the data);
// any other `v` (an older generation, another process's) → the current
// tile, cached briefly so the client soon asks with the current `v`; no
// `v` → "" (the configured default applies).
std::string tile_cache_control(const ApiContext& context);

}  // namespace regiomap::api
