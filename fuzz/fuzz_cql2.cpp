// CQL2 from arbitrary bytes: the first byte picks the encoding ('j' for
// cql2-json, anything else cql2-text), the rest is the expression. It is
// parsed, bound to a fixed schema and evaluated on a few features. Either
// that works or a FilterError (a client error) comes out; a crash, a hang,
// another exception or a canonical form that does not parse the same way
// again is a bug.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/cql2/filter.hpp"
#include "core/cql2/parser.hpp"

namespace {

using namespace regiomap;

Geometry square(double x, double y) {
    Geometry g;
    g.type = GeometryType::polygon;
    g.coords = {{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}};
    g.path_ends = {5};
    g.polygon_ends = {1};
    return g;
}

const Collection& collection() {
    static const Collection made = [] {
        CollectionMeta meta{"c",
                            "c",
                            "",
                            {{"name", FieldType::string},
                             {"lanes", FieldType::integer},
                             {"width", FieldType::real},
                             {"toll", FieldType::boolean},
                             {"opened", FieldType::date},
                             {"at", FieldType::datetime}},
                            std::nullopt};
        std::vector<Feature> features;
        features.push_back(
            {1,
             square(0, 0),
             {std::string("Straße"), std::int64_t{2}, 7.5, true, Date{18000}, DateTime{1'600'000'000'000}}});
        features.push_back({2,
                            Geometry{},
                            {std::monostate{}, std::monostate{}, std::monostate{}, std::monostate{}, std::monostate{},
                             std::monostate{}}});
        return Collection(std::move(meta), std::move(features));
    }();
    return made;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const bool json = data[0] == 'j';
    const std::string_view source(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        cql2::Expression expression = json ? cql2::parse_json(source) : cql2::parse_text(source);
        const std::string tree = cql2::to_sexpr(expression.root);
        if (tree.empty()) {
            std::abort();
        }
        cql2::Filter filter(expression, collection().meta());
        for (const Feature& feature : collection().features()) {
            filter.matches(feature);
        }
        filter.implied_boxes();
    } catch (const Error& error) {
        if (error.kind() != ErrorKind::bad_request) {
            std::abort();
        }
    }
    return 0;
}
