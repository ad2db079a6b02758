#pragma once

#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/feature_store.hpp"

namespace regiomap {

// rapidjson's SAX writer: no DOM is built for feature output, so a page of
// 10 000 features is written straight into one growing buffer.
using JsonBuffer = rapidjson::StringBuffer;
using JsonWriter = rapidjson::Writer<JsonBuffer>;

// The GeoJSON "type" of a geometry: "Point", "LineString", … (RFC 7946).
std::string_view geojson_type(GeometryType type);

// RFC 7946 geometry object (CRS84 lon/lat), or null for an empty geometry.
void write_geometry(JsonWriter& json, const Geometry& geometry);

// One property value: dates as "YYYY-MM-DD", date-times as RFC 3339 UTC.
void write_value(JsonWriter& json, const Value& value);

// The "properties" object of a feature, one member per collection field.
void write_properties(JsonWriter& json, const CollectionMeta& meta, const Feature& feature);

// Which members of a feature are written, and how.
struct FeatureWriteOptions {
    const std::vector<std::size_t>* fields = nullptr;  // only these, in this order; null: every field
    bool skip_geometry = false;                        // "geometry": null
    const Geometry* geometry = nullptr;                // written instead of the feature's own (another CRS)
};

// Writes the members "type", "id", "geometry", "properties" of a feature;
// the caller opens and closes the object so that it can add members (links).
void write_feature_members(JsonWriter& json, const CollectionMeta& meta, const Feature& feature,
                           const FeatureWriteOptions& options = {});

}  // namespace regiomap
