#include "core/secrets.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace regiomap {

namespace {

constexpr std::string_view kMask = "***";

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// Whether the key that ends just before `equals` names a password
// (password, sslpassword, passwd, pwd; any case).
bool password_key_before(std::string_view text, std::size_t equals) {
    std::size_t end = equals;
    while (end > 0 && text[end - 1] == ' ') {
        --end;
    }
    std::size_t begin = end;
    while (begin > 0 && (std::isalnum(static_cast<unsigned char>(text[begin - 1])) || text[begin - 1] == '_')) {
        --begin;
    }
    const std::string_view key = text.substr(begin, end - begin);
    for (std::string_view name : {"password", "passwd", "pwd"}) {
        if (key.size() >= name.size() && equals_ignoring_case(key.substr(key.size() - name.size()), name)) {
            return true;
        }
    }
    return false;
}

// The extent [begin, end) of the value that starts after `equals`: a
// libpq-quoted '…' value (with \' and \\ escapes), or up to the next
// space, comma, semicolon, quote or end.
std::pair<std::size_t, std::size_t> value_after(std::string_view text, std::size_t equals) {
    std::size_t begin = equals + 1;
    while (begin < text.size() && text[begin] == ' ') {
        ++begin;
    }
    if (begin < text.size() && text[begin] == '\'') {
        std::size_t end = begin + 1;
        while (end < text.size() && text[end] != '\'') {
            end += text[end] == '\\' ? 2 : 1;
        }
        return {begin, std::min(end + 1, text.size())};
    }
    std::size_t end = begin;
    while (end < text.size() && text[end] != ' ' && text[end] != ',' && text[end] != ';' && text[end] != '"' &&
           text[end] != '\n' && text[end] != '&') {
        ++end;
    }
    return {begin, end};
}

// Every ranges of secret text found by pattern in `text`.
std::vector<std::pair<std::size_t, std::size_t>> secret_ranges(std::string_view text) {
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    for (std::size_t at = text.find('='); at != std::string_view::npos; at = text.find('=', at + 1)) {
        if (password_key_before(text, at)) {
            auto range = value_after(text, at);
            if (range.second > range.first) {
                ranges.push_back(range);
            }
        }
    }
    // scheme://user:password@host
    for (std::size_t at = text.find("://"); at != std::string_view::npos; at = text.find("://", at + 3)) {
        const std::size_t authority = at + 3;
        std::size_t end = authority;
        while (end < text.size() && text[end] != '/' && text[end] != ' ' && text[end] != '@' && text[end] != '?') {
            ++end;
        }
        if (end >= text.size() || text[end] != '@') {
            continue;
        }
        const std::size_t colon = text.find(':', authority);
        if (colon != std::string_view::npos && colon < end) {
            ranges.emplace_back(colon + 1, end);
        }
    }
    return ranges;
}

std::string unquote(std::string_view value) {
    if (value.size() < 2 || value.front() != '\'') {
        return std::string(value);
    }
    std::string out;
    for (std::size_t i = 1; i + 1 < value.size(); ++i) {
        if (value[i] == '\\' && i + 2 < value.size()) {
            ++i;
        }
        out += value[i];
    }
    return out;
}

std::string mask_ranges(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>> ranges) {
    std::sort(ranges.begin(), ranges.end());
    std::string out;
    std::size_t at = 0;
    for (auto [begin, end] : ranges) {
        if (begin < at) {
            begin = at;
        }
        if (end <= begin) {
            continue;
        }
        out.append(text.substr(at, begin - at));
        out += kMask;
        at = end;
    }
    out.append(text.substr(at));
    return out;
}

}  // namespace

std::string redact_secret_patterns(std::string_view text) {
    return mask_ranges(text, secret_ranges(text));
}

SecretRedactor::SecretRedactor(std::string_view connection) {
    for (auto [begin, end] : secret_ranges(connection)) {
        std::string_view raw = connection.substr(begin, end - begin);
        for (std::string secret : {std::string(raw), unquote(raw)}) {
            if (secret.size() >= 3 && std::find(secrets_.begin(), secrets_.end(), secret) == secrets_.end()) {
                secrets_.push_back(std::move(secret));
            }
        }
    }
    if (const char* environment = std::getenv("PGPASSWORD"); environment && std::string_view(environment).size() >= 3) {
        secrets_.emplace_back(environment);
    }
    // Longest first, so that a secret containing another is masked whole.
    std::sort(secrets_.begin(), secrets_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    display_ = redact(connection);
}

std::string SecretRedactor::redact(std::string_view text) const {
    std::string out = redact_secret_patterns(text);
    for (const std::string& secret : secrets_) {
        for (std::size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at + kMask.size())) {
            out.replace(at, secret.size(), kMask);
        }
    }
    return out;
}

}  // namespace regiomap
