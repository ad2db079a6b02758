#include "api/links.hpp"

namespace regiomap::api {

namespace {

std::string_view first_value(std::string_view header) {
    auto comma = header.find(',');
    std::string_view value = header.substr(0, comma);
    while (!value.empty() && value.front() == ' ') {
        value.remove_prefix(1);
    }
    while (!value.empty() && value.back() == ' ') {
        value.remove_suffix(1);
    }
    return value;
}

// host[:port], a bracketed IPv6 literal, nothing else.
bool plausible_host(std::string_view host) {
    if (host.empty() || host.size() > 255) {
        return false;
    }
    for (char c : host) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                  c == ':' || c == '[' || c == ']' || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::string base_url(const Request& request, std::string_view public_url, std::string_view fallback_host) {
    if (!public_url.empty()) {
        std::string url(public_url);
        while (!url.empty() && url.back() == '/') {
            url.pop_back();
        }
        return url;
    }
    std::string_view scheme = first_value(request.header("x-forwarded-proto"));
    if (scheme != "https" && scheme != "http") {
        scheme = "http";
    }
    std::string_view host = first_value(request.header("x-forwarded-host"));
    if (!plausible_host(host)) {
        host = request.header("host");
    }
    if (!plausible_host(host)) {
        host = fallback_host;
    }
    return std::string(scheme) + "://" + std::string(host);
}

Link link(std::string href, std::string_view rel, std::string_view type, std::string_view title) {
    return {std::move(href), std::string(rel), std::string(type), std::string(title)};
}

void write_links(JsonWriter& writer, std::span<const Link> links) {
    writer.Key("links");
    writer.StartArray();
    for (const Link& one : links) {
        writer.StartObject();
        for_each_member(one, [&](const char* key, const std::string& value) {
            writer.Key(key);
            writer.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
        });
        writer.EndObject();
    }
    writer.EndArray();
}

}  // namespace regiomap::api
