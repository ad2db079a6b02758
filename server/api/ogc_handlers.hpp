#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/http_vocabulary.hpp"
#include "api/service_info.hpp"
#include "core/feature_store.hpp"

namespace regiomap::api {

// Everything one OGC handler reads; handlers are pure functions of it.
struct HandlerContext {
    const FeatureStore& store;
    const ServiceInfo& service;
    std::string base;  // absolute URL of the service root, no trailing slash
    const ParsedTarget& target;
};

Response landing_page(const HandlerContext& context);
Response conformance(const HandlerContext& context);
Response api_document(const HandlerContext& context);
Response collections(const HandlerContext& context);
Response collection(const HandlerContext& context, const std::string& collection_id);
Response items(const HandlerContext& context, const std::string& collection_id);
Response item(const HandlerContext& context, const std::string& collection_id, const std::string& feature_id);

// A response whose body is `document` serialised (invalid UTF-8 replaced).
Response json_response(const nlohmann::ordered_json& document, std::string_view content_type);

}  // namespace regiomap::api
