#include "app/cli.hpp"

#include "app/write_origins.hpp"

#include <array>
#include <charconv>
#include <fstream>
#include <istream>
#include <stdexcept>

namespace regiomap::app {

namespace {

template <typename Number>
Number number_option(std::string_view option, std::string_view text, Number min, Number max) {
    Number value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
        throw std::invalid_argument(std::string(option) + ": '" + std::string(text) + "' is not a number from " +
                                    std::to_string(min) + " to " + std::to_string(max));
    }
    return value;
}

// Options that take a value, by their long name; the config file keys.
constexpr std::array<std::string_view, 30> kValueOptions{
    "data",           "address",       "port",         "threads",       "web-root",       "fonts-dir",
    "styles-dir",     "public-url",    "title",        "cache-max-age", "timeout",        "max-connections",
    "log-level",      "tile-cache-mb", "tile-extent",  "tile-buffer",   "tile-maxzoom",   "admin-token",
    "gzip-min-bytes", "thin-above",    "thin-cell-px", "access-log",    "shutdown-grace", "gzip-level",
    "tokens-file",    "if-match",      "tiles",        "basemap",       "cors-origin",    "tile-refresh-ms"};
// Which layers become collections and how they are presented; also config file keys.
constexpr std::array<std::string_view, 5> kSourceOptions{"collections", "collection-title", "collection-description",
                                                         "collection-key", "attribution"};

// --watch is for sources in the file system. PostGIS keeps the served data
// current through its own change notifications, which also see edits that
// never touch a file.
void check_watchable(std::string_view data) {
    if (data.empty()) {
        throw std::invalid_argument("--watch needs a file as --data");
    }
    std::string_view prefix = data.substr(0, 3);
    if (prefix == "PG:" || prefix == "pg:") {
        throw std::invalid_argument(
            "--watch is for file sources; a PostGIS source (PG:…) is kept current by its own live updates");
    }
}

// "ID=VALUE" of the per-collection options.
std::pair<std::string, std::string> collection_setting(std::string_view option, std::string_view text) {
    auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0) {
        throw std::invalid_argument(std::string(option) + ": '" + std::string(text) + "' should be COLLECTION=VALUE");
    }
    return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

// "layer,id=layer,…" of --collections.
std::vector<CollectionChoice> collection_list(std::string_view text) {
    std::vector<CollectionChoice> choices;
    while (!text.empty()) {
        auto comma = text.find(',');
        std::string_view entry = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        while (!entry.empty() && entry.front() == ' ') {
            entry.remove_prefix(1);
        }
        while (!entry.empty() && entry.back() == ' ') {
            entry.remove_suffix(1);
        }
        if (entry.empty()) {
            continue;
        }
        CollectionChoice choice;
        if (auto eq = entry.find('='); eq != std::string_view::npos) {
            choice.id = entry.substr(0, eq);
            choice.layer = entry.substr(eq + 1);
        } else {
            choice.layer = entry;
        }
        if (choice.layer.empty() || (entry.find('=') != std::string_view::npos && choice.id.empty())) {
            throw std::invalid_argument("--collections: '" + std::string(entry) + "' should be LAYER or ID=LAYER");
        }
        choices.push_back(std::move(choice));
    }
    if (choices.empty()) {
        throw std::invalid_argument("--collections: name at least one layer");
    }
    return choices;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

}  // namespace

std::vector<std::string> config_file_arguments(std::istream& in, const std::string& file_name) {
    std::vector<std::string> args;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        std::string_view text = line;
        if (auto hash = text.find('#'); hash != std::string_view::npos) {
            text = text.substr(0, hash);
        }
        text = trim(text);
        if (text.empty()) {
            continue;
        }
        const std::string where = file_name + ":" + std::to_string(number) + ": ";
        auto eq = text.find('=');
        if (eq == std::string_view::npos) {
            throw std::invalid_argument(where + "expected 'key = value', got '" + std::string(text) + "'");
        }
        const std::string key(trim(text.substr(0, eq)));
        const std::string value(trim(text.substr(eq + 1)));
        if (key == "wait-for-source" || key == "watch") {
            if (value != "true" && value != "false") {
                throw std::invalid_argument(where + key + " must be true or false");
            }
            if (value == "true") {
                args.push_back("--" + key);
            }
            continue;
        }
        if (key == "access-log" && (value == "true" || value == "false")) {
            // true: the default (with the server log); a file or "-" below.
            if (value == "false") {
                args.emplace_back("--no-access-log");
            }
            continue;
        }
        if (std::find(kValueOptions.begin(), kValueOptions.end(), key) == kValueOptions.end() &&
            std::find(kSourceOptions.begin(), kSourceOptions.end(), key) == kSourceOptions.end()) {
            throw std::invalid_argument(where + "unknown key '" + key + "'");
        }
        args.push_back("--" + key + "=" + value);
    }
    return args;
}

