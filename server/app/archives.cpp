#include "app/archives.hpp"

#include "core/error.hpp"
#include "http/compression.hpp"

namespace regiomap::app {

namespace {

std::string gunzip(std::string_view bytes) {
    auto plain = http::gzip_decompress(bytes);
    return plain ? std::move(*plain) : std::string();
}

bool plain_name(std::string_view name) {
    return !name.empty() &&
           name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
               std::string_view::npos;
}

// "name=path/file.pmtiles" or "path/file.pmtiles" (named "file").
std::pair<std::string, std::string> name_and_path(const std::string& value) {
    if (const auto eq = value.find('='); eq != std::string::npos && plain_name(value.substr(0, eq))) {
        return {value.substr(0, eq), value.substr(eq + 1)};
    }
    std::string name = value.substr(value.rfind('/') == std::string::npos ? 0 : value.rfind('/') + 1);
    if (const auto dot = name.rfind('.'); dot != std::string::npos && dot > 0) {
        name.resize(dot);
    }
    for (char& c : name) {
        if (!plain_name(std::string_view(&c, 1))) {
            c = '_';
        }
    }
    return {name, value};
}

}  // namespace

api::ArchiveSet open_archives(const std::vector<std::string>& tiles, const std::string& basemap) {
    api::ArchiveSet set;
    for (const std::string& value : tiles) {
        auto [name, path] = name_and_path(value);
        if (set.find(name)) {
            throw Error::data_source("--tiles " + value + ": another archive is already named '" + name +
                                     "'; name one with --tiles NAME=FILE");
        }
        try {
            set.tiles.push_back(api::make_archive_source(name, path, open_tile_archive(path, gunzip)));
        } catch (const Error& error) {
            throw Error::data_source("--tiles " + value + ": " + error.what());
        }
    }
    if (!basemap.empty()) {
        try {
            set.basemap = std::make_unique<api::ArchiveSource>(
                api::make_archive_source("basemap", basemap, open_tile_archive(basemap, gunzip)));
        } catch (const Error& error) {
            throw Error::data_source("--basemap " + basemap + ": " + error.what());
        }
    }
    return set;
}

}  // namespace regiomap::app
