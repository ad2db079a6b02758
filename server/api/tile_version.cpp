#include "api/tile_version.hpp"

#include <algorithm>

#include "api/ogc_params.hpp"

namespace regiomap::api {

namespace {

constexpr unsigned kImmutableMaxAge = 31'536'000;  // a year: RFC 8246's example, and what CDNs honour
constexpr unsigned kStaleMaxAge = 60;              // long enough to absorb a burst, short enough to catch up

}  // namespace

std::string tile_version(const ApiContext& context) {
    std::string version = std::to_string(context.generation);
    if (!context.config.run_id.empty()) {
        version += '-';
        version += context.config.run_id;
    }
    return version;
}

std::string tile_cache_control(const ApiContext& context) {
    const std::string* requested = single_param(context.query(), "v");
    if (!requested) {
        return {};
    }
    if (*requested == tile_version(context)) {
        return "public, max-age=" + std::to_string(kImmutableMaxAge) + ", immutable";
    }
    const unsigned max_age = std::min(context.config.cache_max_age, kStaleMaxAge);
    return max_age == 0 ? "no-cache" : "public, max-age=" + std::to_string(max_age);
}

}  // namespace regiomap::api
