#include "http/etag.hpp"

#include <cstdio>
#include <functional>

namespace regiomap::http {

std::string etag_of(std::string_view body) {
    // libstdc++'s std::hash on bytes (MurmurHash2 with a fixed seed, eight
    // bytes a step): deterministic across processes and replicas, and fast
    // enough for a 16 MB GeoJSON page (a byte-wise FNV-1a was a quarter of
    // the paging profile).
    const std::size_t hash = std::hash<std::string_view>{}(body);
    char text[24];
    std::snprintf(text, sizeof text, "\"%016llx\"", static_cast<unsigned long long>(hash));
    return text;
}

bool if_none_match(std::string_view header, std::string_view etag) {
    auto opaque = [](std::string_view tag) {
        while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) {
            tag.remove_prefix(1);
        }
        while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) {
            tag.remove_suffix(1);
        }
        if (tag.starts_with("W/")) {
            tag.remove_prefix(2);
        }
        return tag;
    };
    while (!header.empty()) {
        auto comma = header.find(',');
        std::string_view tag = opaque(header.substr(0, comma));
        if (tag == "*" || tag == opaque(etag)) {
            return true;
        }
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    }
    return false;
}

}  // namespace regiomap::http
