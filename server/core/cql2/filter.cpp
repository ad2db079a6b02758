#include "core/cql2/filter.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/cql2/geometry_literal.hpp"
#include "core/cql2/spatial.hpp"
#include "core/cql2/temporal.hpp"
#include "core/cql2/text_match.hpp"

namespace regiomap::cql2 {

namespace {

enum class Type : std::uint8_t { boolean, number, string, date, timestamp, interval, geometry };

std::string type_name(Type type) {
    switch (type) {
        case Type::boolean:
            return "a boolean";
        case Type::number:
            return "a number";
        case Type::string:
            return "a string";
        case Type::date:
            return "a date";
        case Type::timestamp:
            return "a timestamp";
        case Type::interval:
            return "an interval";
        case Type::geometry:
            return "a geometry";
    }
    return "a value";
}

bool temporal_type(Type type) {
    return type == Type::date || type == Type::timestamp || type == Type::interval;
}

// Three-valued logic: SQL's unknown for comparisons with null.
enum class Tri : std::uint8_t { no, yes, unknown };

Tri tri(bool value) {
    return value ? Tri::yes : Tri::no;
}

// A value during evaluation. Strings are views into the feature or the
// filter, or owned when a function made them.
struct RValue {
    enum class Tag : std::uint8_t { null, boolean, number, string, temporal, geometry };
    Tag tag = Tag::null;
    bool boolean = false;
    bool integral = false;
    std::int64_t integer = 0;
    double number = 0;
    std::string_view view;
    std::string owned;
    bool is_owned = false;
    TimeRange range;
    SpatialOperand geometry;

    bool null() const { return tag == Tag::null; }
    std::string_view text() const { return is_owned ? std::string_view(owned) : view; }

    static RValue of_bool(bool b) {
        RValue v;
        v.tag = Tag::boolean;
        v.boolean = b;
        return v;
    }
    static RValue of_tri(Tri t) { return t == Tri::unknown ? RValue{} : of_bool(t == Tri::yes); }
    static RValue of_int(std::int64_t i) {
        RValue v;
        v.tag = Tag::number;
        v.integral = true;
        v.integer = i;
        v.number = static_cast<double>(i);
        return v;
    }
    static RValue of_double(double d) {
        RValue v;
        v.tag = Tag::number;
        v.number = d;
        return v;
    }
    static RValue of_string(std::string s) {
        RValue v;
        v.tag = Tag::string;
        v.owned = std::move(s);
        v.is_owned = true;
        return v;
    }
    static RValue of_instant(TimeMs t, bool day) {
        RValue v;
        v.tag = Tag::temporal;
        v.range = {t, t, day, day};
        return v;
    }
};

RValue from_value(const Value& value) {
    RValue v;
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, bool>) {
                v = RValue::of_bool(x);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                v = RValue::of_int(x);
            } else if constexpr (std::is_same_v<T, double>) {
                v = RValue::of_double(x);
            } else if constexpr (std::is_same_v<T, std::string>) {
                v.tag = RValue::Tag::string;
                v.view = x;
            } else if constexpr (std::is_same_v<T, Date>) {
                v = RValue::of_instant(static_cast<TimeMs>(x.days) * kDayMs, true);
            } else if constexpr (std::is_same_v<T, DateTime>) {
                v = RValue::of_instant(x.ms, false);
            }
        },
        value);
    return v;
}

template <typename T>
int three_way(const T& a, const T& b) {
    return a < b ? -1 : (b < a ? 1 : 0);
}

// Both values non-null and of one comparable type (checked when binding).
int compare(const RValue& a, const RValue& b) {
    switch (a.tag) {
        case RValue::Tag::number:
            return a.integral && b.integral ? three_way(a.integer, b.integer) : three_way(a.number, b.number);
        case RValue::Tag::string:
            return three_way(a.text(), b.text());
        case RValue::Tag::boolean:
            return three_way(a.boolean, b.boolean);
        case RValue::Tag::temporal:
            return three_way(a.range.begin, b.range.begin);
        default:
            return 0;
    }
}

// One node of the bound expression.
struct Expr {
    enum class Code : std::uint8_t { constant, field, geometry_field, call, interval };
    Code code = Code::constant;
    Op op = Op::custom;
    Type type = Type::boolean;
    std::size_t field = 0;
    RValue value;              // for a constant
    std::vector<Expr> args;    // call operands (IN: the value, then the list); interval ends
    std::string interval_end;  // '..' for an open interval end
};