std::vector<std::string> expand_config_files(const std::vector<std::string_view>& args) {
    std::vector<std::string> from_files;
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        std::string file;
        if (arg == "--config") {
            if (i + 1 >= args.size()) {
                throw std::invalid_argument("--config needs a file");
            }
            file = args[++i];
        } else if (arg.starts_with("--config=")) {
            file = arg.substr(9);
        } else {
            rest.emplace_back(arg);
            continue;
        }
        std::ifstream in(file);
        if (!in) {
            throw std::invalid_argument("--config: cannot read '" + file + "'");
        }
        auto settings = config_file_arguments(in, file);
        from_files.insert(from_files.end(), settings.begin(), settings.end());
    }
    from_files.insert(from_files.end(), rest.begin(), rest.end());
    return from_files;
}

std::string usage() {
    return "usage: regiomap [options]\n"
           "       regiomap export [options] OUT.pmtiles|OUT.mbtiles   (regiomap export --help)\n"
           "  --data SOURCE          GDAL/OGR vector data source (default geodata/beichen.gpkg; '' for none:\n"
           "                         only archives), e.g.\n"
           "                         'PG:dbname=gis host=db' (password from PGPASSFILE/PGSERVICE/PGPASSWORD)\n"
           "  --wait-for-source      if the source cannot be read at start, try again (1-30 s apart) instead\n"
           "                         of exiting; /health is 503 meanwhile\n"
           "  --watch                reload a file source (GeoPackage, GeoJSON, …) when it changes; the old\n"
           "                         data stays served if the new file does not load\n"
           "  --collections LIST     serve only these layers/tables/views, in this order: 'a,b' or 'id=layer,…'\n"
           "  --collection-title ID=TEXT, --collection-description ID=TEXT\n"
           "                         a collection's title and description (repeatable)\n"
           "  --collection-key ID=COLUMN  the integer column that identifies a PostGIS view's features\n"
           "  --attribution TEXT     the data set's attribution (default: the source's own)\n"
           "  --address ADDR         address to listen on (default 0.0.0.0)\n"
           "  --port N               port (default 8080; 0 picks a free one)\n"
           "  --threads N            I/O threads (default: one per core)\n"
           "  --web-root DIR         directory of the web map (default web; '' for none)\n"
           "  --public-url URL       absolute URL clients reach the server at (default: from Host)\n"
           "  --title TEXT           service title on the landing page\n"
           "  --cache-max-age S      Cache-Control max-age of data and tile responses (default 60)\n"
           "  --styles-dir DIR       MapLibre styles served at /styles/{name}.json (default styles)\n"
           "  --fonts-dir DIR        glyphs served at /fonts/{fontstack}/{range}.pbf (default styles/glyphs)\n"
           "  --tile-cache-mb N      tile cache size in MiB (default 256; 0 = no cache)\n"
           "  --tile-refresh-ms N    while edits keep touching a cached tile, make it again at most every N ms\n"
           "                         and serve it stale (Cache-Control: no-cache) meanwhile (default 250;\n"
           "                         0 = every change drops its tiles at once)\n"
           "  --tiles [NAME=]FILE    also serve a PMTiles/MBTiles archive at /archives/NAME/{z}/{x}/{y}.mvt\n"
           "                         and /archives/NAME.json (NAME: the file name; may be repeated)\n"
           "  --basemap FILE         serve a PMTiles/MBTiles basemap at /basemap.json and /basemap/{z}/{x}/{y}.mvt\n"
           "  --tile-extent N        MVT extent (default 4096)\n"
           "  --tile-buffer N        MVT buffer in extent units (default 64)\n"
           "  --tile-maxzoom N       TileJSON maxzoom; tiles answer up to 22 anyway (default 14)\n"
           "  --thin-above N         below the maxzoom, thin collections of more than N features (default 5000)\n"
           "  --thin-cell-px PX      ... to one feature per PX x PX pixel cell of a 256-px tile (default 8)\n"
           "  --timeout S            seconds to receive a request or send a response (default 30)\n"
           "  --max-connections N    concurrent connections before new ones get 503 (default 2048)\n"
           "  --admin-token TOKEN    enables POST /admin/reload with 'Authorization: Bearer TOKEN'\n"
           "  --tokens-file FILE     lets holders of its tokens change features (POST/PUT/PATCH/DELETE);\n"
           "                         manage it with 'regiomap token add|list|revoke' (see 'regiomap token')\n"
           "  --if-match MODE        required (default): changes need If-Match, 428 without; optional\n"
           "  --cors-origin ORIGIN   web pages at ORIGIN (https://host[:port]) may change features too;\n"
           "                         the server's own pages always may (may be repeated)\n"
           "  --gzip-min-bytes N     smaller responses are not compressed (default 256)\n"
           "  --gzip-level N         1 (fastest) to 12 (smallest), libdeflate's levels (default 1)\n"
           "  --config FILE          read settings from FILE (key = value); options override it\n"
           "  --access-log FILE|-    one line per request to FILE (reopened on SIGUSR1) or '-' for standard\n"
           "                         output (default: with the server log on standard error)\n"
           "  --no-access-log        do not log one line per request\n"
           "  --shutdown-grace S     on SIGINT/SIGTERM, in-flight requests get S seconds (default 10)\n"
           "  --log-level LEVEL      debug, info, warning or error (default info)\n"
           "  --help                 this text\n";
}

