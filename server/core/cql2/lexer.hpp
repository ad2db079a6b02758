#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace regiomap::cql2 {

enum class TokenKind {
    identifier,         // a name or keyword, as written
    quoted_identifier,  // "name": always a property
    string,             // 'text' with '' and \' unescaped
    number,             // unsigned: 12, 1.5, .5, 1e3 (a sign is its own token)
    left_paren,
    right_paren,
    comma,
    symbol,  // = <> < <= > >= + - * / % ^
    end,
};

struct Token {
    TokenKind kind = TokenKind::end;
    std::string text;        // the value: name, unescaped string, number or symbol
    std::size_t offset = 0;  // byte offset of the token's first character
};

// Splits cql2-text into tokens (the lexical rules of the CQL2 BNF: Unicode
// identifiers, quoted identifiers, character literals, numbers). Errors
// (a stray character, an unterminated literal, invalid UTF-8) are thrown as
// FilterError with the position.
class Lexer {
public:
    explicit Lexer(std::string_view source);

    // The next token; at the end, TokenKind::end forever.
    Token next();

private:
    void skip_whitespace();
    [[noreturn]] void fail(std::size_t offset, const std::string& what) const;

    std::string_view source_;
    std::size_t position_ = 0;
};

// Whether `name` equals `keyword` ignoring ASCII case ("and" == "AND").
bool is_keyword(std::string_view name, std::string_view keyword);

}  // namespace regiomap::cql2
