#include "api/archive_sources.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace regiomap::api {

namespace {

bool mentions_protomaps(const nlohmann::ordered_json& metadata, const char* key) {
    if (!metadata.contains(key) || !metadata[key].is_string()) {
        return false;
    }
    std::string text = metadata[key].get<std::string>();
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text.find("protomaps") != std::string::npos;
}

// A Protomaps basemap says so in its name or description (the project's
// builds do), in a schema key, or has that schema's core layers.
bool is_protomaps_basemap(const nlohmann::ordered_json& metadata) {
    for (const char* key : {"x-schema", "schema", "name", "description"}) {
        if (mentions_protomaps(metadata, key)) {
            return true;
        }
    }
    std::set<std::string> ids;
    if (metadata.contains("vector_layers") && metadata["vector_layers"].is_array()) {
        for (const auto& layer : metadata["vector_layers"]) {
            if (layer.is_object() && layer.contains("id") && layer["id"].is_string()) {
                ids.insert(layer["id"].get<std::string>());
            }
        }
    }
    return ids.count("earth") && ids.count("water") && ids.count("roads") && ids.count("places");
}

}  // namespace

const ArchiveSource* ArchiveSet::find(const std::string& id) const {
    for (const ArchiveSource& source : tiles) {
        if (source.id == id) {
            return &source;
        }
    }
    return nullptr;
}

ArchiveSource make_archive_source(std::string id, std::string path, std::unique_ptr<TileArchive> archive) {
    ArchiveSource source{std::move(id), std::move(path), std::move(archive), {}, false};
    source.metadata = nlohmann::ordered_json::parse(source.archive->description().metadata_json, nullptr, false);
    if (!source.metadata.is_object()) {
        source.metadata = nlohmann::ordered_json::object();
    }
    source.protomaps_schema = is_protomaps_basemap(source.metadata);
    return source;
}

}  // namespace regiomap::api
