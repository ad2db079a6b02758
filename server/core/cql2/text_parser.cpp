#include <charconv>
#include <cmath>

#include "core/cql2/geometry_literal.hpp"
#include "core/cql2/lexer.hpp"
#include "core/cql2/parser.hpp"

namespace regiomap::cql2 {

namespace {

// Words that cannot name a property unquoted: they start or continue
// other productions of the grammar.
constexpr std::string_view kReserved[] = {
    "AND",          "OR",
    "NOT",          "LIKE",
    "BETWEEN",      "IN",
    "IS",           "NULL",
    "TRUE",         "FALSE",
    "DIV",          "CASEI",
    "ACCENTI",      "DATE",
    "TIMESTAMP",    "INTERVAL",
    "BBOX",         "POINT",
    "LINESTRING",   "POLYGON",
    "MULTIPOINT",   "MULTILINESTRING",
    "MULTIPOLYGON", "GEOMETRYCOLLECTION",
};

bool reserved(std::string_view name) {
    for (std::string_view word : kReserved) {
        if (is_keyword(name, word)) {
            return true;
        }
    }
    return false;
}

enum class WktType { point, line_string, polygon, multi_point, multi_line_string, multi_polygon, collection };

std::optional<WktType> wkt_type(std::string_view name) {
    if (is_keyword(name, "POINT"))
        return WktType::point;
    if (is_keyword(name, "LINESTRING"))
        return WktType::line_string;
    if (is_keyword(name, "POLYGON"))
        return WktType::polygon;
    if (is_keyword(name, "MULTIPOINT"))
        return WktType::multi_point;
    if (is_keyword(name, "MULTILINESTRING"))
        return WktType::multi_line_string;
    if (is_keyword(name, "MULTIPOLYGON"))
        return WktType::multi_polygon;
    if (is_keyword(name, "GEOMETRYCOLLECTION"))
        return WktType::collection;
    return std::nullopt;
}

Node make_call(Op op, std::size_t offset, std::vector<Node> args) {
    Node node;
    node.kind = Kind::call;
    node.op = op;
    node.offset = offset;
    node.args = std::move(args);
    return node;
}

class TextParser {
public:
    explicit TextParser(std::string_view text) : lexer_(text) {
        expression_.language = Language::text;
        expression_.source = std::string(text);
        current_ = lexer_.next();
        next_ = lexer_.next();
    }

    Expression run() {
        if (current_.kind == TokenKind::end) {
            fail(current_.offset, "the filter is empty");
        }
        Node root = boolean_expression();
        if (current_.kind != TokenKind::end) {
            fail(current_.offset, "expected AND, OR or the end of the expression, found " + describe(current_));
        }
        expression_.root = std::move(root);
        return std::move(expression_);
    }

private:
    // Counts nesting so that a hostile expression cannot exhaust the stack.
    class Nesting {
    public:
        Nesting(TextParser& parser, std::size_t offset) : parser_(parser) {
            if (++parser_.depth_ > kMaxDepth) {
                parser_.fail(offset, "the expression nests deeper than " + std::to_string(kMaxDepth) + " levels");
            }
        }
        ~Nesting() { --parser_.depth_; }
        Nesting(const Nesting&) = delete;
        Nesting& operator=(const Nesting&) = delete;

    private:
        TextParser& parser_;
    };

    [[noreturn]] void fail(std::size_t offset, const std::string& what) const {
        throw FilterError(expression_.locate_offset(offset) + ": " + what);
    }

    static std::string describe(const Token& token) {
        if (token.kind == TokenKind::end) {
            return "the end of the expression";
        }
        if (token.kind == TokenKind::string) {
            return "the text '" + token.text + "'";
        }
        return "'" + token.text + "'";
    }

    Token advance() {
        Token taken = std::move(current_);
        current_ = std::move(next_);
        next_ = lexer_.next();
        return taken;
    }

