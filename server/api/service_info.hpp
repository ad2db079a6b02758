#pragma once

#include <string>

namespace regiomap::api {

// How the service describes itself; from the configuration.
struct ServiceInfo {
    std::string title = "regiomap";
    std::string description = "Regional infrastructure projects as OGC API – Features and vector tiles";
    std::string public_url;                        // empty: derived from each request's Host
    std::string fallback_host = "localhost:8080";  // for HTTP/1.0 requests without Host
};

}  // namespace regiomap::api
