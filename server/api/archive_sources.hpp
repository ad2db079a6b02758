#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/archive/tile_archive.hpp"

namespace regiomap::api {

// A tile archive served as it is: its id in URLs, its file, and its
// metadata parsed once at start.
struct ArchiveSource {
    std::string id;
    std::string path;
    std::unique_ptr<TileArchive> archive;
    nlohmann::ordered_json metadata;  // the archive's JSON metadata object
    bool protomaps_schema = false;    // a Protomaps basemap (layers earth, water, roads, places, …)
};

// The archives a server was started with: `--tiles` archives served at
// /archives/{id}/… next to the live tiler, and the offline `--basemap`.
struct ArchiveSet {
    std::vector<ArchiveSource> tiles;
    std::unique_ptr<ArchiveSource> basemap;

    const ArchiveSource* find(const std::string& id) const;
};

// An opened archive as a source (metadata parsed, schema recognised).
ArchiveSource make_archive_source(std::string id, std::string path, std::unique_ptr<TileArchive> archive);

}  // namespace regiomap::api