    bool at_keyword(std::string_view keyword) const {
        return current_.kind == TokenKind::identifier && is_keyword(current_.text, keyword);
    }
    bool at_symbol(std::string_view symbol) const {
        return current_.kind == TokenKind::symbol && current_.text == symbol;
    }

    Token expect(TokenKind kind, std::string_view what) {
        if (current_.kind != kind) {
            fail(current_.offset, "expected " + std::string(what) + ", found " + describe(current_));
        }
        return advance();
    }

    // booleanExpression: terms joined by OR, flattened into one node.
    Node boolean_expression() {
        Nesting nesting(*this, current_.offset);
        Node first = boolean_term();
        if (!at_keyword("OR")) {
            return first;
        }
        const std::size_t offset = first.offset;
        std::vector<Node> terms;
        terms.push_back(std::move(first));
        while (at_keyword("OR")) {
            advance();
            terms.push_back(boolean_term());
        }
        return make_call(Op::or_, offset, std::move(terms));
    }

    Node boolean_term() {
        Node first = boolean_factor();
        if (!at_keyword("AND")) {
            return first;
        }
        const std::size_t offset = first.offset;
        std::vector<Node> factors;
        factors.push_back(std::move(first));
        while (at_keyword("AND")) {
            advance();
            factors.push_back(boolean_factor());
        }
        return make_call(Op::and_, offset, std::move(factors));
    }

    Node boolean_factor() {
        if (at_keyword("NOT")) {
            Nesting nesting(*this, current_.offset);
            const std::size_t offset = advance().offset;
            std::vector<Node> operand;
            operand.push_back(boolean_factor());
            return make_call(Op::not_, offset, std::move(operand));
        }
        return predicate();
    }

    static Node negate(Node node) {
        const std::size_t offset = node.offset;
        std::vector<Node> operand;
        operand.push_back(std::move(node));
        return make_call(Op::not_, offset, std::move(operand));
    }

    // A scalar expression, optionally followed by a comparison, LIKE,
    // BETWEEN, IN or IS NULL.
    Node predicate() {
        Node left = additive();
        const std::size_t offset = left.offset;
        if (current_.kind == TokenKind::symbol) {
            static constexpr std::pair<std::string_view, Op> comparisons[] = {
                {"=", Op::eq}, {"<>", Op::ne}, {"<", Op::lt}, {"<=", Op::le}, {">", Op::gt}, {">=", Op::ge}};
            for (const auto& [symbol, op] : comparisons) {
                if (current_.text == symbol) {
                    advance();
                    std::vector<Node> operands;
                    operands.push_back(std::move(left));
                    operands.push_back(additive());
                    return make_call(op, offset, std::move(operands));
                }
            }
        }
        bool negated = false;
        if (at_keyword("NOT") && next_.kind == TokenKind::identifier &&
            (is_keyword(next_.text, "LIKE") || is_keyword(next_.text, "BETWEEN") || is_keyword(next_.text, "IN"))) {
            advance();
            negated = true;
        }
        if (at_keyword("LIKE")) {
            advance();
            std::vector<Node> operands;
            operands.push_back(std::move(left));
            operands.push_back(additive());
            Node like = make_call(Op::like, offset, std::move(operands));
            return negated ? negate(std::move(like)) : like;
        }
        if (at_keyword("BETWEEN")) {
            advance();
            std::vector<Node> operands;
            operands.push_back(std::move(left));
            operands.push_back(additive());
            if (!at_keyword("AND")) {
                fail(current_.offset, "expected AND between the bounds of BETWEEN, found " + describe(current_));
            }
            advance();
            operands.push_back(additive());
            Node between = make_call(Op::between, offset, std::move(operands));
            return negated ? negate(std::move(between)) : between;
        }
        if (at_keyword("IN")) {
            advance();
            const std::size_t list_offset = current_.offset;
            expect(TokenKind::left_paren, "'(' opening the list of IN");
            Node list;
            list.kind = Kind::array;
            list.offset = list_offset;
            list.args.push_back(additive());
            while (current_.kind == TokenKind::comma) {
                advance();
                list.args.push_back(additive());
            }
            expect(TokenKind::right_paren, "',' or ')' closing the list of IN");
            std::vector<Node> operands;
            operands.push_back(std::move(left));
            operands.push_back(std::move(list));
            Node in = make_call(Op::in, offset, std::move(operands));
            return negated ? negate(std::move(in)) : in;
        }
        if (negated) {
            fail(current_.offset, "expected LIKE, BETWEEN or IN after NOT");
        }
        if (at_keyword("IS")) {
            advance();
            bool is_not = false;
            if (at_keyword("NOT")) {
                advance();
                is_not = true;
            }
            if (!at_keyword("NULL")) {
                fail(current_.offset, "expected NULL after IS, found " + describe(current_));
            }
            advance();
            std::vector<Node> operand;
            operand.push_back(std::move(left));
            Node is_null = make_call(Op::is_null, offset, std::move(operand));
            return is_not ? negate(std::move(is_null)) : is_null;
        }
        return left;
    }

