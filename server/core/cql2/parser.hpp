#pragma once

#include <string_view>

#include "core/cql2/ast.hpp"

namespace regiomap::cql2 {

// Reads a cql2-text expression (the CQL2 BNF, by recursive descent).
// Throws FilterError naming the character where it went wrong and what
// was expected there.
Expression parse_text(std::string_view text);

// Reads a cql2-json expression into the same tree. Throws FilterError
// naming the JSON Pointer of the offending member.
Expression parse_json(std::string_view json);

}  // namespace regiomap::cql2
