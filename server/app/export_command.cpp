#include "app/export_command.hpp"

#include <csignal>
#include <iostream>
#include <thread>
#include <variant>

#include <unistd.h>

#include "api/tile_handlers.hpp"
#include "app/export_options.hpp"
#include "app/export_progress.hpp"
#include "app/tile_gzip_memo.hpp"
#include "core/archive/mbtiles_writer.hpp"
#include "core/archive/pmtiles_writer.hpp"
#include "core/archive/pyramid.hpp"
#include "core/error.hpp"
#include "core/loader.hpp"
#include "core/tiles/tiler.hpp"
#include "core/web_mercator.hpp"
#include "http/compression.hpp"

namespace regiomap::app {

namespace {

std::string gzip(std::string_view bytes) {
    auto packed = http::gzip_compress(bytes);
    if (!packed) {
        throw Error(ErrorKind::internal, "gzip compression failed");
    }
    return std::move(*packed);
}

// SIGINT and SIGTERM are blocked in every thread of the export and taken
// by sigtimedwait on the thread that draws the progress, so no handler and
// no global flag are needed. Restores the mask on destruction.
//
// kWake is blocked too: the export sends it to the reporter thread when the
// work ends, so the reporter stops at once instead of at its next redraw
// (up to 200 ms: half the whole export of the shipped data).
constexpr int kWake = SIGUSR2;

class BlockedSignals {
public:
    BlockedSignals() {
        sigemptyset(&set_);
        sigaddset(&set_, SIGINT);
        sigaddset(&set_, SIGTERM);
        sigaddset(&set_, SIGHUP);
        sigaddset(&set_, kWake);
        pthread_sigmask(SIG_BLOCK, &set_, &previous_);
    }
    ~BlockedSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
    BlockedSignals(const BlockedSignals&) = delete;
    BlockedSignals& operator=(const BlockedSignals&) = delete;