    Node binary(Op op, Node left, Node right) {
        const std::size_t offset = left.offset;
        std::vector<Node> operands;
        operands.push_back(std::move(left));
        operands.push_back(std::move(right));
        return make_call(op, offset, std::move(operands));
    }

    Node additive() {
        Node left = term();
        while (at_symbol("+") || at_symbol("-")) {
            const Op op = advance().text == "+" ? Op::add : Op::sub;
            left = binary(op, std::move(left), term());
        }
        return left;
    }

    Node term() {
        Node left = power();
        while (at_symbol("*") || at_symbol("/") || at_symbol("%") || at_keyword("DIV")) {
            const Token symbol = advance();
            const Op op = symbol.kind == TokenKind::identifier ? Op::int_div
                          : symbol.text == "*"                 ? Op::mul
                          : symbol.text == "/"                 ? Op::div
                                                               : Op::mod;
            left = binary(op, std::move(left), power());
        }
        return left;
    }

    Node power() {
        Node base = unary();
        if (at_symbol("^")) {
            advance();
            return binary(Op::pow, std::move(base), unary());
        }
        return base;
    }

    // A minus sign: part of a number literal, or "-1 times" anything else
    // (as the standard's examples write it in cql2-json).
    Node unary() {
        if (at_symbol("-") || at_symbol("+")) {
            Nesting nesting(*this, current_.offset);
            const Token sign = advance();
            Node operand = unary();
            if (sign.text == "+") {
                return operand;
            }
            if (operand.kind == Kind::number) {
                operand.number = -operand.number;
                operand.integer = -operand.integer;
                operand.offset = sign.offset;
                return operand;
            }
            Node minus_one;
            minus_one.kind = Kind::number;
            minus_one.number = -1;
            minus_one.integral = true;
            minus_one.integer = -1;
            minus_one.offset = sign.offset;
            return binary(Op::mul, std::move(minus_one), std::move(operand));
        }
        return primary();
    }

    Node number(const Token& token) {
        Node node;
        node.kind = Kind::number;
        node.offset = token.offset;
        const char* first = token.text.data();
        const char* last = first + token.text.size();
        if (last > first && last[-1] == '.') {
            --last;  // "1." is a number too
        }
        auto [end, ec] = std::from_chars(first, last, node.number);
        if (ec != std::errc{} || end != last || !std::isfinite(node.number)) {
            fail(token.offset, "'" + token.text + "' is not a number this server can represent");
        }
        if (token.text.find_first_of(".eE") == std::string::npos) {
            auto [int_end, int_ec] = std::from_chars(first, last, node.integer);
            node.integral = int_ec == std::errc{} && int_end == last;
        }
        return node;
    }

    double signed_number(std::string_view what) {
        bool negative = false;
        if (at_symbol("-") || at_symbol("+")) {
            negative = advance().text == "-";
        }
        if (current_.kind != TokenKind::number) {
            fail(current_.offset, "expected " + std::string(what) + ", found " + describe(current_));
        }
        const double value = number(advance()).number;
        return negative ? -value : value;
    }

