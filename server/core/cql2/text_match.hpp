#pragma once

#include <string>
#include <string_view>

// The string functions of CQL2: CASEI, ACCENTI and LIKE, on UTF-8.
namespace regiomap::cql2 {

// Unicode full case folding (ICU): "KØBENHAVN" and "københavn" fold alike,
// "Straße" folds to "strasse".
std::string fold_case(std::string_view text);

// Removes accents: canonical decomposition (NFD), every non-spacing mark
// dropped, recomposed (NFC): "Chișinău" becomes "Chisinau". Letters that
// are not composed with a mark (ø, ł) stay as they are.
std::string strip_accents(std::string_view text);

// SQL LIKE: '%' matches any run of characters, '_' exactly one character
// (a code point, not a byte), '\' makes the next pattern character literal.
// Linear backtracking (no exponential blow-up on patterns of many '%').
bool like(std::string_view text, std::string_view pattern);

}  // namespace regiomap::cql2
