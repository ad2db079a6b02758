#include "core/cql2/ast.hpp"

#include <algorithm>
#include <charconv>

namespace regiomap::cql2 {

namespace {

struct OpEntry {
    Op op;
    std::string_view name;
};

constexpr OpEntry kOps[] = {
    {Op::and_, "and"},
    {Op::or_, "or"},
    {Op::not_, "not"},
    {Op::eq, "="},
    {Op::ne, "<>"},
    {Op::lt, "<"},
    {Op::le, "<="},
    {Op::gt, ">"},
    {Op::ge, ">="},
    {Op::like, "like"},
    {Op::between, "between"},
    {Op::in, "in"},
    {Op::is_null, "isNull"},
    {Op::casei, "casei"},
    {Op::accenti, "accenti"},
    {Op::add, "+"},
    {Op::sub, "-"},
    {Op::mul, "*"},
    {Op::div, "/"},
    {Op::mod, "%"},
    {Op::int_div, "div"},
    {Op::pow, "^"},
    {Op::s_intersects, "s_intersects"},
    {Op::s_equals, "s_equals"},
    {Op::s_disjoint, "s_disjoint"},
    {Op::s_touches, "s_touches"},
    {Op::s_within, "s_within"},
    {Op::s_overlaps, "s_overlaps"},
    {Op::s_crosses, "s_crosses"},
    {Op::s_contains, "s_contains"},
    {Op::t_after, "t_after"},
    {Op::t_before, "t_before"},
    {Op::t_contains, "t_contains"},
    {Op::t_disjoint, "t_disjoint"},
    {Op::t_during, "t_during"},
    {Op::t_equals, "t_equals"},
    {Op::t_finishedby, "t_finishedby"},
    {Op::t_finishes, "t_finishes"},
    {Op::t_intersects, "t_intersects"},
    {Op::t_meets, "t_meets"},
    {Op::t_metby, "t_metby"},
    {Op::t_overlappedby, "t_overlappedby"},
    {Op::t_overlaps, "t_overlaps"},
    {Op::t_startedby, "t_startedby"},
    {Op::t_starts, "t_starts"},
    {Op::a_equals, "a_equals"},
    {Op::a_contains, "a_contains"},
    {Op::a_containedby, "a_containedby"},
    {Op::a_overlaps, "a_overlaps"},
};

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

std::string number_text(double value) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, end);
}

void append_coords(std::string& out, const Geometry& geometry) {
    out += '(';
    out += std::to_string(static_cast<int>(geometry.type));
    for (std::size_t path = 0; path < geometry.path_count(); ++path) {
        out += " [";
        for (const Coord& c : geometry.path(path)) {
            out += ' ' + number_text(c.x) + ' ' + number_text(c.y);
        }
        out += ']';
    }
    out += " polygons";
    for (std::uint32_t end : geometry.polygon_ends) {
        out += ' ' + std::to_string(end);
    }
    out += ')';
}

void append_sexpr(std::string& out, const Node& node) {
    switch (node.kind) {
        case Kind::boolean:
            out += node.boolean ? "true" : "false";
            return;
        case Kind::number:
            out += number_text(node.number);
            return;
        case Kind::string:
            out += '\'' + node.text + '\'';
            return;
        case Kind::date:
            out += "(date " + format_date(static_cast<std::int32_t>(node.instant / kDayMs)) + ")";
            return;
        case Kind::timestamp:
            out += "(timestamp " + format_datetime(node.instant) + ")";
            return;
        case Kind::geometry:
            out += node.collection ? "(collection" : "(geometry";
            for (const Geometry& geometry : node.geometries) {
                out += ' ';
                append_coords(out, geometry);
            }
            out += ')';
            return;
        case Kind::bbox:
            out += "(bbox";
            for (double value : node.bbox) {
                out += ' ' + number_text(value);
            }
            out += ')';
            return;
        case Kind::property:
            out += "(property \"" + node.text + "\")";
            return;
        case Kind::array:
            out += '[';
            for (std::size_t i = 0; i < node.args.size(); ++i) {
                out += i ? " " : "";
                append_sexpr(out, node.args[i]);
            }
            out += ']';
            return;
        case Kind::interval:
        case Kind::call:
            out += '(';
            out += node.kind == Kind::interval ? std::string("interval")
                   : node.op == Op::custom     ? "function " + node.text
                                               : std::string(op_name(node.op));
            for (const Node& arg : node.args) {
                out += ' ';
                // An interval's ends are strings; written alike when they are the same instant.
                auto instant =
                    node.kind == Kind::interval && arg.kind == Kind::string ? parse_rfc3339(arg.text) : std::nullopt;
                if (instant) {
                    out += instant->is_date ? format_date(static_cast<std::int32_t>(instant->span.begin / kDayMs))
                                            : format_datetime(instant->span.begin);
                } else {
                    append_sexpr(out, arg);
                }
            }
            out += ')';
            return;
    }
}

}  // namespace

std::string_view op_name(Op op) {
    for (const OpEntry& entry : kOps) {
        if (entry.op == op) {
            return entry.name;
        }
    }
    return "function";
}

std::optional<Op> op_from_name(std::string_view name) {
    for (const OpEntry& entry : kOps) {
        if (equal_ignoring_ascii_case(entry.name, name)) {
            return entry.op;
        }
    }
    return std::nullopt;
}

bool is_spatial(Op op) {
    return op >= Op::s_intersects && op <= Op::s_contains;
}
bool is_temporal(Op op) {
    return op >= Op::t_after && op <= Op::t_starts;
}
bool is_array(Op op) {
    return op >= Op::a_equals && op <= Op::a_overlaps;
}
bool is_comparison(Op op) {
    return op >= Op::eq && op <= Op::ge;
}
bool is_arithmetic(Op op) {
    return op >= Op::add && op <= Op::pow;
}

std::string Expression::locate_offset(std::size_t offset) const {
    offset = std::min(offset, source.size());
    std::size_t character = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        // Count code points: every byte that is not a UTF-8 continuation byte.
        if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) {
            ++character;
        }
    }
    if (offset >= source.size()) {
        return "at character " + std::to_string(character) + " (the end of the expression)";
    }
    std::size_t end = std::min(source.size(), offset + 24);
    while (end < source.size() && (static_cast<unsigned char>(source[end]) & 0xC0) == 0x80) {
        ++end;  // do not cut a character in two
    }
    std::string excerpt = source.substr(offset, end - offset);
    std::replace_if(
        excerpt.begin(), excerpt.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    return "at character " + std::to_string(character) + " ('" + excerpt + (end < source.size() ? "…" : "") + "')";
}

std::string Expression::locate(const Node& node) const {
    if (language == Language::json) {
        return "at " + (node.pointer.empty() ? std::string("the top level") : "JSON pointer " + node.pointer);
    }
    return locate_offset(node.offset);
}

std::string to_sexpr(const Node& node) {
    std::string out;
    append_sexpr(out, node);
    return out;
}

}  // namespace regiomap::cql2