class Evaluator {
public:
    explicit Evaluator(const SpatialEngine& spatial) : spatial_(spatial) {}

    Tri test(const Expr& e, const Feature& f) const {
        if (e.code == Expr::Code::constant) {
            return e.value.null() ? Tri::unknown : tri(e.value.boolean);
        }
        if (e.code == Expr::Code::field) {
            const RValue v = from_value(f.properties[e.field]);
            return v.null() ? Tri::unknown : tri(v.boolean);
        }
        switch (e.op) {
            case Op::and_: {
                Tri result = Tri::yes;
                for (const Expr& arg : e.args) {
                    const Tri t = test(arg, f);
                    if (t == Tri::no) {
                        return Tri::no;
                    }
                    if (t == Tri::unknown) {
                        result = Tri::unknown;
                    }
                }
                return result;
            }
            case Op::or_: {
                Tri result = Tri::no;
                for (const Expr& arg : e.args) {
                    const Tri t = test(arg, f);
                    if (t == Tri::yes) {
                        return Tri::yes;
                    }
                    if (t == Tri::unknown) {
                        result = Tri::unknown;
                    }
                }
                return result;
            }
            case Op::not_: {
                const Tri t = test(e.args[0], f);
                return t == Tri::unknown ? t : tri(t == Tri::no);
            }
            case Op::is_null:
                return tri(eval(e.args[0], f).null());
            case Op::like: {
                const RValue text = eval(e.args[0], f);
                const RValue pattern = eval(e.args[1], f);
                if (text.null() || pattern.null()) {
                    return Tri::unknown;
                }
                return tri(like(text.text(), pattern.text()));
            }
            case Op::between: {
                const RValue x = eval(e.args[0], f);
                const RValue low = eval(e.args[1], f);
                const RValue high = eval(e.args[2], f);
                if (x.null() || low.null() || high.null()) {
                    return Tri::unknown;
                }
                return tri(compare(low, x) <= 0 && compare(x, high) <= 0);
            }
            case Op::in: {
                const RValue x = eval(e.args[0], f);
                if (x.null()) {
                    return Tri::unknown;
                }
                Tri result = Tri::no;
                for (std::size_t i = 1; i < e.args.size(); ++i) {
                    const RValue item = eval(e.args[i], f);
                    if (item.null()) {
                        result = Tri::unknown;
                    } else if (compare(x, item) == 0) {
                        return Tri::yes;
                    }
                }
                return result;
            }
            default:
                break;
        }
        if (is_comparison(e.op)) {
            const RValue a = eval(e.args[0], f);
            const RValue b = eval(e.args[1], f);
            if (a.null() || b.null()) {
                return Tri::unknown;
            }
            const int order = compare(a, b);
            switch (e.op) {
                case Op::eq:
                    return tri(order == 0);
                case Op::ne:
                    return tri(order != 0);
                case Op::lt:
                    return tri(order < 0);
                case Op::le:
                    return tri(order <= 0);
                case Op::gt:
                    return tri(order > 0);
                default:
                    return tri(order >= 0);
            }
        }
        if (is_spatial(e.op)) {
            const RValue a = eval(e.args[0], f);
            const RValue b = eval(e.args[1], f);
            if (a.null() || b.null()) {
                return Tri::unknown;
            }
            return tri(spatial_.relate(e.op, a.geometry, b.geometry));
        }
        if (is_temporal(e.op)) {
            const RValue a = eval(e.args[0], f);
            const RValue b = eval(e.args[1], f);
            if (a.null() || b.null()) {
                return Tri::unknown;
            }
            return tri(temporal_relation(e.op, a.range, b.range));
        }
        return Tri::unknown;
    }

