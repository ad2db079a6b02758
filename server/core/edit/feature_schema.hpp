#pragma once

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

}  // namespace regiomap::edit
