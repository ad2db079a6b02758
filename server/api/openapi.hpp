#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/ogc_handlers.hpp"
#include "core/feature_store.hpp"

namespace regiomap::api {

// The OpenAPI 3.0 document of this server for the collections of `store`.
// It drives clients: QGIS reads its page size from
// components.parameters.limit.schema.maximum/default, GDAL looks up the
// property filters of /collections/{id}/items, and the OGC test suite
// generates its requests from the limit/bbox/datetime definitions.
nlohmann::ordered_json openapi_document(const FeatureStore& store, const ServiceInfo& service, const std::string& base);

}  // namespace regiomap::api
