#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/feature_store.hpp"
#include "core/gdal_handles.hpp"

namespace regiomap::edit {

// What a body may hold. Defaults suit project registers like the Beichen
// data; a body larger than the transport's limit never gets here (413).
struct InputLimits {
    std::size_t max_depth = 32;           // JSON nesting; deeper is refused before it is built
    std::size_t max_vertices = 50'000;    // of one geometry
    std::size_t max_string_bytes = 8192;  // of one property value
};

// Parses a request body as JSON: 400 (bad_request) for malformed JSON,
// invalid UTF-8 or nesting deeper than `max_depth`, naming where.
nlohmann::json parse_json_body(std::string_view body, std::size_t max_depth);

// The CRS of the coordinates in a body: CRS84 unless a Content-Crs header
// names another ("<http://www.opengis.net/def/crs/EPSG/0/4490>", with or
// without the angle brackets, or "EPSG:4490").
struct InputCrs {
    std::string uri;  // as the client gave it; empty: CRS84
};

// How a new version of a feature is judged.
struct InputRules {
    InputLimits limits;
    // Where a geometry of this data set may plausibly be (CRS84); a point
    // in the ocean off Africa is a typo, not a project. Empty: anywhere on Earth.
    Box plausible_extent;
    InputCrs crs;
};

// A GeoJSON Feature read as the new state of a feature of `meta`'s
// collection, checked against the collection's schema before anything is
// written: its geometry (type of the collection, valid, finite, inside the
// plausible extent, in CRS84 or transformed from the Content-Crs), every
// property (known, not derived, of the field's type, an allowed value,
// in range, provenance given). Derived measures (length_km, area_km2) are
// computed from the geometry. Throws Error: bad_request when the body is
// not a GeoJSON Feature at all, unprocessable (422) with one Problem per
// failing member otherwise.
struct FeatureInput {
    Feature feature;                     // id 0: the caller sets it
    gdal::GeometryPtr source_geometry;   // the same geometry for the source of record (CRS84)
    std::optional<std::string> body_id;  // the body's "id" member as text, if any
};
FeatureInput read_feature_input(const nlohmann::json& body, const CollectionMeta& meta, const InputRules& rules);

// A merge patch (RFC 7396) checked before it is applied: only known,
// writable properties; no "id" other than `feature_id`; no "type" other
// than Feature. Throws Error as read_feature_input does.
void check_merge_patch(const nlohmann::json& patch, const CollectionMeta& meta, std::int64_t feature_id);

// A feature as GeoJSON (members type, id, geometry, properties), without
// the derived measures when `writable_only`: the base a merge patch applies to.
nlohmann::json feature_json(const CollectionMeta& meta, const Feature& feature, bool writable_only = false);

// Fields clients do not set: measures the server derives from the
// geometry (scripts/build-geodata computes the same), marked readOnly in
// the schema.
bool is_derived_field(std::string_view name);
// Provenance of the geometry: required on every write, whatever the
// source declares (geom_quality, geom_source, uncertainty_m).
bool is_provenance_field(std::string_view name);

}  // namespace regiomap::edit
