#include "app/write_origins.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace regiomap::app {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// "host:port" of an origin, with the scheme's default port left off as
// browsers leave it off in Host.
std::string_view authority_of(std::string_view origin) {
    const auto scheme_end = origin.find("://");
    return scheme_end == std::string_view::npos ? std::string_view{} : origin.substr(scheme_end + 3);
}

}  // namespace

std::string normalised_origin(std::string_view origin) {
    std::string out = lower(origin);
    while (!out.empty() && out.back() == '/') {
        out.pop_back();
    }
    const bool web_scheme = out.starts_with("http://") || out.starts_with("https://");
    const std::string_view authority = authority_of(out);
    if (!web_scheme || authority.empty() || authority.find_first_of("/?#@ ") != std::string_view::npos) {
        throw std::invalid_argument("--cors-origin: '" + std::string(origin) +
                                    "' is not an origin such as https://maps.example.org (scheme, host, port)");
    }
    return out;
}

WriteOrigins::WriteOrigins(std::vector<std::string> origins) : origins_(std::move(origins)) {
    for (std::string& origin : origins_) {
        origin = normalised_origin(origin);
    }
}

bool WriteOrigins::is_write_method(std::string_view method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool WriteOrigins::is_configured(std::string_view origin) const {
    const std::string wanted = lower(origin);
    return std::find(origins_.begin(), origins_.end(), wanted) != origins_.end();
}

std::string WriteOrigins::refused_origin(const http::Request& request) const {
    const std::string_view origin = request.header("origin");
    if (origin.empty() || is_configured(origin)) {
        return {};
    }
    // The server's own pages: the Origin names the host the request was
    // sent to. (Behind a proxy that rewrites Host, configure the public
    // origin with --cors-origin.)
    const std::string host = lower(request.header("host"));
    if (!host.empty() && authority_of(lower(origin)) == host) {
        return {};
    }
    return std::string(origin);
}

}  // namespace regiomap::app
