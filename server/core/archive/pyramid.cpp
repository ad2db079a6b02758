#include "core/archive/pyramid.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "core/archive/pmtiles_format.hpp"
#include "core/web_mercator.hpp"

namespace regiomap {

std::vector<TileId> pyramid_tiles(const Box& box, int min_zoom, int max_zoom, double buffer_fraction,
                                  const HasData& has_data) {
    std::vector<std::pair<std::uint64_t, TileId>> ids;
    if (box.empty()) {
        return {};
    }
    std::vector<TileId> pending{{0, 0, 0}};
    while (!pending.empty()) {
        const TileId tile = pending.back();
        pending.pop_back();
        const Box bounds = tile_bounds(tile);
        const double margin = (bounds.max_x - bounds.min_x) * buffer_fraction;
        const Box grown{bounds.min_x - margin, bounds.min_y - margin, bounds.max_x + margin, bounds.max_y + margin};
        if (!grown.intersects(box) || !has_data(grown)) {
            continue;
        }
        if (tile.z >= min_zoom) {
            ids.emplace_back(pmtiles::tile_id(tile), tile);
        }
        if (tile.z < max_zoom) {
            for (std::uint32_t dx = 0; dx < 2; ++dx) {
                for (std::uint32_t dy = 0; dy < 2; ++dy) {
                    pending.push_back({tile.z + 1, tile.x * 2 + dx, tile.y * 2 + dy});
                }
            }
        }
    }
    std::sort(ids.begin(), ids.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<TileId> out;
    out.reserve(ids.size());
    for (const auto& [id, tile] : ids) {
        out.push_back(tile);
    }
    return out;
}

bool run_ordered(std::size_t count, unsigned threads, std::size_t window,
                 const std::function<std::string(std::size_t)>& make,
                 const std::function<void(std::size_t, std::string&)>& consume, const std::atomic<bool>& stop) {
    window = std::max<std::size_t>(window, 1);
    threads = std::max(1u, threads);
    // Workers claim runs of indices and the consumer takes every result
    // ready in order: one lock and at most one wake-up per run, not per
    // item. Per item, the futex calls were a tenth of the CPU of exporting
    // small tiles. Runs stay short next to the window, which bounds memory.
    const std::size_t run = std::clamp<std::size_t>(window / (4 * threads), 1, 32);
    std::mutex mutex;
    std::condition_variable consumer_wake;
    std::condition_variable worker_wake;
    std::vector<std::optional<std::string>> slots(window);
    std::size_t next = 0;      // the next index a worker takes
    std::size_t consumed = 0;  // indices below this are taken by the consumer
    std::size_t workers_waiting = 0;
    std::optional<std::size_t> consumer_waits_for;
    bool failed = false;
    std::exception_ptr error;
    auto fail = [&](std::exception_ptr what) {  // with the mutex held
        if (!failed) {
            failed = true;
            error = what;
        }
    };

    auto work = [&] {
        std::vector<std::string> made;
        while (true) {
            std::size_t first = 0;
            {
                std::unique_lock lock(mutex);
                while (!(failed || stop || next >= count || next < consumed + window)) {
                    ++workers_waiting;
                    worker_wake.wait(lock);
                    --workers_waiting;
                }
                if (failed || stop || next >= count) {
                    return;
                }
                first = next;
                next = std::min({count, next + run, consumed + window});
                made.resize(next - first);
            }
            try {
                for (std::size_t i = 0; i < made.size(); ++i) {
                    made[i] = make(first + i);
                }
            } catch (...) {
                {
                    std::lock_guard lock(mutex);
                    fail(std::current_exception());
                }
                consumer_wake.notify_all();
                worker_wake.notify_all();
                return;
            }
            bool wake_consumer = false;
            {
                std::lock_guard lock(mutex);
                for (std::size_t i = 0; i < made.size(); ++i) {
                    slots[(first + i) % window] = std::move(made[i]);
                }
                wake_consumer =
                    consumer_waits_for && *consumer_waits_for >= first && *consumer_waits_for < first + made.size();
            }
            if (wake_consumer) {
                consumer_wake.notify_one();
            }
        }
    };
    std::vector<std::jthread> workers;
    for (unsigned i = 0; i < threads; ++i) {
        workers.emplace_back(work);
    }
    bool completed = true;
    std::vector<std::string> ready;
    for (std::size_t index = 0; index < count && completed;) {
        bool wake_workers = false;
        {
            std::unique_lock lock(mutex);
            // The stop flag is set by another thread without this mutex:
            // look again now and then rather than wait for a notification.
            while (!(failed || stop || slots[index % window].has_value())) {
                consumer_waits_for = index;
                consumer_wake.wait_for(lock, std::chrono::milliseconds(100));
                consumer_waits_for.reset();
            }
            if (failed || stop) {
                completed = false;
                break;
            }
            ready.clear();
            for (std::size_t i = index; i < count && slots[i % window].has_value(); ++i) {
                ready.push_back(std::move(*slots[i % window]));
                slots[i % window].reset();
            }
            consumed = index + ready.size();
            wake_workers = workers_waiting > 0;
        }
        if (wake_workers) {
            worker_wake.notify_all();
        }
        for (std::string& result : ready) {
            if (stop) {
                completed = false;
                break;
            }
            try {
                consume(index, result);
            } catch (...) {
                std::lock_guard lock(mutex);
                fail(std::current_exception());
                completed = false;
                break;
            }
            ++index;
        }
    }
    {
        std::lock_guard lock(mutex);
        failed = failed || !completed;
    }
    worker_wake.notify_all();
    for (auto& worker : workers) {
        worker.join();
    }
    if (error) {
        std::rethrow_exception(error);
    }
    return completed;
}

}  // namespace regiomap
