#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/http_vocabulary.hpp"

namespace regiomap::api {

// The absolute URL of the service root, without a trailing slash, that
// links are built on. A configured public URL wins (for servers behind a
// proxy that rewrites paths); otherwise X-Forwarded-Proto/-Host, then Host.
// Header values that are not plausible host names are ignored, so a client
// cannot inject markup or other hosts' URLs into our links.
std::string base_url(const Request& request, std::string_view public_url, std::string_view fallback_host);

// {"href", "rel", "type", "title"?}; every link carries a type.
nlohmann::ordered_json link(std::string href, std::string_view rel, std::string_view type, std::string_view title = {});

}  // namespace regiomap::api