    Node primary() {
        const Token& token = current_;
        switch (token.kind) {
            case TokenKind::number:
                return number(advance());
            case TokenKind::string: {
                Node node;
                node.kind = Kind::string;
                node.offset = token.offset;
                node.text = advance().text;
                return node;
            }
            case TokenKind::quoted_identifier: {
                Node node;
                node.kind = Kind::property;
                node.offset = token.offset;
                node.text = advance().text;
                return node;
            }
            case TokenKind::left_paren:
                return parenthesised();
            case TokenKind::identifier:
                return named();
            default:
                fail(token.offset, "expected a property, a literal or a function, found " + describe(token));
        }
    }

    // "(" expression ")" — or, when a comma follows the first item, a list.
    Node parenthesised() {
        Nesting nesting(*this, current_.offset);
        const std::size_t offset = advance().offset;
        Node first = boolean_expression();
        if (current_.kind != TokenKind::comma) {
            expect(TokenKind::right_paren, "')'");
            return first;
        }
        Node list;
        list.kind = Kind::array;
        list.offset = offset;
        list.args.push_back(std::move(first));
        while (current_.kind == TokenKind::comma) {
            advance();
            list.args.push_back(boolean_expression());
        }
        expect(TokenKind::right_paren, "',' or ')' closing the list");
        return list;
    }

    // An array operand of A_EQUALS & co.: "(" [items] ")" or any expression.
    Node array_operand() {
        if (current_.kind != TokenKind::left_paren) {
            return additive();
        }
        Nesting nesting(*this, current_.offset);
        Node list;
        list.kind = Kind::array;
        list.offset = advance().offset;
        if (current_.kind == TokenKind::right_paren) {
            advance();
            return list;
        }
        list.args.push_back(current_.kind == TokenKind::left_paren ? array_operand() : boolean_expression());
        while (current_.kind == TokenKind::comma) {
            advance();
            list.args.push_back(current_.kind == TokenKind::left_paren ? array_operand() : boolean_expression());
        }
        expect(TokenKind::right_paren, "',' or ')' closing the array");
        return list;
    }

    // An identifier: a boolean literal, a typed literal, a geometry, a
    // function call, or a property.
    Node named() {
        const Token name = advance();
        if (is_keyword(name.text, "TRUE") || is_keyword(name.text, "FALSE")) {
            Node node;
            node.kind = Kind::boolean;
            node.boolean = is_keyword(name.text, "TRUE");
            node.offset = name.offset;
            return node;
        }
        if (auto type = wkt_type(name.text)) {
            return geometry(name, *type);
        }
        if (is_keyword(name.text, "BBOX")) {
            return bbox(name);
        }
        if (is_keyword(name.text, "DATE") || is_keyword(name.text, "TIMESTAMP")) {
            return instant(name);
        }
        if (is_keyword(name.text, "INTERVAL")) {
            return interval(name);
        }
        if (current_.kind == TokenKind::left_paren) {
            return call(name);
        }
        if (reserved(name.text)) {
            fail(name.offset, "expected a property, a literal or a function, found '" + name.text +
                                  "' (quote a property of that name: \"" + name.text + "\")");
        }
        Node node;
        node.kind = Kind::property;
        node.offset = name.offset;
        node.text = name.text;
        return node;
    }

