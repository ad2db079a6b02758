#pragma once

#include <span>
#include <string>
#include <string_view>

#include "api/http_vocabulary.hpp"
#include "core/geojson_writer.hpp"

namespace regiomap::api {

// The absolute URL of the service root, without a trailing slash, that
// links are built on. A configured public URL wins (for servers behind a
// proxy that rewrites paths); otherwise X-Forwarded-Proto/-Host, then Host.
// Header values that are not plausible host names are ignored, so a client
// cannot inject markup or other hosts' URLs into our links.
std::string base_url(const Request& request, std::string_view public_url, std::string_view fallback_host);

// A web link (RFC 8288) as OGC API documents carry them. Every link
// carries a type; the title is left out when empty.
struct Link {
    std::string href;
    std::string rel;
    std::string type;
    std::string title;
};

Link link(std::string href, std::string_view rel, std::string_view type, std::string_view title = {});

// The one place that says which members a link has, in which order:
// calls `member(key, value)` for each. Both writers below use it, so a
// link reads the same in a document built as JSON and in one streamed.
template <typename Member>
void for_each_member(const Link& link, Member&& member) {
    member("href", link.href);
    member("rel", link.rel);
    member("type", link.type);
    if (!link.title.empty()) {
        member("title", link.title);
    }
}

// A link in a JSON document (nlohmann): `json doc = {{"links", {link(…)}}}`.
template <typename BasicJson>
void to_json(BasicJson& out, const Link& link) {
    out = BasicJson::object();
    for_each_member(link, [&](const char* key, const std::string& value) { out[key] = value; });
}

// "links": [...] streamed into a page written with rapidjson.
void write_links(JsonWriter& writer, std::span<const Link> links);

}  // namespace regiomap::api