    RValue eval(const Expr& e, const Feature& f) const {
        switch (e.code) {
            case Expr::Code::constant:
                return e.value;
            case Expr::Code::field:
                return from_value(f.properties[e.field]);
            case Expr::Code::geometry_field: {
                RValue v;
                if (!f.geometry.empty()) {
                    v.tag = RValue::Tag::geometry;
                    v.geometry.geometry = &f.geometry;
                }
                return v;
            }
            case Expr::Code::interval:
                return interval(e, f);
            case Expr::Code::call:
                break;
        }
        if (e.type == Type::boolean) {
            return RValue::of_tri(test(e, f));
        }
        if (e.op == Op::casei || e.op == Op::accenti) {
            const RValue text = eval(e.args[0], f);
            if (text.null()) {
                return text;
            }
            return RValue::of_string(e.op == Op::casei ? fold_case(text.text()) : strip_accents(text.text()));
        }
        return arithmetic(e.op, eval(e.args[0], f), eval(e.args[1], f));
    }

private:
    RValue interval(const Expr& e, const Feature& f) const {
        RValue result;
        result.tag = RValue::Tag::temporal;
        for (std::size_t i = 0; i < 2; ++i) {
            const Expr& end = e.args[i];
            if (end.interval_end == "..") {
                continue;  // the range's default ends are open, flagged neutral below
            }
            const RValue value = eval(end, f);
            if (value.null()) {
                return {};
            }
            if (i == 0) {
                result.range.begin = value.range.begin;
                result.range.begin_is_day = value.range.begin_is_day;
            } else {
                result.range.end = value.range.begin;
                result.range.end_is_day = value.range.begin_is_day;
            }
        }
        if (e.args[0].interval_end == "..") {
            result.range.begin_is_day = true;
        }
        if (e.args[1].interval_end == "..") {
            result.range.end_is_day = true;
        }
        return result;
    }

    static RValue arithmetic(Op op, const RValue& a, const RValue& b) {
        if (a.null() || b.null()) {
            return {};
        }
        if (a.integral && b.integral) {
            std::int64_t out = 0;
            switch (op) {
                case Op::add:
                    if (!__builtin_add_overflow(a.integer, b.integer, &out)) {
                        return RValue::of_int(out);
                    }
                    break;
                case Op::sub:
                    if (!__builtin_sub_overflow(a.integer, b.integer, &out)) {
                        return RValue::of_int(out);
                    }
                    break;
                case Op::mul:
                    if (!__builtin_mul_overflow(a.integer, b.integer, &out)) {
                        return RValue::of_int(out);
                    }
                    break;
                case Op::int_div:
                case Op::mod:
                    if (b.integer == 0) {
                        return {};
                    }
                    if (b.integer == -1 && a.integer == std::numeric_limits<std::int64_t>::min()) {
                        break;  // the one quotient that overflows
                    }
                    return RValue::of_int(op == Op::int_div ? a.integer / b.integer : a.integer % b.integer);
                default:
                    break;
            }
        }
        const double x = a.number;
        const double y = b.number;
        double out = 0;
        switch (op) {
            case Op::add:
                out = x + y;
                break;
            case Op::sub:
                out = x - y;
                break;
            case Op::mul:
                out = x * y;
                break;
            case Op::div:
                if (y == 0) {
                    return {};
                }
                out = x / y;
                break;
            case Op::int_div:
                if (y == 0) {
                    return {};
                }
                out = std::trunc(x / y);
                break;
            case Op::mod:
                if (y == 0) {
                    return {};
                }
                out = std::fmod(x, y);
                break;
            case Op::pow:
                out = std::pow(x, y);
                break;
            default:
                return {};
        }
        return std::isfinite(out) ? RValue::of_double(out) : RValue{};
    }

    const SpatialEngine& spatial_;
};

double area(const std::vector<Box>& boxes) {
    double total = 0;
    for (const Box& b : boxes) {
        total += (b.max_x - b.min_x) * (b.max_y - b.min_y);
    }
    return total;
}

// Boxes every feature matching `e` meets; nullopt when `e` implies none.
std::optional<std::vector<Box>> boxes_of(const Expr& e, const SpatialEngine& spatial) {
    if (e.code == Expr::Code::constant) {
        if (e.type == Type::boolean && (e.value.null() || !e.value.boolean)) {
            return std::vector<Box>{};  // matches nothing
        }
        return std::nullopt;
    }
    if (e.code != Expr::Code::call) {
        return std::nullopt;
    }
    if (is_spatial(e.op) && e.op != Op::s_disjoint) {
        for (std::size_t i = 0; i < 2; ++i) {
            const Expr& literal = e.args[i];
            const Expr& other = e.args[1 - i];
            if (literal.code == Expr::Code::constant && other.code == Expr::Code::geometry_field) {
                return spatial.literal_boxes(literal.value.geometry.literal);
            }
        }
        return std::nullopt;
    }
    if (e.op == Op::and_) {
        std::optional<std::vector<Box>> best;
        for (const Expr& arg : e.args) {
            auto boxes = boxes_of(arg, spatial);
            if (boxes && (!best || area(*boxes) < area(*best))) {
                best = std::move(boxes);
            }
        }
        return best;
    }
    if (e.op == Op::or_) {
        std::vector<Box> all;
        for (const Expr& arg : e.args) {
            auto boxes = boxes_of(arg, spatial);
            if (!boxes) {
                return std::nullopt;
            }
            all.insert(all.end(), boxes->begin(), boxes->end());
        }
        return all;
    }
    return std::nullopt;
}

