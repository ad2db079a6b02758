#include "core/cql2/text_match.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace regiomap::cql2 {

namespace {

// Length of the UTF-8 sequence that starts with `lead` (1 for a stray byte,
// so that invalid input still advances).
std::size_t sequence_length(unsigned char lead) {
    return lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
}

std::size_t step(std::string_view s, std::size_t i) {
    return std::min(s.size(), i + sequence_length(static_cast<unsigned char>(s[i])));
}

}  // namespace

std::string fold_case(std::string_view text) {
    icu::UnicodeString unicode =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    unicode.foldCase(U_FOLD_CASE_DEFAULT);
    std::string out;
    unicode.toUTF8String(out);
    return out;
}

std::string strip_accents(std::string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) {
        return std::string(text);
    }
    icu::UnicodeString source =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    icu::UnicodeString decomposed = nfd->normalize(source, status);
    icu::UnicodeString bare;
    for (int32_t i = 0; i < decomposed.length();) {
        const UChar32 c = decomposed.char32At(i);
        if (u_charType(c) != U_NON_SPACING_MARK) {
            bare.append(c);
        }
        i += U16_LENGTH(c);
    }
    icu::UnicodeString composed = nfc->normalize(bare, status);
    if (U_FAILURE(status)) {
        return std::string(text);
    }
    std::string out;
    composed.toUTF8String(out);
    return out;
}

bool like(std::string_view text, std::string_view pattern) {
    std::size_t t = 0;
    std::size_t p = 0;
    // Where the last '%' was, and the text position it is currently taken to reach.
    std::size_t star = std::string_view::npos;
    std::size_t star_text = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '%') {
            star = ++p;
            star_text = t;
            continue;
        }
        if (p < pattern.size()) {
            if (pattern[p] == '_') {
                t = step(text, t);
                ++p;
                continue;
            }
            std::size_t literal = p;
            if (pattern[p] == '\\' && p + 1 < pattern.size()) {
                literal = p + 1;
            }
            const std::size_t length = step(pattern, literal) - literal;
            if (text.substr(t, length) == pattern.substr(literal, length)) {
                t += length;
                p = literal + length;
                continue;
            }
        }
        if (star == std::string_view::npos) {
            return false;
        }
        // Let the last '%' swallow one more character and try again.
        star_text = step(text, star_text);
        t = star_text;
        p = star;
    }
    while (p < pattern.size() && pattern[p] == '%') {
        ++p;
    }
    return p == pattern.size();
}

}  // namespace regiomap::cql2
