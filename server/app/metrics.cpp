#include "app/metrics.hpp"

#include "app/live_status.hpp"

#include <algorithm>
#include <sstream>

#include "app/reloader.hpp"

namespace regiomap::app {

namespace {

double seconds_since_epoch(std::chrono::system_clock::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
}

std::string label_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\\' || c == '"') {
            out += '\\';
        }
        out += c == '\n' ? ' ' : c;
    }
    return out;
}

}  // namespace

std::size_t Metrics::status_slot(unsigned status) {
    for (std::size_t i = 0; i + 1 < kStatuses.size(); ++i) {
        if (kStatuses[i] == status) {
            return i;
        }
    }
    return kStatuses.size() - 1;  // "other"
}

void Metrics::record(std::size_t route, unsigned status, std::size_t bytes_out, std::chrono::nanoseconds duration) {
    requests_[std::min(route, kUnrouted)][status_slot(status)].fetch_add(1, std::memory_order_relaxed);
    bytes_out_.fetch_add(bytes_out, std::memory_order_relaxed);
    const double seconds = std::chrono::duration<double>(duration).count();
    std::size_t bucket = 0;
    while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) {
        ++bucket;
    }
    latency_[bucket].fetch_add(1, std::memory_order_relaxed);
    latency_sum_us_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string Metrics::prometheus(const std::vector<std::string>& route_names, const TileCacheStats& cache,
                                const ServedData* served, const ReloadStatus& reload) const {
    std::ostringstream out;
    out << "# HELP regiomap_http_requests_total HTTP requests answered, by route and status.\n"
           "# TYPE regiomap_http_requests_total counter\n";
    // Rows of one endpoint share a name (e.g. the two tile routes): their
    // counts are summed under it, in the table's order.
    std::vector<std::pair<std::string_view, std::array<std::uint64_t, kStatuses.size()>>> by_name;
    for (std::size_t r = 0; r <= kUnrouted; ++r) {
        std::string_view name = "unrouted";
        if (r < route_names.size() && r < kUnrouted) {
            name = route_names[r];
        }
        auto found =
            std::find_if(by_name.begin(), by_name.end(), [&](const auto& entry) { return entry.first == name; });
        if (found == by_name.end()) {
            by_name.emplace_back(name, std::array<std::uint64_t, kStatuses.size()>{});
            found = by_name.end() - 1;
        }
        for (std::size_t s = 0; s < kStatuses.size(); ++s) {
            found->second[s] += requests_[r][s].load(std::memory_order_relaxed);
        }
    }
    for (const auto& [name, counts] : by_name) {
        for (std::size_t s = 0; s < kStatuses.size(); ++s) {
            if (counts[s] == 0) {
                continue;
            }
            out << "regiomap_http_requests_total{route=\"" << name << "\",status=\"";
            if (kStatuses[s] == 0) {
                out << "other";
            } else {
                out << kStatuses[s];
            }
            out << "\"} " << counts[s] << '\n';
        }
    }
    out << "# HELP regiomap_http_request_duration_seconds Time to answer a request (handler, not network).\n"
           "# TYPE regiomap_http_request_duration_seconds histogram\n";
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
        cumulative += latency_[b].load(std::memory_order_relaxed);
        out << "regiomap_http_request_duration_seconds_bucket{le=\"" << kBuckets[b] << "\"} " << cumulative << '\n';
    }
    cumulative += latency_[kBuckets.size()].load(std::memory_order_relaxed);
    out << "regiomap_http_request_duration_seconds_bucket{le=\"+Inf\"} " << cumulative << '\n'
        << "regiomap_http_request_duration_seconds_sum " << latency_sum_us_.load() / 1e6 << '\n'
        << "regiomap_http_request_duration_seconds_count " << cumulative << '\n';
    out << "# HELP regiomap_http_response_bytes_total Body bytes sent (after compression).\n"
           "# TYPE regiomap_http_response_bytes_total counter\n"
        << "regiomap_http_response_bytes_total " << bytes_out_.load() << '\n';

    out << "# HELP regiomap_tile_cache_hits_total Tiles served from the cache.\n"
           "# TYPE regiomap_tile_cache_hits_total counter\n"
        << "regiomap_tile_cache_hits_total " << cache.hits << '\n'
        << "# HELP regiomap_tile_cache_misses_total Tiles that had to be made (or waited for).\n"
           "# TYPE regiomap_tile_cache_misses_total counter\n"
        << "regiomap_tile_cache_misses_total " << cache.misses << '\n'
        << "# HELP regiomap_tile_cache_evictions_total Tiles evicted to stay within the budget.\n"
           "# TYPE regiomap_tile_cache_evictions_total counter\n"
        << "regiomap_tile_cache_evictions_total " << cache.evictions << '\n'
        << "# HELP regiomap_tile_cache_bytes Bytes held by the tile cache.\n"
           "# TYPE regiomap_tile_cache_bytes gauge\n"
        << "regiomap_tile_cache_bytes " << cache.bytes << '\n'
        << "# HELP regiomap_tile_cache_entries Tiles held by the tile cache.\n"
           "# TYPE regiomap_tile_cache_entries gauge\n"
        << "regiomap_tile_cache_entries " << cache.entries << '\n'
        << "# HELP regiomap_tile_cache_invalidated_total Tiles dropped because the data under them changed.\n"
           "# TYPE regiomap_tile_cache_invalidated_total counter\n"
        << "regiomap_tile_cache_invalidated_total " << cache.invalidated << '\n'
        << "# HELP regiomap_tile_cache_refused_total Tiles made from data that changed meanwhile, served but not "
           "kept (or kept as stale, see --tile-refresh-ms).\n"
           "# TYPE regiomap_tile_cache_refused_total counter\n"
        << "regiomap_tile_cache_refused_total " << cache.refused << '\n'
        << "# HELP regiomap_tile_cache_deferred_total Changed tiles kept as stale because they were made less than "
           "--tile-refresh-ms ago.\n"
           "# TYPE regiomap_tile_cache_deferred_total counter\n"
        << "regiomap_tile_cache_deferred_total " << cache.deferred << '\n'
        << "# HELP regiomap_tile_cache_stale_hits_total Requests answered with a stale tile (at most "
           "--tile-refresh-ms behind the data).\n"
           "# TYPE regiomap_tile_cache_stale_hits_total counter\n"
        << "regiomap_tile_cache_stale_hits_total " << cache.stale_hits << '\n';

    out << "# HELP regiomap_features Features loaded, by collection.\n"
           "# TYPE regiomap_features gauge\n";
    if (served) {
        for (const auto& collection : served->store->collections()) {
            out << "regiomap_features{collection=\"" << label_escape(collection->id()) << "\"} " << collection->size()
                << '\n';
        }
    }
    out << "# HELP regiomap_data_generation Generation of the data being served (1 = first load).\n"
           "# TYPE regiomap_data_generation gauge\n"
        << "regiomap_data_generation " << (served ? served->generation : 0) << '\n'
        << "# HELP regiomap_data_loaded_timestamp_seconds When the data being served was loaded.\n"
           "# TYPE regiomap_data_loaded_timestamp_seconds gauge\n"
        << "regiomap_data_loaded_timestamp_seconds " << (served ? seconds_since_epoch(served->loaded_at) : 0) << '\n'
        << "# HELP regiomap_reloads_total Data loads, by result.\n"
           "# TYPE regiomap_reloads_total counter\n"
        << "regiomap_reloads_total{result=\"ok\"} " << reload.succeeded << '\n'
        << "regiomap_reloads_total{result=\"failed\"} " << reload.failed << '\n'
        << "# HELP regiomap_last_reload_ok Whether the latest load succeeded.\n"
           "# TYPE regiomap_last_reload_ok gauge\n"
        << "regiomap_last_reload_ok " << (reload.last_ok ? 1 : 0) << '\n';
    return out.str();
}