// The edges of a box in a projected CRS, 32 points each, as a closed ring.
literal::Path densified_ring(double x0, double y0, double x1, double y1) {
    constexpr int steps = 32;
    literal::Path ring;
    const Coord corners[] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
    for (int edge = 0; edge < 4; ++edge) {
        for (int k = 0; k < steps; ++k) {
            const double t = static_cast<double>(k) / steps;
            ring.push_back({corners[edge].x + t * (corners[edge + 1].x - corners[edge].x),
                            corners[edge].y + t * (corners[edge + 1].y - corners[edge].y)});
        }
    }
    ring.push_back(ring.front());
    return ring;
}

class Binder {
public:
    Binder(const Expression& expression, const CollectionMeta& meta, const LiteralCrs& crs, SpatialEngine& spatial)
        : expression_(expression), meta_(meta), crs_(crs), spatial_(spatial) {}

    Expr bind_root() {
        Expr root = bind(expression_.root);
        if (root.type != Type::boolean) {
            fail(expression_.root, "a filter must be a condition (true or false), not " + type_name(root.type));
        }
        return root;
    }

private:
    [[noreturn]] void fail(const Node& node, const std::string& what) const {
        throw FilterError(expression_.locate(node) + ": " + what);
    }

    std::string queryables() const {
        std::string names = meta_.geometry_name;
        for (const FieldDef& field : meta_.fields) {
            names += ", " + field.name;
        }
        return names;
    }

    Expr bind(const Node& node) {
        Expr e;
        switch (node.kind) {
            case Kind::boolean:
                e.type = Type::boolean;
                e.value = RValue::of_bool(node.boolean);
                return e;
            case Kind::number:
                e.type = Type::number;
                e.value = node.integral ? RValue::of_int(node.integer) : RValue::of_double(node.number);
                return e;
            case Kind::string:
                e.type = Type::string;
                e.value = RValue::of_string(node.text);
                return e;
            case Kind::date:
            case Kind::timestamp:
                e.type = node.kind == Kind::date ? Type::date : Type::timestamp;
                e.value = RValue::of_instant(node.instant, node.kind == Kind::date);
                return e;
            case Kind::property:
                return property(node);
            case Kind::geometry:
                return geometry(node);
            case Kind::bbox:
                return bbox(node);
            case Kind::interval:
                return interval(node);
            case Kind::array:
                fail(node, "a list of values is allowed only after IN");
            case Kind::call:
                return call(node);
        }
        fail(node, "unexpected expression");
    }

    Expr property(const Node& node) {
        Expr e;
        for (std::size_t i = 0; i < meta_.fields.size(); ++i) {
            if (meta_.fields[i].name == node.text) {
                e.code = Expr::Code::field;
                e.field = i;
                switch (meta_.fields[i].type) {
                    case FieldType::string:
                        e.type = Type::string;
                        break;
                    case FieldType::integer:
                    case FieldType::real:
                        e.type = Type::number;
                        break;
                    case FieldType::boolean:
                        e.type = Type::boolean;
                        break;
                    case FieldType::date:
                        e.type = Type::date;
                        break;
                    case FieldType::datetime:
                        e.type = Type::timestamp;
                        break;
                }
                return e;
            }
        }
        if (node.text == meta_.geometry_name || node.text == "geometry") {
            e.code = Expr::Code::geometry_field;
            e.type = Type::geometry;
            return e;
        }
        fail(node, "'" + node.text + "' is not a queryable of collection '" + meta_.id +
                       "'; the queryables are: " + queryables());
    }

    void to_crs84(Geometry& g) const {
        if (crs_.to_crs84) {
            crs_.to_crs84(g.coords);
            orient_rings_rfc7946(g);
        }
    }

