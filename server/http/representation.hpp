#pragma once

#include <cstddef>

#include "core/log.hpp"
#include "http/compression.hpp"
#include "http/request.hpp"

namespace regiomap::http {

// The last step of every response, whatever produced it: CORS for all;
// for a 200, a strong ETag (the handler's, or a hash of the body), 304 on
// a matching If-None-Match, and gzip when the client accepts it and the
// body is compressible and at least `gzip_min_bytes` long (bodies a handler
// shares from a cache come with their gzip form made once, when they are
// long enough).
void finish_response(const Request& request, Response& response, std::size_t gzip_min_bytes, const GzipCompressor& gzip,
                     Logger& log);

}  // namespace regiomap::http
