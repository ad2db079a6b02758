#include "api/search_handler.hpp"

#include <algorithm>

#include "api/feature_output.hpp"
#include "api/links.hpp"
#include "api/ogc_params.hpp"
#include "core/error.hpp"

namespace regiomap::api {

namespace {

constexpr std::size_t kMaxQueryBytes = 200;
constexpr std::size_t kDefaultResults = 20;
constexpr std::size_t kMaxResults = 100;

std::string fold_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

bool is_name_field(const FieldDef& field) {
    return field.type == FieldType::string && (field.name == "name" || field.name.starts_with("name_"));
}

struct Hit {
    int rank = 0;  // 0: a name starts with the text; 1: contains it
    const Collection* collection = nullptr;
    const Feature* feature = nullptr;
};

}  // namespace

Response search(const ApiContext& context, const RouteArgs&) {
    const FeatureStore& store = context.data();
    const ParsedTarget& target = context.target;
    reject_unknown_params(target.query, {"q", std::string(ogc::limit)});
    const std::string* q = single_param(target.query, "q");
    if (!q || q->empty()) {
        throw Error::bad_parameter("q", "give the text to look for, e.g. /search?q=绿地");
    }
    if (q->size() > kMaxQueryBytes) {
        throw Error::bad_parameter("q", "is longer than " + std::to_string(kMaxQueryBytes) + " bytes");
    }
    std::size_t limit = kDefaultResults;
    if (const auto* text = single_param(target.query, ogc::limit)) {
        limit = std::min(parse_limit(*text), kMaxResults);
    }
    const std::string needle = fold_ascii(*q);

    std::vector<Hit> hits;
    for (const auto& collection : store.collections()) {
        std::vector<std::size_t> name_fields;
        for (std::size_t i = 0; i < collection->meta().fields.size(); ++i) {
            if (is_name_field(collection->meta().fields[i])) {
                name_fields.push_back(i);
            }
        }
        if (name_fields.empty()) {
            continue;
        }
        collection->for_each([&](const Feature& feature) {
            int best = 2;
            for (std::size_t i : name_fields) {
                if (const auto* name = std::get_if<std::string>(&feature.properties[i])) {
                    const std::string folded = fold_ascii(*name);
                    auto at = folded.find(needle);
                    if (at != std::string::npos) {
                        best = std::min(best, at == 0 ? 0 : 1);
                    }
                }
            }
            if (best < 2) {
                hits.push_back({best, collection.get(), &feature});
            }
        });
    }
    // Stable: within a rank, collection and feature order.
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.rank < b.rank; });
    const std::size_t matched = hits.size();
    hits.resize(std::min(hits.size(), limit));

    JsonBuffer buffer;
    JsonWriter writer(buffer);
    write_feature_collection(writer, {matched, hits.size(), {}, {}}, [&](JsonWriter& out, std::size_t i) {
        const Hit& hit = hits[i];
        write_feature_members(out, hit.collection->meta(), *hit.feature);
        out.Key("collection");
        out.String(hit.collection->id().c_str());
        if (!hit.feature->geometry.empty()) {
            Box b = hit.feature->geometry.bounds();
            out.Key("bbox");
            out.StartArray();
            for (double v : {b.min_x, b.min_y, b.max_x, b.max_y}) {
                out.Double(v);
            }
            out.EndArray();
        }
        const Link self = link(context.base() + "/collections/" + percent_encode(hit.collection->id()) + "/items/" +
                                   std::to_string(hit.feature->id),
                               "self", media_type::geojson);
        write_links(out, {&self, 1});
    });

    Response response;
    response.content_type = "application/geo+json";
    response.body.assign(buffer.GetString(), buffer.GetSize());
    return response;
}

}  // namespace regiomap::api
