#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/feature_store.hpp"
#include "http/request.hpp"
#include "http/url.hpp"

namespace regiomap::http {

// How the service describes itself; from the configuration.
struct ServiceInfo {
    std::string title = "regiomap";
    std::string description = "Regional infrastructure projects as OGC API – Features and vector tiles";
    std::string public_url;                        // empty: derived from each request's Host
    std::string fallback_host = "localhost:8080";  // for HTTP/1.0 requests without Host
};

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

}  // namespace regiomap::http