    Node call(const Token& name) {
        Nesting nesting(*this, name.offset);
        Node node;
        node.kind = Kind::call;
        node.offset = name.offset;
        if (auto op = op_from_name(name.text)) {
            if (*op != Op::casei && *op != Op::accenti && !is_spatial(*op) && !is_temporal(*op) && !is_array(*op)) {
                fail(name.offset, "'" + name.text + "' is an operator, not a function");
            }
            node.op = *op;
        } else {
            if (reserved(name.text)) {
                fail(name.offset, "'" + name.text + "' cannot be called as a function");
            }
            node.op = Op::custom;
            node.text = name.text;
        }
        expect(TokenKind::left_paren, "'('");
        if (current_.kind != TokenKind::right_paren) {
            node.args.push_back(is_array(node.op) ? array_operand() : boolean_expression());
            while (current_.kind == TokenKind::comma) {
                advance();
                node.args.push_back(is_array(node.op) ? array_operand() : boolean_expression());
            }
        }
        expect(TokenKind::right_paren, "',' or ')' closing the arguments of " + name.text);
        const std::size_t wanted = node.op == Op::custom                            ? node.args.size()
                                   : node.op == Op::casei || node.op == Op::accenti ? 1
                                                                                    : 2;
        if (node.args.size() != wanted) {
            fail(name.offset, name.text + " takes " + std::to_string(wanted) + " argument" + (wanted == 1 ? "" : "s") +
                                  ", not " + std::to_string(node.args.size()));
        }
        return node;
    }

    Node instant(const Token& name) {
        const bool is_date = is_keyword(name.text, "DATE");
        expect(TokenKind::left_paren, "'(' after " + name.text);
        const Token value = expect(TokenKind::string, is_date ? "a date in quotes ('2020-06-10')"
                                                              : "a timestamp in quotes ('2020-06-10T08:00:00Z')");
        expect(TokenKind::right_paren, "')'");
        auto parsed = parse_rfc3339(value.text);
        if (!parsed || parsed->is_date != is_date) {
            fail(value.offset, "'" + value.text + "' is not " +
                                   (is_date ? "a date (YYYY-MM-DD)" : "a timestamp (YYYY-MM-DDThh:mm:ss[.fff]Z)"));
        }
        Node node;
        node.kind = is_date ? Kind::date : Kind::timestamp;
        node.offset = name.offset;
        node.text = value.text;
        node.instant = parsed->span.begin;
        return node;
    }

    Node interval_end() {
        if (current_.kind == TokenKind::string) {
            const Token value = advance();
            if (value.text != ".." && !parse_rfc3339(value.text)) {
                fail(value.offset, "'" + value.text + "' is not a date, a timestamp or '..'");
            }
            Node node;
            node.kind = Kind::string;
            node.offset = value.offset;
            node.text = value.text;
            return node;
        }
        return primary();
    }

    Node interval(const Token& name) {
        Node node;
        node.kind = Kind::interval;
        node.offset = name.offset;
        expect(TokenKind::left_paren, "'(' after INTERVAL");
        node.args.push_back(interval_end());
        expect(TokenKind::comma, "',' between the ends of INTERVAL");
        node.args.push_back(interval_end());
        expect(TokenKind::right_paren, "')' closing INTERVAL");
        return node;
    }

    Node bbox(const Token& name) {
        expect(TokenKind::left_paren, "'(' after BBOX");
        std::vector<double> values;
        values.push_back(signed_number("a number"));
        while (current_.kind == TokenKind::comma) {
            advance();
            values.push_back(signed_number("a number"));
        }
        expect(TokenKind::right_paren, "',' or ')' closing BBOX");
        if (values.size() != 4 && values.size() != 6) {
            fail(name.offset, "BBOX takes 4 numbers (west, south, east, north) or 6 (with heights), not " +
                                  std::to_string(values.size()));
        }
        const bool heights = values.size() == 6;
        Node node;
        node.kind = Kind::bbox;
        node.offset = name.offset;
        node.bbox = {values[0], values[1], values[heights ? 3 : 2], values[heights ? 4 : 3]};
        if (node.bbox[1] > node.bbox[3]) {
            fail(name.offset, "the BBOX's southern edge lies north of its northern edge");
        }
        return node;
    }

    Coord position() {
        Coord c;
        c.x = signed_number("a coordinate");
        c.y = signed_number("a second coordinate");
        if (current_.kind == TokenKind::number || at_symbol("-") || at_symbol("+")) {
            signed_number("a coordinate");  // a height: filters are evaluated in two dimensions
        }
        return c;
    }