    Expr literal(const Node& node, std::vector<Geometry> parts, std::vector<Box> boxes) {
        Expr e;
        e.type = Type::geometry;
        e.value.tag = RValue::Tag::geometry;
        try {
            e.value.geometry.literal = spatial_.add_literal(std::move(parts), std::move(boxes));
        } catch (const std::invalid_argument& error) {
            fail(node, error.what());
        }
        return e;
    }

    Expr geometry(const Node& node) {
        std::vector<Geometry> parts = node.geometries;
        for (Geometry& part : parts) {
            to_crs84(part);
            for (const Coord& c : part.coords) {
                if (!std::isfinite(c.x) || !std::isfinite(c.y)) {
                    fail(node, "the geometry lies outside the area of the filter's CRS");
                }
            }
        }
        return literal(node, std::move(parts), {});
    }

    Expr bbox(const Node& node) {
        const auto& [x0, y0, x1, y1] = node.bbox;
        try {
            if (!crs_.to_crs84) {
                return literal(node, {}, literal::bbox_boxes(x0, y0, x1, y1));
            }
            if (crs_.geographic) {
                std::vector<Coord> corners{{x0, y0}, {x1, y1}};
                crs_.to_crs84(corners);
                return literal(node, {}, literal::bbox_boxes(corners[0].x, corners[0].y, corners[1].x, corners[1].y));
            }
            if (x0 > x1 || y0 > y1) {
                fail(node, "the BBOX's minimum exceeds its maximum");
            }
            Geometry polygon = literal::polygon({densified_ring(x0, y0, x1, y1)});
            to_crs84(polygon);
            return literal(node, {std::move(polygon)}, {});
        } catch (const std::invalid_argument& error) {
            fail(node, error.what());
        }
    }

    Expr interval(const Node& node) {
        Expr e;
        e.code = Expr::Code::interval;
        e.type = Type::interval;
        for (const Node& end : node.args) {
            Expr bound;
            if (end.kind == Kind::string) {
                if (end.text == "..") {
                    bound.interval_end = "..";
                } else {
                    auto parsed = parse_rfc3339(end.text);
                    if (!parsed) {
                        fail(end, "'" + end.text + "' is not a date, a timestamp or '..'");
                    }
                    bound.type = parsed->is_date ? Type::date : Type::timestamp;
                    bound.value = RValue::of_instant(parsed->span.begin, parsed->is_date);
                }
            } else {
                bound = bind(end);
                if (bound.type != Type::date && bound.type != Type::timestamp) {
                    fail(end, "an interval's ends are dates or timestamps, not " + type_name(bound.type));
                }
            }
            e.args.push_back(std::move(bound));
        }
        return e;
    }

    void expect_type(const Node& node, const Expr& e, Type wanted, std::string_view what) const {
        if (e.type != wanted) {
            fail(node, std::string(what) + " needs " + type_name(wanted) + " here, not " + type_name(e.type));
        }
    }

    void expect_comparable(const Node& node, const Expr& a, const Expr& b, std::string_view what) const {
        if (a.type == Type::geometry || a.type == Type::interval) {
            fail(node,
                 std::string(what) + " cannot order " + type_name(a.type) + " (use the spatial or temporal functions)");
        }
        if (a.type != b.type) {
            fail(node, std::string(what) + " cannot compare " + type_name(a.type) + " with " + type_name(b.type));
        }
    }

