#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/tiles/tile_cache.hpp"

namespace regiomap::app {

struct LiveStatus;
struct ReloadStatus;
struct ServedData;

// Request counters for /metrics (Prometheus text format 0.0.4). Lock-free:
// every counter is an atomic in a fixed table indexed by route and status.
class Metrics {
public:
    // Counters are kept per route index (its row in the route table) up to
    // kMaxRoutes; requests that matched no route, and rows beyond, count
    // under "unrouted".
    static constexpr std::size_t kMaxRoutes = 63;
    static constexpr std::size_t kUnrouted = kMaxRoutes;

    void record(std::size_t route, unsigned status, std::size_t bytes_out, std::chrono::nanoseconds duration);

    // The whole exposition, with the tile cache, the data and the reloads;
    // `route_names` names the route indices.
    std::string prometheus(const std::vector<std::string>& route_names, const TileCacheStats& cache,
                           const ServedData* served, const ReloadStatus& reload) const;

    // The live updates' counters (a PostGIS source), appended to the above.
    static std::string live_prometheus(const LiveStatus& live, std::chrono::system_clock::time_point now);

private:
    static constexpr std::array<unsigned, 13> kStatuses{200, 204, 304, 400, 401, 403, 404, 405, 413, 431, 500, 503, 0};
    static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
    static std::size_t status_slot(unsigned status);

    std::array<std::array<std::atomic<std::uint64_t>, kStatuses.size()>, kMaxRoutes + 1> requests_{};
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> latency_{};  // last: +Inf
    std::atomic<std::uint64_t> latency_sum_us_{0};
    std::atomic<std::uint64_t> bytes_out_{0};
};

}  // namespace regiomap::app