    // A signal that arrived within `timeout`, or 0.
    int wait(std::chrono::milliseconds timeout) const {
        timespec wait_for{static_cast<time_t>(timeout.count() / 1000),
                          static_cast<long>(timeout.count() % 1000) * 1000000};
        const int signal = sigtimedwait(&set_, nullptr, &wait_for);
        return signal > 0 ? signal : 0;
    }

private:
    sigset_t set_;
    sigset_t previous_;
};

// The CRS84 box of the export: the data's extent, cut to --bbox.
Box export_area(const std::vector<const Collection*>& collections, const ExportOptions& options) {
    Box area;
    for (const Collection* collection : collections) {
        area.extend(collection->extent());
    }
    if (options.bbox) {
        const auto& b = *options.bbox;
        area = {std::max(area.min_x, b[0]), std::max(area.min_y, b[1]), std::min(area.max_x, b[2]),
                std::min(area.max_y, b[3])};
    }
    return area;
}

Box to_mercator(const Box& crs84) {
    const WebMercatorProjection projection;
    Coord corners[2] = {{crs84.min_x, crs84.min_y}, {crs84.max_x, crs84.max_y}};
    projection.project(corners);
    return {corners[0].x, corners[0].y, corners[1].x, corners[1].y};
}

TilesetInfo tileset_info(const FeatureStore& store, const std::vector<const Collection*>& collections,
                         const ExportOptions& options, const Box& area) {
    api::TileConfig config = options.server.app.tiles;
    nlohmann::ordered_json tilejson = api::tilejson_document(store, "", config, "");
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (auto& layer : tilejson["vector_layers"]) {
        for (const Collection* collection : collections) {
            if (layer["id"] == collection->id()) {
                layer["minzoom"] = options.min_zoom;
                layer["maxzoom"] = options.max_zoom;
                layers.push_back(layer);
            }
        }
    }
    TilesetInfo info;
    info.name = options.name.empty() ? tilejson.value("name", "regiomap") : options.name;
    info.description = tilejson.value("description", "");
    info.attribution = tilejson.value("attribution", "");
    info.type = options.type;
    info.min_zoom = options.min_zoom;
    info.max_zoom = options.max_zoom;
    info.min_lon = area.min_x;
    info.min_lat = area.min_y;
    info.max_lon = area.max_x;
    info.max_lat = area.max_y;
    info.center_lon = (area.min_x + area.max_x) / 2;
    info.center_lat = (area.min_y + area.max_y) / 2;
    info.center_zoom = options.min_zoom;
    if (tilejson.contains("center")) {
        const auto& center = tilejson["center"];
        const double lon = center[0].get<double>();
        const double lat = center[1].get<double>();
        if (lon >= area.min_x && lon <= area.max_x && lat >= area.min_y && lat <= area.max_y) {
            info.center_lon = lon;
            info.center_lat = lat;
        }
        info.center_zoom = std::clamp(center[2].get<int>(), options.min_zoom, options.max_zoom);
    }
    info.vector_layers_json = layers.dump();
    return info;
}

int export_archive(const ExportOptions& options, Logger& log) {
    const auto store = load_store(options.server.data, log, options.server.source);
    // Every collection the server would serve with the same options (--collections chooses them).
    std::vector<const Collection*> collections;
    for (const auto& collection : store->collections()) {
        collections.push_back(collection.get());
    }
    const Box area = export_area(collections, options);
    if (area.empty()) {
        std::cerr << "regiomap export: the data has no geometry" << (options.bbox ? " inside --bbox" : "")
                  << ": nothing to export\n";
        return 1;
    }
    const TileOptions& tile_options = options.server.app.tiles.options;
    const std::vector<TileId> tiles =
        pyramid_tiles(to_mercator(area), options.min_zoom, options.max_zoom,
                      static_cast<double>(tile_options.buffer) / tile_options.extent, [&](const Box& box) {
                          for (const Collection* collection : collections) {
                              if (!collection->tile_layer().search(box).empty()) {
                                  return true;
                              }
                          }
                          return false;
                      });

    // Opened before the work starts: an unwritable place fails at once.
    std::variant<std::monostate, PmtilesWriter, MbtilesWriter> writer;
    if (options.format == ArchiveFormat::pmtiles) {
        writer.emplace<PmtilesWriter>(options.output, pmtiles::Compression::gzip, pmtiles::Compression::gzip, gzip);
    } else {
        writer.emplace<MbtilesWriter>(options.output);
    }
    auto add = [&](TileId tile, std::string_view bytes) {
        if (auto* pm = std::get_if<PmtilesWriter>(&writer)) {
            pm->add(tile, bytes);
        } else {
            std::get<MbtilesWriter>(writer).add(tile, bytes);
        }
    };

    const unsigned threads =
        options.server.threads > 0 ? options.server.threads : std::max(1u, std::thread::hardware_concurrency());
    log.info("exporting " + std::to_string(tiles.size()) + " tiles of zooms " + std::to_string(options.min_zoom) + "–" +
             std::to_string(options.max_zoom) + " to " + options.output + " on " + std::to_string(threads) +
             " threads");
    const BlockedSignals signals;
    ExportProgress progress(std::cerr, ::isatty(STDERR_FILENO) == 1, tiles.size());
    std::atomic<bool> stop{false};
    std::atomic<bool> finished{false};
    std::atomic<int> interrupted{0};
    std::jthread reporter([&] {
        while (!finished) {
            const int signal = signals.wait(std::chrono::milliseconds(200));
            if (signal == kWake) {
                continue;  // the work ended: `finished` says so
            }
            if (signal != 0) {
                interrupted = signal;
                stop = true;
                return;
            }
            progress.draw();
        }
    });

    // The bytes the tile route sends: each collection's layer cut on its
    // own and the layers concatenated in collection order, then gzip at the
    // server's level (--gzip-level).
    const http::GzipCompressor compressor(options.server.app.gzip_level);
    TileGzipMemo gzip_once(compressor);
    auto make = [&](std::size_t index) {
        std::string raw;
        for (const Collection* collection : collections) {
            const Collection* one[] = {collection};
            raw += render_tile(one, tiles[index], tile_options);
        }
        if (raw.empty()) {
            return raw;
        }
        return gzip_once.compress(raw);
    };
    auto consume = [&](std::size_t index, std::string& bytes) {
        if (!bytes.empty()) {
            add(tiles[index], bytes);
            ++progress.written;
        }
        ++progress.done;
    };
    bool completed = false;
    try {
        completed = run_ordered(tiles.size(), threads, 4096, make, consume, stop);
        if (completed) {
            const TilesetInfo info = tileset_info(*store, collections, options, area);
            if (auto* pm = std::get_if<PmtilesWriter>(&writer)) {
                pm->finish(info);
            } else {
                std::get<MbtilesWriter>(writer).finish(info);
            }
        }
    } catch (...) {
        finished = true;
        pthread_kill(reporter.native_handle(), kWake);
        throw;
    }
    finished = true;
    pthread_kill(reporter.native_handle(), kWake);
    reporter.join();
    if (!completed) {
        std::cerr << "\nregiomap export: interrupted (" << strsignal(interrupted.load()) << "); nothing was written to "
                  << options.output << "\n";
        return 130;
    }
    progress.finish();
    log.debug(std::to_string(gzip_once.reused()) + " of " + std::to_string(progress.written.load()) +
              " tiles were the bytes of a tile already compressed (the inside of a polygon): compressed once");
    return 0;
}

}  // namespace

int run_export(const std::vector<std::string_view>& args) {
    ExportOptions options;
    try {
        options = parse_export_options(args);
    } catch (const std::invalid_argument& error) {
        std::cerr << "regiomap export: " << error.what() << "\n" << export_usage();
        return 2;
    }
    if (options.show_help) {
        std::cout << export_usage();
        return 0;
    }
    const std::string& level = options.server.log_level;
    Logger log(std::cerr, level == "debug"     ? LogLevel::debug
                          : level == "warning" ? LogLevel::warning
                          : level == "error"   ? LogLevel::error
                                               : LogLevel::info);
    try {
        return export_archive(options, log);
    } catch (const std::exception& error) {
        std::cerr << "regiomap export: " << error.what() << "\n";
        return 1;
    }
}

}  // namespace regiomap::app