std::string Metrics::live_prometheus(const LiveStatus& live, std::chrono::system_clock::time_point now) {
    std::ostringstream out;
    auto counter = [&](const char* name, const char* help, std::uint64_t value) {
        out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " counter\n" << name << ' ' << value << '\n';
    };
    counter("regiomap_live_notices_total", "Changes the database announced (NOTIFY, or a standby's change log).",
            live.notices);
    counter("regiomap_live_ignored_total",
            "Announcements ignored: not ours (payload, version) or no collection's table.", live.ignored);
    counter("regiomap_live_published_total", "Snapshots published by live updates.", live.published);
    counter("regiomap_live_features_read_total", "Changed rows read again.", live.features_read);
    counter("regiomap_live_whole_reads_total", "Collections read whole (truncate, schema change).", live.whole_reads);
    counter("regiomap_live_reconnects_total", "Connections made again after one was lost.", live.reconnects);
    counter("regiomap_live_resyncs_total", "Full reloads to catch up with changes not heard.", live.resyncs);
    counter("regiomap_live_failures_total", "Batches that could not be applied (then caught up).", live.failures);
    out << "# HELP regiomap_live_connected Whether changes are being heard.\n"
           "# TYPE regiomap_live_connected gauge\n"
        << "regiomap_live_connected " << (live.connected ? 1 : 0) << '\n'
        << "# HELP regiomap_live_stale_seconds How long changes may not have reached the data (0: current).\n"
           "# TYPE regiomap_live_stale_seconds gauge\n"
        << "regiomap_live_stale_seconds "
        << (live.stale_since ? std::chrono::duration<double>(now - *live.stale_since).count() : 0.0) << '\n';
    return out.str();
}

}  // namespace regiomap::app
