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

Response style(const std::filesystem::path& styles_dir, const std::string& file_segment, const std::string& base,
               const ParsedTarget& target) {
    reject_unknown_params(target.query, {});
    const std::string name = file_segment.ends_with(".json") ? file_segment.substr(0, file_segment.size() - 5) : "";
    if (!safe_name(name)) {
        throw Error::not_found("no style '" + file_segment + "'; styles are /styles/{name}.json");
    }
    std::ifstream in(styles_dir / (name + ".json"));
    if (!in) {
        throw Error::not_found("no style named '" + name + "'");
    }
    json document = json::parse(in, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        throw Error(ErrorKind::internal, "style file " + name + ".json is not valid JSON");
    }
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
