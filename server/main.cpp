// regiomap: serves a GDAL/OGR data source as OGC API – Features (and, in
// time, vector tiles). This file only wires the parts together.
#include <iostream>
#include <thread>

#include <sys/resource.h>

#include "core/error.hpp"
#include "core/loader.hpp"
#include "core/log.hpp"
#include "core/tile_cache.hpp"
#include "http/app.hpp"
#include "http/cli.hpp"
#include "http/server.hpp"

namespace {

regiomap::LogLevel level_from(const std::string& name) {
    if (name == "debug") return regiomap::LogLevel::debug;
    if (name == "warning") return regiomap::LogLevel::warning;
    if (name == "error") return regiomap::LogLevel::error;
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
    http::ServerConfig config;
    try {
        config = http::parse_cli(std::vector<std::string_view>(argv + 1, argv + argc));
    } catch (const std::invalid_argument& error) {
        std::cerr << "regiomap: " << error.what() << "\n" << http::usage();
        return 2;
    }
    if (config.show_help) {
        std::cout << http::usage();
        return 0;
    }
    Logger log(std::cerr, level_from(config.log_level));
    raise_file_limit();

    http::StoreHolder store;
    http::StaticFiles files(config.web_root);
    http::StaticFiles fonts(config.fonts_dir);
    TileCache tile_cache(config.tile_cache_bytes);
    const unsigned threads = config.threads > 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
    try {
        http::AppContext context{config.app, store, files, fonts, tile_cache, log};
        http::HttpServer server(config.address, config.port, config.limits,
                                [&context](const http::Request& request) { return http::handle_request(context, request); },
                                log);
        if (config.app.service.fallback_host == "localhost:8080") {
            config.app.service.fallback_host = "localhost:" + std::to_string(server.port());
        }
        log.info("listening on http://" + config.address + ":" + std::to_string(server.port()) + " with " +
                 std::to_string(threads) + " threads");
        std::cout << "regiomap: serving on http://localhost:" << server.port() << "/" << std::endl;

        // Listen first, load in the background: /health answers 503 until
        // the data is in, so an operator sees a starting server, not a dead one.
        int exit_code = 0;
        std::thread loader([&] {
            try {
                store.set(load_store(config.data, log));
            } catch (const std::exception& error) {
                log.error(std::string("cannot serve: ") + error.what());
                exit_code = 1;
                server.stop();
            }
        });
        server.run(threads);
        loader.join();
        return exit_code;
    } catch (const std::exception& error) {
        log.error(std::string("fatal: ") + error.what());
        return 1;
    }
}
