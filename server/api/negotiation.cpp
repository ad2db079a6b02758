#include "api/negotiation.hpp"

namespace regiomap::api {

Format negotiate_format(const ApiContext& context, bool features) {
    const Format format = parse_format(context.query(), features, true);
    if (single_param(context.query(), ogc::format)) {
        return format;
    }
    std::string_view accept = context.request.header("accept");
    const auto html = accept.find("text/html");
    const auto json = accept.find("json");
    return html != std::string_view::npos && (json == std::string_view::npos || html < json) ? Format::html : format;
}

}  // namespace regiomap::api
