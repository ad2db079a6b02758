// The request-target parser: any bytes either parse or raise regiomap::Error,
// and a parsed query survives a round trip through format_query.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "http/url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace regiomap;
    std::string_view input(reinterpret_cast<const char*>(data), size);
    try {
        http::ParsedTarget parsed = http::parse_target(input);
        http::ParsedTarget again = http::parse_target("/?" + http::format_query(parsed.query));
        if (again.query != parsed.query) {
            std::abort();  // encoding and decoding disagree
        }
    } catch (const Error& error) {
        if (error.kind() != ErrorKind::bad_request) {
            std::abort();
        }
    }
    return 0;
}
