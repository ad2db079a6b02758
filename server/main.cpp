// regiomap: serves a GDAL/OGR data source as OGC API – Features, vector
// tiles, styles and a web map. This file only reads the command line and
// hands over to the application (server/app/serve.cpp).
#include <iostream>

#include <sys/resource.h>

#include "app/cli.hpp"
#include "app/export_command.hpp"
#include "app/serve.hpp"
#include "app/token_command.hpp"
#include "core/log.hpp"

namespace {

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
    if (argc > 1 && std::string_view(argv[1]) == "token") {
        return app::run_token_command(std::vector<std::string_view>(argv + 2, argv + argc), std::cout, std::cerr);
    }
    if (argc > 1 && std::string_view(argv[1]) == "export") {
        return app::run_export(std::vector<std::string_view>(argv + 2, argv + argc));
    }
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
    return app::serve(std::move(config), log);
}
