#include "core/cql2/lexer.hpp"

#include "core/cql2/ast.hpp"

namespace regiomap::cql2 {

namespace {

// Decodes one UTF-8 code point at `i`; 0 bytes when the sequence is invalid.
struct Decoded {
    char32_t code = 0;
    std::size_t length = 0;
};

Decoded decode(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
        return {lead, 1};
    }
    std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    if (length == 0 || lead > 0xF4 || i + length > s.size()) {
        return {};
    }
    char32_t code = lead & (0x3F >> (length - 1));
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            return {};
        }
        code = (code << 6) | (byte(i + k) & 0x3F);
    }
    constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < smallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        return {};  // overlong, out of range or a surrogate
    }
    return {code, length};
}

// identifierStart of the CQL2 BNF.
bool identifier_start(char32_t c) {
    return c == ':' || c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0xD6) ||
           (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
           (c >= 0x37F && c <= 0x1FFE) || (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
           (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
           (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}

// identifierPart of the CQL2 BNF.
bool identifier_part(char32_t c) {
    return identifier_start(c) || c == '.' || (c >= '0' && c <= '9') || (c >= 0x300 && c <= 0x36F) ||
           (c >= 0x203F && c <= 0x2040);
}

// The BNF's whitespace production.
bool whitespace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool digit(char c) {
    return c >= '0' && c <= '9';
}

}  // namespace

bool is_keyword(std::string_view name, std::string_view keyword) {
    if (name.size() != keyword.size()) {
        return false;
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
        char k = keyword[i];
        if (k >= 'a' && k <= 'z') {
            k = static_cast<char>(k - 'a' + 'A');
        }
        if (c != k) {
            return false;
        }
    }
    return true;
}

Lexer::Lexer(std::string_view source) : source_(source) {}

void Lexer::fail(std::size_t offset, const std::string& what) const {
    Expression where{Language::text, std::string(source_), {}};
    throw FilterError(where.locate_offset(offset) + ": " + what);
}

void Lexer::skip_whitespace() {
    while (position_ < source_.size()) {
        Decoded d = decode(source_, position_);
        if (d.length == 0) {
            fail(position_, "the expression is not valid UTF-8");
        }
        if (!whitespace(d.code)) {
            return;
        }
        position_ += d.length;
    }
}

Token Lexer::next() {
    skip_whitespace();
    Token token;
    token.offset = position_;
    if (position_ >= source_.size()) {
        return token;
    }
    const char c = source_[position_];
    switch (c) {
        case '(':
        case ')':
        case ',':
        case '=':
        case '+':
        case '-':
        case '*':
        case '/':
        case '%':
        case '^':
            ++position_;
            token.kind = c == '('   ? TokenKind::left_paren
                         : c == ')' ? TokenKind::right_paren
                         : c == ',' ? TokenKind::comma
                                    : TokenKind::symbol;
            token.text.push_back(c);
            return token;
        case '<':
        case '>': {
            ++position_;
            token.kind = TokenKind::symbol;
            token.text.push_back(c);
            if (position_ < source_.size() && (source_[position_] == '=' || (c == '<' && source_[position_] == '>'))) {
                token.text += source_[position_++];
            }
            return token;
        }
        case '\'': {
            ++position_;
            token.kind = TokenKind::string;
            while (true) {
                if (position_ >= source_.size()) {
                    fail(token.offset, "this character literal has no closing quote (')");
                }
                const char s = source_[position_];
                if (s == '\'' && position_ + 1 < source_.size() && source_[position_ + 1] == '\'') {
                    token.text += '\'';
                    position_ += 2;
                } else if (s == '\\' && position_ + 1 < source_.size() && source_[position_ + 1] == '\'') {
                    token.text += '\'';
                    position_ += 2;
                } else if (s == '\'') {
                    ++position_;
                    break;
                } else {
                    Decoded d = decode(source_, position_);
                    if (d.length == 0) {
                        fail(position_, "the expression is not valid UTF-8");
                    }
                    token.text.append(source_.substr(position_, d.length));
                    position_ += d.length;
                }
            }
            return token;
        }
        case '"': {
            ++position_;
            token.kind = TokenKind::quoted_identifier;
            const std::size_t close = source_.find('"', position_);
            if (close == std::string_view::npos) {
                fail(token.offset, "this quoted property name has no closing quote (\")");
            }
            token.text = std::string(source_.substr(position_, close - position_));
            if (token.text.empty()) {
                fail(token.offset, "a quoted property name cannot be empty");
            }
            for (std::size_t i = 0; i < token.text.size();) {
                Decoded d = decode(token.text, i);
                if (d.length == 0) {
                    fail(position_ + i, "the expression is not valid UTF-8");
                }
                i += d.length;
            }
            position_ = close + 1;
            return token;
        }
        default:
            break;
    }
    if (digit(c) || (c == '.' && position_ + 1 < source_.size() && digit(source_[position_ + 1]))) {
        token.kind = TokenKind::number;
        const std::size_t start = position_;
        while (position_ < source_.size() && digit(source_[position_])) {
            ++position_;
        }
        if (position_ < source_.size() && source_[position_] == '.') {
            ++position_;
            while (position_ < source_.size() && digit(source_[position_])) {
                ++position_;
            }
        }
        if (position_ < source_.size() && (source_[position_] == 'e' || source_[position_] == 'E')) {
            std::size_t exponent = position_ + 1;
            if (exponent < source_.size() && (source_[exponent] == '+' || source_[exponent] == '-')) {
                ++exponent;
            }
            if (exponent < source_.size() && digit(source_[exponent])) {
                position_ = exponent;
                while (position_ < source_.size() && digit(source_[position_])) {
                    ++position_;
                }
            }
        }
        token.text = std::string(source_.substr(start, position_ - start));
        return token;
    }
    Decoded d = decode(source_, position_);
    if (d.length == 0) {
        fail(position_, "the expression is not valid UTF-8");
    }
    if (!identifier_start(d.code)) {
        fail(position_, "unexpected character '" + std::string(source_.substr(position_, d.length)) + "'");
    }
    token.kind = TokenKind::identifier;
    const std::size_t start = position_;
    position_ += d.length;
    while (position_ < source_.size()) {
        Decoded part = decode(source_, position_);
        if (part.length == 0 || !identifier_part(part.code)) {
            break;
        }
        position_ += part.length;
    }
    token.text = std::string(source_.substr(start, position_ - start));
    return token;
}

}  // namespace regiomap::cql2