    literal::Path positions() {
        expect(TokenKind::left_paren, "'(' opening a list of coordinates");
        literal::Path path{position()};
        while (current_.kind == TokenKind::comma) {
            advance();
            path.push_back(position());
        }
        expect(TokenKind::right_paren, "',' or ')' closing a list of coordinates");
        return path;
    }

    literal::Rings rings() {
        expect(TokenKind::left_paren, "'(' opening a polygon");
        literal::Rings result{positions()};
        while (current_.kind == TokenKind::comma) {
            advance();
            result.push_back(positions());
        }
        expect(TokenKind::right_paren, "',' or ')' closing a polygon");
        return result;
    }

    template <typename Read>
    auto list_of(Read read, std::string_view what) {
        expect(TokenKind::left_paren, "'(' opening a list of " + std::string(what));
        std::vector<decltype(read())> items{read()};
        while (current_.kind == TokenKind::comma) {
            advance();
            items.push_back(read());
        }
        expect(TokenKind::right_paren, "',' or ')' closing a list of " + std::string(what));
        return items;
    }

    Geometry geometry_body(const Token& name, WktType type) {
        if (at_keyword("Z")) {
            advance();
        }
        try {
            switch (type) {
                case WktType::point: {
                    expect(TokenKind::left_paren, "'(' after POINT");
                    Coord c = position();
                    expect(TokenKind::right_paren, "')' closing POINT");
                    return literal::point(c);
                }
                case WktType::line_string:
                    return literal::line_string(positions());
                case WktType::polygon:
                    return literal::polygon(rings());
                case WktType::multi_point: {
                    // Both MULTIPOINT((1 2),(3 4)) and MULTIPOINT(1 2, 3 4).
                    auto point = [&] {
                        if (current_.kind != TokenKind::left_paren) {
                            return position();
                        }
                        advance();
                        Coord c = position();
                        expect(TokenKind::right_paren, "')' closing a point");
                        return c;
                    };
                    return literal::multi_point(list_of(point, "points"));
                }
                case WktType::multi_line_string:
                    return literal::multi_line_string(list_of([&] { return positions(); }, "line strings"));
                case WktType::multi_polygon:
                    return literal::multi_polygon(list_of([&] { return rings(); }, "polygons"));
                case WktType::collection:
                    break;
            }
        } catch (const std::invalid_argument& error) {
            fail(name.offset, std::string("invalid ") + name.text + ": " + error.what());
        }
        fail(name.offset, "a geometry collection cannot hold another collection");
    }

    Node geometry(const Token& name, WktType type) {
        Node node;
        node.kind = Kind::geometry;
        node.offset = name.offset;
        if (type != WktType::collection) {
            node.geometries.push_back(geometry_body(name, type));
            return node;
        }
        node.collection = true;
        if (at_keyword("Z")) {
            advance();
        }
        expect(TokenKind::left_paren, "'(' after GEOMETRYCOLLECTION");
        do {
            if (node.geometries.size() > 0) {
                advance();  // the comma
            }
            const Token part = expect(TokenKind::identifier, "a geometry (POINT, LINESTRING, POLYGON, …)");
            auto part_type = wkt_type(part.text);
            if (!part_type) {
                fail(part.offset, "expected a geometry (POINT, LINESTRING, POLYGON, …), found '" + part.text + "'");
            }
            node.geometries.push_back(geometry_body(part, *part_type));
        } while (current_.kind == TokenKind::comma);
        expect(TokenKind::right_paren, "',' or ')' closing GEOMETRYCOLLECTION");
        return node;
    }

    Lexer lexer_;
    Token current_;
    Token next_;
    Expression expression_;
    int depth_ = 0;
};

}  // namespace

Expression parse_text(std::string_view text) {
    return TextParser(text).run();
}

}  // namespace regiomap::cql2
