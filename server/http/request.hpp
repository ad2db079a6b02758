#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace regiomap::http {

// A request as the handlers see it: no sockets, no Beast types, so that
// handlers are plain functions tested without a server.
struct Request {
    std::string method;                                        // "GET", "HEAD", "OPTIONS", …
    std::string target;                                        // the raw request-target, e.g. "/collections?f=json"
    std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
    std::string client{};  // the peer's address (not X-Forwarded-For: anyone can send that)
    std::string body{};    // up to ServerLimits::body_limit bytes (more: 413 before any handler)

    // The first value of a header, or "" when absent.
    std::string_view header(std::string_view lower_case_name) const {
        for (const auto& [name, value] : headers) {
            if (name == lower_case_name) {
                return value;
            }
        }
        return {};
    }
};

struct Response {
    unsigned status = 200;
    std::string content_type;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type/Length
    // Set by handlers whose bodies are cached (tiles): the body as the
    // cache holds it (sent without a copy; `body` stays empty), its gzip
    // form, and its strong ETag, so that nothing is recomputed per request.
    std::shared_ptr<const std::string> shared_body;
    std::shared_ptr<const std::string> shared_gzip_body;
    std::string etag;

    std::size_t body_size() const { return shared_body ? shared_body->size() : body.size(); }

    void set_header(std::string name, std::string value) {
        for (auto& header : headers) {
            if (header.first == name) {
                header.second = std::move(value);
                return;
            }
        }
        headers.emplace_back(std::move(name), std::move(value));
    }
    std::string_view header(std::string_view name) const {
        for (const auto& header : headers) {
            if (header.first == name) {
                return header.second;
            }
        }
        return {};
    }
};

// Media types the server speaks.
namespace media_type {
inline constexpr std::string_view json = "application/json";
inline constexpr std::string_view geojson = "application/geo+json";
inline constexpr std::string_view openapi_json = "application/vnd.oai.openapi+json;version=3.0";
inline constexpr std::string_view html = "text/html";
inline constexpr std::string_view schema_json = "application/schema+json";
}  // namespace media_type

}  // namespace regiomap::http
