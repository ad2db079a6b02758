#include "app/export_options.hpp"

#include <charconv>
#include <stdexcept>

#include "core/tiles/tile.hpp"

namespace regiomap::app {

namespace {

int zoom_option(std::string_view option, std::string_view text) {
    int value = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < 0 || value > kMaxTileZoom) {
        throw std::invalid_argument(std::string(option) + ": '" + std::string(text) + "' is not a zoom from 0 to " +
                                    std::to_string(kMaxTileZoom));
    }
    return value;
}

std::array<double, 4> bbox_option(std::string_view text) {
    const std::string refusal = "--bbox: '" + std::string(text) + "' is not four numbers minLon,minLat,maxLon,maxLat";
    std::array<double, 4> box{};
    std::size_t found = 0;
    std::string_view rest = text;
    while (true) {
        const auto comma = rest.find(',');
        const std::string_view part = rest.substr(0, comma);
        double value = 0;
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (ec != std::errc{} || end != part.data() + part.size() || found == 4) {
            throw std::invalid_argument(refusal);
        }
        box[found++] = value;
        if (comma == std::string_view::npos) {
            break;
        }
        rest = rest.substr(comma + 1);
    }
    if (found != 4) {
        throw std::invalid_argument(refusal);
    }
    if (box[0] < -180 || box[2] > 180 || box[1] < -90 || box[3] > 90 || box[0] >= box[2] || box[1] >= box[3]) {
        throw std::invalid_argument("--bbox: '" + std::string(text) +
                                    "' must have -180 <= minLon < maxLon <= 180 and -90 <= minLat < maxLat <= 90");
    }
    return box;
}

}  // namespace

std::string export_usage() {
    return "usage: regiomap export [options] OUT.pmtiles|OUT.mbtiles\n"
           "Writes every tile of the chosen zooms, cut as the server cuts them (same bytes,\n"
           "gzip), into a PMTiles v3 or MBTiles 1.3 archive, on all cores.\n"
           "  --format F             pmtiles or mbtiles (default: from OUT's extension)\n"
           "  --minzoom N            first zoom (default 0)\n"
           "  --maxzoom N            last zoom (default 14); zooms are 0-22\n"
           "  --bbox W,S,E,N         only tiles meeting this CRS84 box (default: the data's extent)\n"
           "  --name TEXT            the archive's name in its metadata (default regiomap)\n"
           "  --type T               overlay (default) or baselayer\n"
           "  --threads N            workers (default: one per core)\n"
           "  --data, --collections, --config, --tile-extent, --tile-buffer, --tile-maxzoom,\n"
           "  --thin-above, --thin-cell-px   as for the server (regiomap --help): the archive holds\n"
           "                         the tiles a server started with the same options sends\n"
           "A progress bar goes to a terminal, a line per 10 % otherwise. Interrupted\n"
           "(Ctrl-C, SIGTERM), nothing is left behind; an error exits with 1, bad\n"
           "options with 2, an interrupt with 130.\n";
}

ExportOptions parse_export_options(const std::vector<std::string_view>& given) {
    const auto expanded = expand_config_files(given);
    ExportOptions options;
    std::vector<std::string_view> server_args;
    bool format_given = false;
    for (std::size_t i = 0; i < expanded.size(); ++i) {
        std::string_view option = expanded[i];
        std::string_view value;
        const bool ours = option.starts_with("--format") || option.starts_with("--minzoom") ||
                          option.starts_with("--maxzoom") || option.starts_with("--bbox") ||
                          option.starts_with("--name") || option.starts_with("--type");
        if (option == "--help" || option == "-h") {
            options.show_help = true;
            continue;
        }
        if (!option.starts_with("-")) {
            if (!options.output.empty()) {
                throw std::invalid_argument("one output file only (got '" + options.output + "' and '" +
                                            std::string(option) + "')");
            }
            options.output = option;
            continue;
        }
        if (!ours) {
            server_args.push_back(option);
            if (option.find('=') == std::string_view::npos && option != "--no-access-log" && i + 1 < expanded.size()) {
                server_args.push_back(expanded[++i]);
            }
            continue;
        }
        if (auto eq = option.find('='); eq != std::string_view::npos) {
            value = option.substr(eq + 1);
            option = option.substr(0, eq);
        } else if (i + 1 < expanded.size()) {
            value = expanded[++i];
        } else {
            throw std::invalid_argument(std::string(option) + " needs a value");
        }
        if (option == "--format") {
            if (value == "pmtiles") {
                options.format = ArchiveFormat::pmtiles;
            } else if (value == "mbtiles") {
                options.format = ArchiveFormat::mbtiles;
            } else {
                throw std::invalid_argument("--format: '" + std::string(value) + "' is not pmtiles or mbtiles");
            }
            format_given = true;
        } else if (option == "--minzoom") {
            options.min_zoom = zoom_option(option, value);
        } else if (option == "--maxzoom") {
            options.max_zoom = zoom_option(option, value);
        } else if (option == "--bbox") {
            options.bbox = bbox_option(value);
        } else if (option == "--name") {
            options.name = value;
        } else if (option == "--type") {
            if (value != "overlay" && value != "baselayer") {
                throw std::invalid_argument("--type: '" + std::string(value) + "' is not overlay or baselayer");
            }
            options.type = value;
        } else {
            throw std::invalid_argument("unknown option '" + std::string(option) + "' (see regiomap export --help)");
        }
    }
    options.server = parse_cli(server_args);
    if (options.show_help) {
        return options;
    }
    if (options.output.empty()) {
        throw std::invalid_argument("no output file given (regiomap export [options] OUT.pmtiles|OUT.mbtiles)");
    }
    if (options.min_zoom > options.max_zoom) {
        throw std::invalid_argument("--minzoom " + std::to_string(options.min_zoom) + " is above --maxzoom " +
                                    std::to_string(options.max_zoom));
    }
    if (!format_given) {
        if (options.output.ends_with(".mbtiles")) {
            options.format = ArchiveFormat::mbtiles;
        } else if (!options.output.ends_with(".pmtiles")) {
            throw std::invalid_argument("cannot tell the format of '" + options.output +
                                        "': name it .pmtiles or .mbtiles, or give --format");
        }
    }
    return options;
}

}  // namespace regiomap::app
