#include "api/style_handlers.hpp"

#include <fstream>

#include <nlohmann/json.hpp>

#include "api/ogc_handlers.hpp"
#include "api/ogc_params.hpp"
#include "core/error.hpp"

namespace regiomap::api {

namespace {

using json = nlohmann::ordered_json;

bool safe_name(const std::string& name) {
    return !name.empty() && name.size() <= 64 &&
           name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
               std::string::npos;
}

void absolutise(json& value, const std::string& base) {
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        if (text.starts_with("/")) {
            value = base + text;
        }
    }
}

}  // namespace

Response style(const ApiContext& context, const RouteArgs& args) {
    // Query parameters (cache busters, keys) are ignored, as on tiles.
    const std::string& name = args.name;
    if (!safe_name(name)) {
        throw Error::not_found("no style '" + name + ".json'; styles are /styles/{name}.json");
    }
    std::ifstream in(std::filesystem::path(context.config.styles_dir) / (name + ".json"));
    if (!in) {
        throw Error::not_found("no style named '" + name + "'");
    }
    json document = json::parse(in, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        throw Error(ErrorKind::internal, "style file " + name + ".json is not valid JSON");
    }
    const std::string base = context.base();
    if (document.contains("sources") && document["sources"].is_object()) {
        for (auto& [id, source] : document["sources"].items()) {
            if (!source.is_object()) {
                continue;
            }
            if (source.contains("url")) {
                absolutise(source["url"], base);
            }
            if (source.contains("tiles") && source["tiles"].is_array()) {
                for (auto& url : source["tiles"]) {
                    absolutise(url, base);
                }
            }
        }
    }
    for (const char* key : {"glyphs", "sprite"}) {
        if (document.contains(key)) {
            absolutise(document[key], base);
        }
    }
    return json_response(document, media_type::json);
}

}  // namespace regiomap::api
