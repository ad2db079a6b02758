// The whole request handler (router, OGC API, tiles, search, errors, gzip,
// ETag) on an in-memory store, with the target, method and a few headers
// taken from the input. It must always answer with a known status, and
// every error must be a JSON body.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "app/app.hpp"
#include "regiomap_testing/store_builder.hpp"

namespace {

using namespace regiomap;

std::shared_ptr<const FeatureStore> make_store() {
    testing::StoreBuilder builder;
    builder.collection(
        "sites", {{"name", FieldType::string}, {"lanes", FieldType::integer}, {"opened", FieldType::date}}, "Sites");
    for (int i = 0; i < 50; ++i) {
        const double x = 117.0 + i * 0.01;
        builder.add(testing::feature(
            i + 1, i % 3 == 0 ? testing::rectangle(x, 39.2, x + 0.005, 39.21) : testing::point(x, 39.2 + i * 0.001),
            {Value{"site " + std::to_string(i)}, Value{std::int64_t{i % 4}},
             Value{Date{days_from_civil(2020, 1, 1) + i}}}));
    }
    return builder.store("fuzz");
}

struct Harness {
    Harness() : files(""), cache(1 << 20), log(sink, LogLevel::error) { holder.set(make_store()); }
    app::AppConfig config;
    app::StoreHolder holder;
    http::StaticFiles files;
    TileCache cache;
    app::Metrics metrics;
    std::ostringstream sink;
    Logger log;
    app::App app{{config, holder, files, files, cache, metrics, nullptr, log}};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Harness harness;  // built once per fuzzing process
    std::string input(reinterpret_cast<const char*>(data), size);
    // First byte picks the method and headers, the rest is the target.
    static const char* methods[] = {"GET", "HEAD", "OPTIONS", "POST", "DELETE"};
    http::Request request;
    const unsigned selector = input.empty() ? 0 : static_cast<unsigned char>(input[0]);
    request.method = methods[selector % 5];
    request.target = input.empty() ? "/" : input.substr(1);
    if (selector & 0x08)
        request.headers.emplace_back("accept-encoding", "gzip");
    if (selector & 0x10)
        request.headers.emplace_back("if-none-match", "\"0123456789abcdef\"");
    if (selector & 0x20)
        request.headers.emplace_back("host", "example.org");
    if (selector & 0x40)
        request.headers.emplace_back("accept", "text/html");
    http::Response response = harness.app.handle(request);
    if (response.status < 200 || response.status > 599) {
        std::abort();
    }
    if (response.status >= 400 && response.content_type != "application/json") {
        std::abort();
    }
    return 0;
}
