#pragma once

#include <cstddef>

#include "core/log.hpp"
#include "http/request.hpp"

namespace regiomap::http {

// The last step of every response, whatever produced it: CORS for all;
// for a 200, a strong ETag (the handler's, or a hash of the body), 304 on
// a matching If-None-Match, and gzip when the client accepts it and the
// body is compressible and at least `gzip_min_bytes` long, at libdeflate
// level `gzip_level` (bodies a handler shares from a cache come with their
// gzip form made once).
void finish_response(const Request& request, Response& response, std::size_t gzip_min_bytes, int gzip_level,
                     Logger& log);

}  // namespace regiomap::http
