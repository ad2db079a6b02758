#include "api/web_files.hpp"

#include "core/error.hpp"

namespace regiomap::api {

bool wants_web_map(const ApiContext& context) {
    if (!context.query().empty() || !context.files.enabled()) {
        return false;  // ?f=json and every other parameter mean the API
    }
    std::string_view accept = context.request.header("accept");
    auto html = accept.find("text/html");
    auto json = accept.find("json");
    return html != std::string_view::npos && (json == std::string_view::npos || html < json);
}

Response web_file(const ApiContext& context, const RouteArgs& args) {
    if (auto file = context.files.serve(args.rest)) {
        return std::move(*file);
    }
    throw Error::not_found("no resource at '" + context.target.raw_path + "'; the API starts at /");
}

Response glyphs(const ApiContext& context, const RouteArgs& args) {
    const std::string file = args.name + ".pbf";
    std::string_view stack = args.fontstack;
    while (!stack.empty()) {
        auto comma = stack.find(',');
        std::string font(stack.substr(0, comma));
        while (!font.empty() && font.front() == ' ') {
            font.erase(0, 1);
        }
        if (auto found = context.fonts.serve({font, file})) {
            found->set_header("Cache-Control", "public, max-age=86400");
            return std::move(*found);
        }
        stack = comma == std::string_view::npos ? std::string_view{} : stack.substr(comma + 1);
    }
    throw Error::not_found("no glyphs " + file + " for the fonts '" + args.fontstack + "'");
}

}  // namespace regiomap::api
