#include "core/archive/tileset_info.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace regiomap {

std::string tileset_metadata_json(const TilesetInfo& info) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
    auto text = [&](const char* key, const std::string& value) {
        json.Key(key);
        json.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    };
    json.StartObject();
    text("name", info.name);
    text("description", info.description);
    text("attribution", info.attribution);
    text("version", info.version);
    text("type", info.type);
    text("format", "pbf");
    json.Key("minzoom");
    json.Int(info.min_zoom);
    json.Key("maxzoom");
    json.Int(info.max_zoom);
    json.Key("bounds");
    json.StartArray();
    for (double value : {info.min_lon, info.min_lat, info.max_lon, info.max_lat}) {
        json.Double(value);
    }
    json.EndArray();
    json.Key("center");
    json.StartArray();
    json.Double(info.center_lon);
    json.Double(info.center_lat);
    json.Int(info.center_zoom);
    json.EndArray();
    json.Key("vector_layers");
    json.RawValue(info.vector_layers_json.data(), info.vector_layers_json.size(), rapidjson::kArrayType);
    json.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace regiomap
