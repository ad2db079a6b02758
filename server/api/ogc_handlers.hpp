#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/routes.hpp"
#include "core/feature_store.hpp"

namespace regiomap::api {

// The OGC API – Features endpoints; see routes.cpp for their paths.
Response landing_page(const ApiContext& context, const RouteArgs& args);
Response conformance(const ApiContext& context, const RouteArgs& args);
Response api_document(const ApiContext& context, const RouteArgs& args);
Response collections(const ApiContext& context, const RouteArgs& args);
Response collection(const ApiContext& context, const RouteArgs& args);
// OGC API – Features – Part 5: the collection's features as JSON Schema.
Response schema(const ApiContext& context, const RouteArgs& args);
Response items(const ApiContext& context, const RouteArgs& args);
Response item(const ApiContext& context, const RouteArgs& args);
// Part 3: the properties a filter may use, as a JSON Schema.
Response queryables(const ApiContext& context, const RouteArgs& args);

// A response whose body is `document` serialised (invalid UTF-8 replaced).
Response json_response(const nlohmann::ordered_json& document, std::string_view content_type);

}  // namespace regiomap::api