ServerConfig parse_cli(const std::vector<std::string_view>& args) {
    ServerConfig config;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view option = args[i];
        std::string_view value;
        // --name=value and --name value are both accepted.
        if (auto eq = option.find('='); option.starts_with("--") && eq != std::string_view::npos) {
            value = option.substr(eq + 1);
            option = option.substr(0, eq);
        } else if (option != "--help" && option != "-h" && option != "--no-access-log" &&
                   option != "--wait-for-source" && option != "--watch") {
            if (i + 1 >= args.size()) {
                throw std::invalid_argument(std::string(option) + " needs a value");
            }
            value = args[++i];
        }
        if (option == "--help" || option == "-h") {
            config.show_help = true;
        } else if (option == "--data") {
            config.data = value;
        } else if (option == "--wait-for-source") {
            config.wait_for_source = true;
        } else if (option == "--watch") {
            config.watch = true;
        } else if (option == "--collections") {
            config.source.collections = collection_list(value);
        } else if (option == "--collection-title") {
            auto [id, text] = collection_setting(option, value);
            config.source.titles.insert_or_assign(id, text);
        } else if (option == "--collection-description") {
            auto [id, text] = collection_setting(option, value);
            config.source.descriptions.insert_or_assign(id, text);
        } else if (option == "--collection-key") {
            auto [id, column] = collection_setting(option, value);
            config.source.key_columns.insert_or_assign(id, column);
        } else if (option == "--attribution") {
            config.source.attribution = value;
        } else if (option == "--tiles") {
            config.tile_archives.emplace_back(value);
        } else if (option == "--basemap") {
            config.basemap = value;
        } else if (option == "--address") {
            config.address = value;
        } else if (option == "--port") {
            config.port = number_option<std::uint16_t>(option, value, 0, 65535);
        } else if (option == "--threads") {
            config.threads = number_option<unsigned>(option, value, 0, 256);
        } else if (option == "--web-root") {
            config.web_root = value;
        } else if (option == "--public-url") {
            if (!value.empty() && !value.starts_with("http://") && !value.starts_with("https://")) {
                throw std::invalid_argument("--public-url: '" + std::string(value) +
                                            "' must start with http:// or https://");
            }
            config.app.service.public_url = value;
        } else if (option == "--title") {
            config.app.service.title = value;
        } else if (option == "--cache-max-age") {
            auto seconds = number_option<unsigned>(option, value, 0, 31'536'000);
            config.app.cache_control = seconds == 0 ? "no-cache" : "public, max-age=" + std::to_string(seconds);
            config.app.cache_max_age = seconds;
        } else if (option == "--fonts-dir") {
            config.fonts_dir = value;
        } else if (option == "--admin-token") {
            if (value.size() < 16) {
                throw std::invalid_argument("--admin-token: use at least 16 characters");
            }
            config.app.admin_token = value;
        } else if (option == "--tokens-file") {
            config.edit.tokens_file = value;
        } else if (option == "--cors-origin") {
            config.app.cors_origins.push_back(normalised_origin(value));
        } else if (option == "--if-match") {
            if (value != "required" && value != "optional") {
                throw std::invalid_argument("--if-match: '" + std::string(value) + "' is not required or optional");
            }
            config.edit.allow_without_if_match = value == "optional";
        } else if (option == "--gzip-min-bytes") {
            config.app.gzip_min_bytes = number_option<std::size_t>(option, value, 0, 1u << 30);
        } else if (option == "--gzip-level") {
            config.app.gzip_level = number_option<int>(option, value, http::kMinGzipLevel, http::kMaxGzipLevel);
        } else if (option == "--styles-dir") {
            config.app.styles_dir = value;
        } else if (option == "--tile-cache-mb") {
            config.tile_cache_bytes = number_option<std::size_t>(option, value, 0, 1u << 20) << 20;
        } else if (option == "--tile-refresh-ms") {
            config.tile_refresh_ms = number_option<unsigned>(option, value, 0, 60'000);
        } else if (option == "--tile-extent") {
            config.app.tiles.options.extent = number_option<std::uint32_t>(option, value, 256, 1u << 16);
        } else if (option == "--tile-buffer") {
            config.app.tiles.options.buffer = number_option<std::uint32_t>(option, value, 0, 4096);
        } else if (option == "--tile-maxzoom") {
            config.app.tiles.max_zoom = number_option<int>(option, value, 0, 22);
        } else if (option == "--thin-above") {
            config.generalisation.thin_above = number_option<std::size_t>(option, value, 0, 1'000'000'000);
        } else if (option == "--thin-cell-px") {
            config.generalisation.cell_px = number_option<unsigned>(option, value, 1, 256);
        } else if (option == "--timeout") {
            config.limits.io_timeout = std::chrono::seconds(number_option<unsigned>(option, value, 1, 3600));
        } else if (option == "--max-connections") {
            config.limits.max_connections = number_option<std::size_t>(option, value, 1, 1'000'000);
        } else if (option == "--no-access-log") {
            config.access_log = false;
        } else if (option == "--access-log") {
            if (value.empty()) {
                throw std::invalid_argument("--access-log needs a file, or '-' for standard output");
            }
            config.access_log = true;
            config.access_log_target =
                value == "-" ? http::AccessLogTarget{http::AccessLogTarget::Kind::standard_output, {}}
                             : http::AccessLogTarget{http::AccessLogTarget::Kind::file, std::string(value)};
        } else if (option == "--shutdown-grace") {
            config.limits.shutdown_grace = std::chrono::seconds(number_option<unsigned>(option, value, 0, 3600));
        } else if (option == "--log-level") {
            if (value != "debug" && value != "info" && value != "warning" && value != "error") {
                throw std::invalid_argument("--log-level: '" + std::string(value) +
                                            "' is not one of debug, info, warning, error");
            }
            config.log_level = value;
        } else {
            throw std::invalid_argument("unknown option '" + std::string(option) + "' (see --help)");
        }
    }
    if (config.watch) {
        check_watchable(config.data);
    }
    // Thinning stops where the TileJSON says the data is complete.
    config.generalisation.detail_zoom = config.app.tiles.max_zoom;
    config.source.generalisation = config.generalisation;
    return config;
}

}  // namespace regiomap::app
