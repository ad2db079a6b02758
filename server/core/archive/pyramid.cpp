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
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::optional<std::string>> slots(window);
    std::size_t next = 0;      // the next index a worker takes
    std::size_t consumed = 0;  // indices below this are consumed
    bool failed = false;
    std::exception_ptr error;

    auto work = [&] {
        while (true) {
            std::size_t index;
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return failed || stop || next >= count || next < consumed + window; });
                if (failed || stop || next >= count) {
                    return;
                }
                index = next++;
            }
            try {
                std::string made = make(index);
                std::lock_guard lock(mutex);
                slots[index % window] = std::move(made);
            } catch (...) {
                std::lock_guard lock(mutex);
                if (!failed) {
                    failed = true;
                    error = std::current_exception();
                }
            }
            changed.notify_all();
        }
    };
    std::vector<std::jthread> workers;
    for (unsigned i = 0; i < std::max(1u, threads); ++i) {
        workers.emplace_back(work);
    }
    bool completed = true;
    for (std::size_t index = 0; index < count; ++index) {
        std::string result;
        {
            std::unique_lock lock(mutex);
            // The stop flag is set by another thread without this mutex:
            // look again now and then rather than wait for a notification.
            while (!changed.wait_for(lock, std::chrono::milliseconds(100),
                                     [&] { return failed || stop || slots[index % window].has_value(); })) {
            }
            if (failed || stop) {
                completed = false;
                break;
            }
            result = std::move(*slots[index % window]);
            slots[index % window].reset();
            consumed = index + 1;
        }
        changed.notify_all();
        try {
            consume(index, result);
        } catch (...) {
            std::lock_guard lock(mutex);
            failed = true;
            if (!error) {
                error = std::current_exception();
            }
            completed = false;
            break;
        }
    }
    {
        std::lock_guard lock(mutex);
        failed = failed || !completed;
    }
    changed.notify_all();
    for (auto& worker : workers) {
        worker.join();
    }
    if (error) {
        std::rethrow_exception(error);
    }
    return completed;
}

}  // namespace regiomap
