// regiomap: serves a GDAL/OGR data source as OGC API – Features (and, in
// time, vector tiles). This file only wires the parts together.
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include <sys/resource.h>

#include "app/app.hpp"
#include "app/cli.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/postgis/pg_source.hpp"
#include "core/tiles/tile_cache.hpp"
#include "http/server.hpp"

namespace {

constexpr std::chrono::seconds kMaxSourceWait{30};

regiomap::LogLevel level_from(const std::string& name) {
    if (name == "debug")
        return regiomap::LogLevel::debug;
    if (name == "warning")
        return regiomap::LogLevel::warning;
    if (name == "error")
        return regiomap::LogLevel::error;
    return regiomap::LogLevel::info;
}

// Many keep-alive clients need many descriptors: take the hard limit.
void raise_file_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

}  // namespace

int main(int argc, char** argv) {
    using namespace regiomap;
    app::ServerConfig config;
    try {
        const auto args = app::expand_config_files(std::vector<std::string_view>(argv + 1, argv + argc));
        config = app::parse_cli(std::vector<std::string_view>(args.begin(), args.end()));
    } catch (const std::invalid_argument& error) {
        std::cerr << "regiomap: " << error.what() << "\n" << app::usage();
        return 2;
    }
    if (config.show_help) {
        std::cout << app::usage();
        return 0;
    }
    Logger log(std::cerr, level_from(config.log_level));
    raise_file_limit();

    app::StoreHolder store;
    http::StaticFiles files(config.web_root);
    http::StaticFiles fonts(config.fonts_dir);
    TileCache tile_cache(config.tile_cache_bytes);
    app::Metrics metrics;
    app::Reloader reloader(config.data, config.source, store, tile_cache, log);
    const unsigned threads = config.threads > 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
    try {
        const app::App application({config.app, store, files, fonts, tile_cache, metrics, &reloader, log});
        http::HttpServer server(
            config.address, config.port, threads, config.limits,
            [&application](const http::Request& request) { return application.handle(request); }, log);
        if (config.app.service.fallback_host == "localhost:8080") {
            config.app.service.fallback_host = "localhost:" + std::to_string(server.port());
        }
        log.info("listening on http://" + config.address + ":" + std::to_string(server.port()) + " with " +
                 std::to_string(threads) + " threads");
        std::cout << "regiomap: serving on http://localhost:" << server.port() << "/" << std::endl;

        // Listen first, load in the background: /health answers 503 until
        // the data is in, so an operator sees a starting server, not a dead one.
        // The same thread then serves SIGHUP reloads, off the I/O threads.
        int exit_code = 0;
        std::mutex reload_mutex;
        std::condition_variable reload_wanted;
        bool reload_requested = false;
        bool stopping = false;
        server.on_hangup([&] {
            log.info("SIGHUP: reloading " + pg::display_source(config.data));
            std::lock_guard lock(reload_mutex);
            reload_requested = true;
            reload_wanted.notify_one();
        });
        std::thread loader([&] {
            // With --wait-for-source a source that is not there yet (a
            // database still starting) is tried again, 1 s, 2 s, … 30 s apart,
            // while /health answers 503.
            for (std::chrono::seconds delay{1}; !reloader.reload(); delay = std::min(delay * 2, kMaxSourceWait)) {
                if (!config.wait_for_source) {
                    log.error("cannot serve: the data did not load (--wait-for-source waits for it)");
                    exit_code = 1;
                    server.stop();
                    return;
                }
                log.info("waiting for the data source; next attempt in " + std::to_string(delay.count()) + " s");
                std::unique_lock lock(reload_mutex);
                if (reload_wanted.wait_for(lock, delay, [&] { return stopping; })) {
                    return;
                }
            }
            std::unique_lock lock(reload_mutex);
            while (true) {
                reload_wanted.wait(lock, [&] { return reload_requested || stopping; });
                if (stopping) {
                    return;
                }
                reload_requested = false;
                lock.unlock();
                reloader.reload();
                lock.lock();
            }
        });
        server.run();
        {
            std::lock_guard lock(reload_mutex);
            stopping = true;
            reload_wanted.notify_one();
        }
        loader.join();
        return exit_code;
    } catch (const std::exception& error) {
        log.error(std::string("fatal: ") + error.what());
        return 1;
    }
}
