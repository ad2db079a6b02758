#include "core/edit/feature_version.hpp"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <variant>

namespace regiomap::edit {

namespace {

// FNV-1a, 64 bits: small, stable across processes and platforms.
struct Fnv {
    std::uint64_t state = 1469598103934665603ull;
    void bytes(const void* data, std::size_t size) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < size; ++i) {
            state = (state ^ p[i]) * 1099511628211ull;
        }
    }
    template <typename T>
    void value(const T& v) {
        bytes(&v, sizeof v);
    }
};

}  // namespace

std::string feature_etag(const Feature& feature) {
    Fnv hash;
    hash.value(feature.id);
    hash.value(static_cast<std::uint8_t>(feature.geometry.type));
    hash.value(feature.geometry.coords.size());
    for (const Coord& c : feature.geometry.coords) {
        hash.value(c.x);
        hash.value(c.y);
    }
    for (std::uint32_t end : feature.geometry.path_ends) {
        hash.value(end);
    }
    hash.value(std::uint32_t{0xffffffff});
    for (std::uint32_t end : feature.geometry.polygon_ends) {
        hash.value(end);
    }
    for (const Value& property : feature.properties) {
        hash.value(static_cast<std::uint8_t>(property.index()));
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::string>) {
                    hash.value(v.size());
                    hash.bytes(v.data(), v.size());
                } else if constexpr (std::is_same_v<T, Date>) {
                    hash.value(v.days);
                } else if constexpr (std::is_same_v<T, DateTime>) {
                    hash.value(v.ms);
                } else if constexpr (!std::is_same_v<T, std::monostate>) {
                    hash.value(v);
                }
            },
            property);
    }
    char text[24];
    std::snprintf(text, sizeof text, "\"%016llx\"", static_cast<unsigned long long>(hash.state));
    return text;
}

bool if_match(std::string_view header, std::string_view etag) {
    auto trim = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
            s.remove_prefix(1);
        }
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
            s.remove_suffix(1);
        }
        return s;
    };
    header = trim(header);
    if (header == "*") {
        return true;
    }
    while (!header.empty()) {
        const auto comma = header.find(',');
        std::string_view tag = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        if (tag.starts_with("W/")) {
            continue;
        }
        // "abc-json" and "abc-json-gzip" name other representations (plain
        // JSON, gzip) of the feature version "abc": the same feature.
        std::string bare(tag);
        for (std::string_view suffix : {"-gzip\"", "-json\""}) {
            if (bare.size() > suffix.size() + 1 && bare.ends_with(suffix)) {
                bare.erase(bare.size() - suffix.size());
                bare += '"';
            }
        }
        if (bare == etag) {
            return true;
        }
    }
    return false;
}

}  // namespace regiomap::edit
