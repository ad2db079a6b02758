#include "http/representation.hpp"

#include "http/compression.hpp"
#include "http/etag.hpp"

namespace regiomap::http {

namespace {

bool compressible(std::string_view content_type) {
    return content_type.find("json") != std::string_view::npos || content_type.starts_with("text/") ||
           content_type.find("javascript") != std::string_view::npos ||
           content_type.find("xml") != std::string_view::npos ||
           content_type.find("vnd.mapbox-vector-tile") != std::string_view::npos ||
           content_type.find("protobuf") != std::string_view::npos;
}

}  // namespace

void finish_response(const Request& request, Response& response, std::size_t gzip_min_bytes,
                     const GzipCompressor& gzip_compressor, Logger& log) {
    // Reading is open to every origin; a handler may have named one instead (a write, app/write_origins.hpp).
    if (response.header("Access-Control-Allow-Origin").empty()) {
        response.set_header("Access-Control-Allow-Origin", "*");
    }
    if (response.status != 200) {
        return;
    }
    const bool may_compress = compressible(response.content_type);
    if (may_compress) {
        // Keep what the handler varies on (Accept, for a negotiated page).
        const std::string_view vary = response.header("Vary");
        response.set_header("Vary",
                            vary.empty() ? std::string("Accept-Encoding") : std::string(vary) + ", Accept-Encoding");
    }
    std::string etag = response.etag.empty() ? etag_of(response.body) : response.etag;
    const bool gzip = may_compress && accepts_gzip(request.header("accept-encoding")) &&
                      (response.shared_gzip_body || (!response.shared_body && response.body.size() >= gzip_min_bytes));
    if (gzip) {
        etag.insert(etag.size() - 1, "-gzip");  // a different representation, a different tag
    }
    response.set_header("ETag", etag);
    if (if_none_match(request.header("if-none-match"), etag)) {
        response.status = 304;
        response.body.clear();
        response.shared_body.reset();
        return;
    }
    if (!gzip) {
        return;
    }
    if (response.shared_gzip_body) {
        response.shared_body = std::move(response.shared_gzip_body);
        response.set_header("Content-Encoding", "gzip");
    } else if (auto compressed = gzip_compressor.compress(response.body)) {
        response.body = std::move(*compressed);
        response.set_header("Content-Encoding", "gzip");
    } else {
        log.error("gzip compression failed; sending uncompressed");
        response.set_header("ETag", etag_of(response.body));
    }
}

}  // namespace regiomap::http
