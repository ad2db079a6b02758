#include "http/url.hpp"

#include "core/error.hpp"
#include "core/utf8.hpp"

namespace regiomap::http {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool unreserved(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) {
                return std::nullopt;
            }
            int high = hex_value(text[i + 1]);
            int low = hex_value(text[i + 2]);
            if (high < 0 || low < 0) {
                return std::nullopt;
            }
            char decoded = static_cast<char>(high * 16 + low);
            if (decoded == '\0') {
                return std::nullopt;
            }
            out += decoded;
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    if (!valid_utf8(out)) {
        return std::nullopt;
    }
    return out;
}

std::string percent_encode(std::string_view text) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (unreserved(byte)) {
            out += c;
        } else {
            out += '%';
            out += digits[byte >> 4];
            out += digits[byte & 0x0F];
        }
    }
    return out;
}

ParsedTarget parse_target(std::string_view target) {
    if (target.empty() || target.front() != '/') {
        throw Error(ErrorKind::bad_request, "request target must start with '/'");
    }
    ParsedTarget parsed;
    std::string_view path = target;
    std::string_view query;
    if (auto mark = target.find('?'); mark != std::string_view::npos) {
        path = target.substr(0, mark);
        query = target.substr(mark + 1);
    }
    if (auto hash = query.find('#'); hash != std::string_view::npos) {
        query = query.substr(0, hash);
    }
    parsed.raw_path = std::string(path);

    std::size_t pos = 1;
    while (pos <= path.size()) {
        std::size_t slash = path.find('/', pos);
        std::string_view raw = path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
        auto segment = percent_decode(raw, false);
        if (!segment) {
            throw Error(ErrorKind::bad_request,
                        "path segment '" + std::string(raw) + "' is not valid percent-encoded UTF-8");
        }
        parsed.segments.push_back(std::move(*segment));
        if (slash == std::string_view::npos) {
            break;
        }
        pos = slash + 1;
    }
    if (!parsed.segments.empty() && parsed.segments.back().empty()) {
        parsed.segments.pop_back();  // "/" and trailing slashes
    }

    std::size_t start = 0;
    while (start < query.size()) {
        std::size_t amp = query.find('&', start);
        std::string_view pair =
            query.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
        start = amp == std::string_view::npos ? query.size() : amp + 1;
        if (pair.empty()) {
            continue;
        }
        std::size_t eq = pair.find('=');
        std::string_view raw_name = pair.substr(0, eq);
        std::string_view raw_value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        auto name = percent_decode(raw_name, true);
        auto value = percent_decode(raw_value, true);
        if (!name || !value) {
            throw Error(ErrorKind::bad_request,
                        "query parameter '" + std::string(pair) + "' is not valid percent-encoded UTF-8");
        }
        parsed.query.emplace_back(std::move(*name), std::move(*value));
    }
    return parsed;
}

std::string format_query(const QueryParams& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty()) {
            out += '&';
        }
        out += percent_encode(name);
        out += '=';
        out += percent_encode(value);
    }
    return out;
}

}  // namespace regiomap::http
