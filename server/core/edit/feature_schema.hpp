#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/feature_store.hpp"

namespace regiomap::edit {

// The collection's schema as JSON Schema 2020-12, the way OGC API –
// Features Part 5 (Schemas) describes features: one flat object whose
// properties are the feature's id (readOnly, x-ogc-role "id"), its
// geometry (x-ogc-role "primary-geometry", format "geometry-point"…) and
// every field with its type, allowed values (enum), range, readOnly for
// derived measures, and "required" as the source declares it plus the
// provenance fields. The same rules decide what a write may hold
// (feature_input.hpp), so the document and the validation cannot drift.
nlohmann::ordered_json collection_schema(const CollectionMeta& meta, const std::string& self_url);

// The JSON Schema of a field type: {"type": …} with "format" for dates
// and date-times. The one mapping behind the schema, the queryables, the
// tilesets' layer fields and the OpenAPI document.
nlohmann::ordered_json field_type_schema(FieldType type);

// The JSON Schema format of a geometry ("geometry-point", …;
// "geometry-any" for a collection of mixed or unknown type).
std::string geometry_format(std::optional<GeometryType> type);

}  // namespace regiomap::edit
