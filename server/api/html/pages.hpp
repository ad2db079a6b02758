#pragma once

#include <string>

#include <nlohmann/json.hpp>

// The HTML representation of the OGC API – Features resources, rendered
// from the very JSON documents the API answers with (so both always say
// the same): pure functions of those documents, in Chinese and English.
namespace regiomap::api::html {

struct Site {
    std::string base;  // absolute URL of the service root, no trailing slash
    std::string title;
    std::string description;
};

using json = nlohmann::ordered_json;

std::string landing_page(const Site& site, const json& landing);
std::string conformance_page(const Site& site, const json& conformance);
std::string collections_page(const Site& site, const json& collections);
// `fields`: [{"name", "type"}] in the collection's order.
std::string collection_page(const Site& site, const json& collection, const json& fields);
// `features`: a GeoJSON FeatureCollection page with numberMatched and links;
// `offset`: the index of its first feature among the matches; `crs84`:
// whether its geometries are CRS84 (only then is a map drawn).
std::string items_page(const Site& site, const json& collection, const json& features, std::size_t offset, bool crs84);
std::string item_page(const Site& site, const json& collection, const json& feature, bool crs84);

// A feature's name for people: name_zh · name_en, name, title, or its id.
std::string feature_label(const json& feature);

}  // namespace regiomap::api::html
