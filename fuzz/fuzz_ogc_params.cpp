// OGC parameter parsing: limit, offset, bbox, datetime, f and typed property
// filters from arbitrary "k=v&k=v" input. Either a valid query comes out
// (limit within 1..10000, finite boxes with south <= north) or a
// bad_request Error; nothing else.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "api/ogc_params.hpp"
#include "core/error.hpp"
#include "core/feature_store.hpp"
#include "http/url.hpp"
#include "regiomap_testing/store_builder.hpp"

namespace {

const regiomap::Collection& collection() {
    using namespace regiomap;
    static const auto made = testing::StoreBuilder()
                                 .collection("c", {{"name", FieldType::string},
                                                   {"lanes", FieldType::integer},
                                                   {"width", FieldType::real},
                                                   {"toll", FieldType::boolean},
                                                   {"opened", FieldType::date},
                                                   {"at", FieldType::datetime}})
                                 .take_collection();
    return *made;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace regiomap;
    std::string target = "/x?" + std::string(reinterpret_cast<const char*>(data), size);
    try {
        http::ParsedTarget parsed = http::parse_target(target);
        static const crs::Catalog catalog;
        ItemQuery query = api::parse_items_query(collection(), parsed.query, catalog);
        if (query.limit < 1 || query.limit > api::ogc::max_limit || query.boxes.size() > 2) {
            std::abort();
        }
        for (const Box& box : query.boxes) {
            if (!std::isfinite(box.min_x) || !std::isfinite(box.max_y) || box.min_y > box.max_y ||
                box.min_x > box.max_x) {
                std::abort();
            }
        }
        if (query.datetime && query.datetime->begin > query.datetime->end) {
            std::abort();
        }
    } catch (const Error& error) {
        if (error.kind() != ErrorKind::bad_request) {
            std::abort();
        }
    }
    return 0;
}