    Expr call(const Node& node) {
        if (node.op == Op::custom) {
            fail(node, "the function '" + node.text + "' is not supported; this server offers no custom functions");
        }
        if (is_array(node.op)) {
            fail(node, std::string(op_name(node.op)) +
                           " is not supported: array functions need array-valued queryables, which this server's "
                           "collections do not have");
        }
        Expr e;
        e.code = Expr::Code::call;
        e.op = node.op;
        const std::string name(op_name(node.op));
        if (node.op == Op::in) {
            e.args.push_back(bind(node.args[0]));
            for (const Node& item : node.args[1].args) {
                Expr bound = bind(item);
                expect_comparable(item, e.args[0], bound, "IN");
                e.args.push_back(std::move(bound));
            }
            e.type = Type::boolean;
            return fold(std::move(e));
        }
        for (const Node& arg : node.args) {
            e.args.push_back(bind(arg));
        }
        switch (node.op) {
            case Op::and_:
            case Op::or_:
            case Op::not_:
                for (std::size_t i = 0; i < e.args.size(); ++i) {
                    expect_type(node.args[i], e.args[i], Type::boolean, name);
                }
                e.type = Type::boolean;
                break;
            case Op::is_null:
                e.type = Type::boolean;
                break;
            case Op::like:
                expect_type(node.args[0], e.args[0], Type::string, "LIKE");
                expect_type(node.args[1], e.args[1], Type::string, "LIKE");
                e.type = Type::boolean;
                break;
            case Op::between:
                expect_comparable(node, e.args[0], e.args[1], "BETWEEN");
                expect_comparable(node, e.args[0], e.args[2], "BETWEEN");
                e.type = Type::boolean;
                break;
            case Op::casei:
            case Op::accenti:
                expect_type(node.args[0], e.args[0], Type::string, name);
                e.type = Type::string;
                break;
            default:
                if (is_comparison(node.op)) {
                    expect_comparable(node, e.args[0], e.args[1], "'" + name + "'");
                    e.type = Type::boolean;
                } else if (is_arithmetic(node.op)) {
                    expect_type(node.args[0], e.args[0], Type::number, "'" + name + "'");
                    expect_type(node.args[1], e.args[1], Type::number, "'" + name + "'");
                    e.type = Type::number;
                } else if (is_spatial(node.op)) {
                    expect_type(node.args[0], e.args[0], Type::geometry, name);
                    expect_type(node.args[1], e.args[1], Type::geometry, name);
                    e.type = Type::boolean;
                } else if (is_temporal(node.op)) {
                    for (std::size_t i = 0; i < 2; ++i) {
                        if (!temporal_type(e.args[i].type)) {
                            fail(node.args[i], name + " needs a date, a timestamp or an interval here, not " +
                                                   type_name(e.args[i].type));
                        }
                    }
                    e.type = Type::boolean;
                }
                break;
        }
        return fold(std::move(e));
    }

    // A call whose operands are all constants is evaluated once, now:
    // CASEI('Kiev') becomes 'kiev', 1+2 becomes 3.
    Expr fold(Expr e) const {
        for (const Expr& arg : e.args) {
            if (arg.code != Expr::Code::constant) {
                return e;
            }
        }
        const Feature nothing;
        Evaluator evaluator(spatial_);
        Expr folded;
        folded.type = e.type;
        folded.value = evaluator.eval(e, nothing);
        if (folded.value.tag == RValue::Tag::string && !folded.value.is_owned) {
            folded.value = RValue::of_string(std::string(folded.value.text()));
        }
        return folded;
    }

    const Expression& expression_;
    const CollectionMeta& meta_;
    const LiteralCrs& crs_;
    SpatialEngine& spatial_;
};

// S_INTERSECTS(geometry, polygon) for a bbox given in a projected CRS.
class PolygonIntersects : public FeaturePredicate {
public:
    explicit PolygonIntersects(const Geometry& polygon) : bounds_(polygon.bounds()) {
        literal_ = spatial_.add_literal({polygon});
    }
    bool matches(const Feature& feature) const override {
        if (feature.geometry.empty() || !feature.geometry.bounds().intersects(bounds_)) {
            return false;
        }
        return spatial_.relate(Op::s_intersects, {&feature.geometry, -1}, {nullptr, literal_});
    }
    std::optional<std::vector<Box>> implied_boxes() const override { return std::vector<Box>{bounds_}; }

private:
    SpatialEngine spatial_;
    Box bounds_;
    int literal_ = -1;
};

}  // namespace

struct Filter::Impl {
    SpatialEngine spatial;
    Expr root;
};

Filter::Filter(const Expression& expression, const CollectionMeta& meta, const LiteralCrs& crs)
    : impl_(std::make_unique<Impl>()) {
    impl_->root = Binder(expression, meta, crs, impl_->spatial).bind_root();
}

Filter::~Filter() = default;

bool Filter::matches(const Feature& feature) const {
    return Evaluator(impl_->spatial).test(impl_->root, feature) == Tri::yes;
}

std::optional<std::vector<Box>> Filter::implied_boxes() const {
    return boxes_of(impl_->root, impl_->spatial);
}

std::shared_ptr<const FeaturePredicate> intersects_polygon(const Geometry& crs84_polygon) {
    return std::make_shared<PolygonIntersects>(crs84_polygon);
}

}  // namespace regiomap::cql2
