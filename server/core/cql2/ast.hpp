#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/datetime.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"

// The syntax tree of a CQL2 expression (OGC 21-065, Common Query Language).
// cql2-text and cql2-json are read into the same tree, so that everything
// after parsing (binding to a collection's schema, evaluation, the index
// boxes a filter implies) knows nothing of either encoding.
namespace regiomap::cql2 {

// Every operator and standard function of CQL2, and `custom` for a call of
// any other function name (which parses, and is refused when bound).
enum class Op : std::uint8_t {
    and_,
    or_,
    not_,
    eq,
    ne,
    lt,
    le,
    gt,
    ge,
    like,
    between,
    in,
    is_null,
    casei,
    accenti,
    add,
    sub,
    mul,
    div,
    mod,
    int_div,
    pow,
    s_intersects,
    s_equals,
    s_disjoint,
    s_touches,
    s_within,
    s_overlaps,
    s_crosses,
    s_contains,
    t_after,
    t_before,
    t_contains,
    t_disjoint,
    t_during,
    t_equals,
    t_finishedby,
    t_finishes,
    t_intersects,
    t_meets,
    t_metby,
    t_overlappedby,
    t_overlaps,
    t_startedby,
    t_starts,
    a_equals,
    a_contains,
    a_containedby,
    a_overlaps,
    custom,
};

// The name an operator has in cql2-json ("and", "<>", "isNull", "s_intersects").
std::string_view op_name(Op op);
// The operator for a cql2-json "op" value or a cql2-text function name,
// case-insensitively; nullopt when it is not a CQL2 operator.
std::optional<Op> op_from_name(std::string_view name);

bool is_spatial(Op op);
bool is_temporal(Op op);
bool is_array(Op op);
bool is_comparison(Op op);  // = <> < <= > >=
bool is_arithmetic(Op op);  // + - * / % div ^

enum class Kind : std::uint8_t {
    boolean,
    number,
    string,
    date,       // DATE('2020-01-01'): `text` and `instant` (its midnight, UTC)
    timestamp,  // TIMESTAMP('…Z'): `text` and `instant`
    interval,   // INTERVAL(a, b): two args, each a string ('..', a date or a timestamp), property or call
    geometry,   // WKT or GeoJSON literal: `geometries` (several for a collection)
    bbox,       // BBOX(w, s, e, n) or with heights: `bbox`
    property,   // `text` is its name
    array,      // `args` are its items
    call,       // `op` (and `text` for a custom function) applied to `args`
};

struct Node {
    Kind kind = Kind::boolean;
    Op op = Op::custom;
    bool boolean = false;
    bool integral = false;  // a number written without a fraction or exponent
    double number = 0;
    std::int64_t integer = 0;  // the value when `integral`
    TimeMs instant = 0;
    std::string text;
    std::vector<Geometry> geometries;
    bool collection = false;  // a GEOMETRYCOLLECTION / GeometryCollection literal
    std::array<double, 4> bbox{};
    std::vector<Node> args;
    // Where the node starts: a byte offset into cql2-text, or a JSON
    // Pointer into cql2-json.
    std::size_t offset = 0;
    std::string pointer;
};

enum class Language { text, json };

// A parsed expression with its source, so that errors found later (an
// unknown property, a type mismatch) can still say where they are.
struct Expression {
    Language language = Language::text;
    std::string source;
    Node root;

    // "at character 17 ('AND S_INTER…')" for text, "at /args/1" for JSON.
    std::string locate(const Node& node) const;
    std::string locate_offset(std::size_t offset) const;
};

// A filter expression that is malformed or cannot be applied. A client
// error (400): the message names the position and what was expected.
class FilterError : public Error {
public:
    explicit FilterError(const std::string& message) : Error(ErrorKind::bad_request, message) {}
};

// A canonical S-expression of the tree, e.g. `(= (property "city") 'Toronto')`;
// the same for a cql2-text expression and its cql2-json equivalent.
std::string to_sexpr(const Node& node);

// Expressions nest at most this deep (parentheses, operators, arrays), so
// that neither parser nor evaluator can exhaust the stack.
inline constexpr int kMaxDepth = 64;

}  // namespace regiomap::cql2
