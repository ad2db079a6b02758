#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"

namespace regiomap::app {

// Which web pages may change features from a browser (CORS for write
// methods). Reading stays open to every origin (Access-Control-Allow-Origin
// "*"); a write carries a bearer token, and a page on another site should
// not be able to make a signed-in editor's browser send one, so writes are
// allowed from the server's own pages and from the origins configured with
// --cors-origin only.
class WriteOrigins {
public:
    WriteOrigins() = default;
    // Origins as browsers send them: "https://maps.example.org" (scheme,
    // host and a non-default port; no path). Throws std::invalid_argument
    // for one that is not of that form.
    explicit WriteOrigins(std::vector<std::string> origins);

    static bool is_write_method(std::string_view method);

    // The request's Origin, when a browser sent one from another site that
    // may not write; empty when the request may go on (no Origin header:
    // not a browser's cross-site request; the server's own origin; a
    // configured one).
    std::string refused_origin(const http::Request& request) const;
    // A configured origin (not the server's own): answered with its name
    // in Access-Control-Allow-Origin rather than "*".
    bool is_configured(std::string_view origin) const;

    const std::vector<std::string>& origins() const { return origins_; }

private:
    std::vector<std::string> origins_;
};

// Checks one --cors-origin value and returns it as browsers send it
// (lower-case scheme and host, no trailing '/').
std::string normalised_origin(std::string_view origin);

}  // namespace regiomap::app
