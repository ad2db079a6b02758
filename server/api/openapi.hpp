#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/context.hpp"

namespace regiomap::api {

// The OpenAPI 3.0 document of this server: every documented route of the
// route table under its path template, plus one items path per collection
// listing its property filters. It drives clients: QGIS reads its page size
// from components.parameters.limit.schema.maximum/default, GDAL looks up the
// property filters of /collections/{id}/items, and the OGC test suite
// generates its requests from the limit/bbox/datetime definitions.
nlohmann::ordered_json openapi_document(const ApiContext& context);

// Pieces for the routes' own operation objects (see api_routes.cpp).
namespace openapi {
nlohmann::ordered_json ref(const std::string& kind, const std::string& name);
// An operation with 200, 400 and 500 responses (and 404 if `may_be_missing`).
nlohmann::ordered_json operation(std::string_view summary, std::string_view id, std::string_view tag,
                                 nlohmann::ordered_json ok_response,
                                 nlohmann::ordered_json params = nlohmann::ordered_json::array(),
                                 bool may_be_missing = false);
// A response {"description", "content": {type: {schema: #/components/schemas/schema}}}.
nlohmann::ordered_json ok(std::string_view description, std::string_view type, const std::string& schema);
// The same, and the resource's HTML page (f=html or Accept: text/html).
nlohmann::ordered_json ok_or_html(std::string_view description, std::string_view type, const std::string& schema);
// limit, offset, bbox, datetime and f of an items request.
nlohmann::ordered_json items_parameters();
}  // namespace openapi

}  // namespace regiomap::api
