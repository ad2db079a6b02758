#include "app/serve.hpp"

#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "app/app.hpp"
#include "app/archives.hpp"
#include "app/edit_service.hpp"
#include "app/file_watcher.hpp"
#include "app/live_updates.hpp"
#include "app/reloader.hpp"
#include "app/store_holder.hpp"
#include "core/postgis/pg_source.hpp"
#include "core/tiles/tile_cache.hpp"
#include "http/access_log.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"

namespace regiomap::app {

namespace {

constexpr std::chrono::seconds kMaxSourceWait{30};

// Eight hex digits that tell this run's data generations from another run's
// in tile URLs (see api/tile_version.hpp).
std::string new_run_id() {
    std::random_device random;
    char text[9];
    std::snprintf(text, sizeof text, "%08x", static_cast<unsigned>(random()));
    return text;
}

}  // namespace

int serve(ServerConfig config, Logger& log) {
    StoreHolder store;
    http::StaticFiles files(config.web_root);
    http::StaticFiles fonts(config.fonts_dir);
    const TileOptions& cut = config.app.tiles.options;
    TileCache tile_cache(config.tile_cache_bytes, static_cast<double>(cut.buffer) / cut.extent,
                         TileRefresh{std::chrono::milliseconds(config.tile_refresh_ms)});
    Metrics metrics;
    Reloader reloader(config.data, config.source, store, tile_cache, log);
    config.app.run_id = new_run_id();
    const unsigned threads = config.threads > 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
    try {
        std::optional<http::AccessLog> access_log;
        if (config.access_log) {
            access_log.emplace(config.access_log_target, threads, log);
        }
        // Editing: the tokens file is read and the source opened for
        // writing now, so that a mistake in either stops the start.
        std::unique_ptr<EditService> edit;
        if (!config.edit.tokens_file.empty()) {
            edit = std::make_unique<EditService>(config.data, config.edit, store, reloader, tile_cache, log);
            config.app.editing = true;
            log.info("editing is on: tokens from " + config.edit.tokens_file +
                     (config.edit.allow_without_if_match ? ", If-Match optional" : ", If-Match required"));
        }
        // Archives are checked through before the port opens: a bad one stops the start.
        const api::ArchiveSet archives = open_archives(config.tile_archives, config.basemap);
        // A PostGIS source is kept current from the database's change announcements.
        std::unique_ptr<LiveUpdates> live;
        if (pg::is_pg_source(config.data)) {
            live = std::make_unique<LiveUpdates>(reloader, store, tile_cache, log);
        }
        const App application(
            {config.app, store, files, fonts, tile_cache, metrics, &reloader, log, edit.get(), &archives, live.get()});
        http::HttpServer server(
            config.address, config.port, threads, config.limits,
            [&application](const http::Request& request) { return application.handle(request); }, log,
            access_log ? &*access_log : nullptr);
        if (config.app.service.fallback_host == "localhost:8080") {
            config.app.service.fallback_host = "localhost:" + std::to_string(server.port());
        }
        // Two lines each on the log and on stdout, so that neither claims
        // more than is true: listening (the port, /health answers 503) and,
        // once the data is in, serving.
        const std::string url = "http://localhost:" + std::to_string(server.port()) + "/";
        log.info("listening on http://" + config.address + ":" + std::to_string(server.port()) + " with " +
                 std::to_string(threads) + " threads (loading data)");
        std::cout << "regiomap: listening on " << url << " (loading data)" << std::endl;

        // Listen first, load in the background: /health answers 503 until
        // the data is in, so an operator sees a starting server, not a dead
        // one. The same thread then serves SIGHUP reloads, off the I/O threads.
        int exit_code = 0;
        std::mutex reload_mutex;
        std::condition_variable reload_wanted;
        bool reload_requested = false;
        bool stopping = false;
        auto request_reload = [&](std::string_view why) {
            log.info(why);
            std::lock_guard lock(reload_mutex);
            reload_requested = true;
            reload_wanted.notify_one();
        };
        server.on_hangup([&] { request_reload("SIGHUP: reloading the data"); });
        // Started before the first load, so that a change made while it runs is not missed.
        std::optional<FileWatcher> watcher;
        if (config.watch) {
            watcher.emplace(
                config.data, FileWatcher::Timing{}, [&] { request_reload("--watch: the data changed, reloading"); },
                log);
            log.info("--watch: reloading when " + watcher->description() + " changes");
        }
        if (live) {
            live->start();
        }
        std::thread loader([&] {
            if (live) {
                // LISTEN before the first read, so no change falls in between.
                live->wait_first_attempt(std::chrono::seconds(5));
            }
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
            if (auto served = store.get()) {
                const auto& collections = served->store->collections();
                log.info("serving " + std::to_string(collections.size()) + " collections, " +
                         std::to_string(served->store->feature_count()) + " features");
            }
            std::cout << "regiomap: serving on " << url << std::endl;
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
        watcher.reset();
        {
            std::lock_guard lock(reload_mutex);
            stopping = true;
            reload_wanted.notify_one();
        }
        loader.join();
        if (live) {
            live->stop();
        }
        if (access_log) {
            access_log->close();  // every line of every answered request is written
        }
        return exit_code;
    } catch (const std::exception& error) {
        log.error(std::string("fatal: ") + error.what());
        return 1;
    }
}

}  // namespace regiomap::app
