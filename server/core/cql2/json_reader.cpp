#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "core/cql2/geometry_literal.hpp"
#include "core/cql2/parser.hpp"

namespace regiomap::cql2 {

namespace {

using JsonValue = rapidjson::Value;

std::string kind_of(const JsonValue& v) {
    if (v.IsNull())
        return "null";
    if (v.IsBool())
        return "a boolean";
    if (v.IsNumber())
        return "a number";
    if (v.IsString())
        return "a string";
    if (v.IsArray())
        return "an array";
    return "an object";
}

class JsonReader {
public:
    Node read(const JsonValue& v, const std::string& pointer, int depth) {
        if (depth > kMaxDepth) {
            fail(pointer, "the expression nests deeper than " + std::to_string(kMaxDepth) + " levels");
        }
        Node node;
        node.pointer = pointer;
        if (v.IsBool()) {
            node.kind = Kind::boolean;
            node.boolean = v.GetBool();
        } else if (v.IsNumber()) {
            node.kind = Kind::number;
            node.number = v.GetDouble();
            if (v.IsInt64()) {
                node.integral = true;
                node.integer = v.GetInt64();
            }
        } else if (v.IsString()) {
            node.kind = Kind::string;
            node.text.assign(v.GetString(), v.GetStringLength());
        } else if (v.IsArray()) {
            node.kind = Kind::array;
            for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
                node.args.push_back(read(v[i], pointer + "/" + std::to_string(i), depth + 1));
            }
        } else if (v.IsObject()) {
            read_object(v, node, depth);
        } else {
            fail(pointer, "null is not a CQL2 value");
        }
        return node;
    }

private:
    [[noreturn]] void fail(const std::string& pointer, const std::string& what) const {
        throw FilterError("at " + (pointer.empty() ? std::string("the top level") : "JSON pointer " + pointer) + ": " +
                          what);
    }

    const JsonValue& member(const JsonValue& object, const char* name, const std::string& pointer) const {
        auto it = object.FindMember(name);
        if (it == object.MemberEnd()) {
            fail(pointer, std::string("expected a member \"") + name + "\"");
        }
        return it->value;
    }

    std::string string_member(const JsonValue& object, const char* name, const std::string& pointer) const {
        const JsonValue& value = member(object, name, pointer);
        if (!value.IsString()) {
            fail(pointer + "/" + name, "expected a string, found " + kind_of(value));
        }
        return std::string(value.GetString(), value.GetStringLength());
    }

    void read_object(const JsonValue& v, Node& node, int depth) {
        const std::string& pointer = node.pointer;
        if (v.HasMember("op")) {
            read_call(v, node, depth);
        } else if (v.HasMember("property")) {
            node.kind = Kind::property;
            node.text = string_member(v, "property", pointer);
            if (node.text.empty()) {
                fail(pointer + "/property", "a property name cannot be empty");
            }
        } else if (v.HasMember("date") || v.HasMember("timestamp")) {
            const bool is_date = v.HasMember("date");
            node.kind = is_date ? Kind::date : Kind::timestamp;
            node.text = string_member(v, is_date ? "date" : "timestamp", pointer);
            auto parsed = parse_rfc3339(node.text);
            if (!parsed || parsed->is_date != is_date) {
                fail(pointer, "'" + node.text + "' is not " +
                                  (is_date ? "a date (YYYY-MM-DD)" : "a timestamp (YYYY-MM-DDThh:mm:ss[.fff]Z)"));
            }
            node.instant = parsed->span.begin;
        } else if (v.HasMember("interval")) {
            const JsonValue& ends = member(v, "interval", pointer);
            if (!ends.IsArray() || ends.Size() != 2) {
                fail(pointer + "/interval", "an interval is an array of its two ends");
            }
            node.kind = Kind::interval;
            for (rapidjson::SizeType i = 0; i < 2; ++i) {
                const std::string end_pointer = pointer + "/interval/" + std::to_string(i);
                if (ends[i].IsString()) {
                    std::string text(ends[i].GetString(), ends[i].GetStringLength());
                    if (text != ".." && !parse_rfc3339(text)) {
                        fail(end_pointer, "'" + text + "' is not a date, a timestamp or '..'");
                    }
                }
                node.args.push_back(read(ends[i], end_pointer, depth + 1));
            }
        } else if (v.HasMember("bbox")) {
            const JsonValue& values = member(v, "bbox", pointer);
            if (!values.IsArray() || (values.Size() != 4 && values.Size() != 6)) {
                fail(pointer + "/bbox",
                     "a bbox is an array of 4 numbers (west, south, east, north) or 6 (with heights)");
            }
            std::vector<double> numbers;
            for (const JsonValue& value : values.GetArray()) {
                if (!value.IsNumber()) {
                    fail(pointer + "/bbox", "a bbox holds numbers only");
                }
                numbers.push_back(value.GetDouble());
            }
            const bool heights = numbers.size() == 6;
            node.kind = Kind::bbox;
            node.bbox = {numbers[0], numbers[1], numbers[heights ? 3 : 2], numbers[heights ? 4 : 3]};
            if (node.bbox[1] > node.bbox[3]) {
                fail(pointer + "/bbox", "the bbox's southern edge lies north of its northern edge");
            }
        } else if (v.HasMember("type")) {
            node.kind = Kind::geometry;
            const std::string type = string_member(v, "type", pointer);
            if (type == "GeometryCollection") {
                node.collection = true;
                const JsonValue& parts = member(v, "geometries", pointer);
                if (!parts.IsArray() || parts.Empty()) {
                    fail(pointer + "/geometries", "expected a non-empty array of geometries");
                }
                for (rapidjson::SizeType i = 0; i < parts.Size(); ++i) {
                    const std::string part_pointer = pointer + "/geometries/" + std::to_string(i);
                    if (!parts[i].IsObject() || !parts[i].HasMember("type")) {
                        fail(part_pointer, "expected a GeoJSON geometry");
                    }
                    const std::string part_type = string_member(parts[i], "type", part_pointer);
                    if (part_type == "GeometryCollection") {
                        fail(part_pointer, "a geometry collection cannot hold another collection");
                    }
                    node.geometries.push_back(geometry(parts[i], part_type, part_pointer));
                }
            } else {
                node.geometries.push_back(geometry(v, type, pointer));
            }
        } else {
            fail(pointer,
                 "expected an object with \"op\", \"property\", \"date\", \"timestamp\", \"interval\", \"bbox\" or a "
                 "GeoJSON geometry");
        }
    }

    void read_call(const JsonValue& v, Node& node, int depth) {
        const std::string& pointer = node.pointer;
        const std::string name = string_member(v, "op", pointer);
        node.kind = Kind::call;
        if (auto op = op_from_name(name)) {
            node.op = *op;
        } else {
            node.op = Op::custom;
            node.text = name;
        }
        auto args = v.FindMember("args");
        if (args == v.MemberEnd() || !args->value.IsArray()) {
            fail(pointer, "the operation '" + name + "' needs an \"args\" array");
        }
        for (rapidjson::SizeType i = 0; i < args->value.Size(); ++i) {
            node.args.push_back(read(args->value[i], pointer + "/args/" + std::to_string(i), depth + 1));
        }
        const std::size_t n = node.args.size();
        std::size_t wanted = 2;
        bool at_least = false;
        switch (node.op) {
            case Op::and_:
            case Op::or_:
                at_least = true;
                break;
            case Op::not_:
            case Op::is_null:
            case Op::casei:
            case Op::accenti:
                wanted = 1;
                break;
            case Op::between:
                wanted = 3;
                break;
            case Op::custom:
                wanted = n;
                break;
            default:
                break;
        }
        if (at_least ? n < wanted : n != wanted) {
            fail(pointer + "/args", "'" + name + "' takes " + (at_least ? "at least " : "") + std::to_string(wanted) +
                                        " argument" + (wanted == 1 ? "" : "s") + ", not " + std::to_string(n));
        }
        if (node.op == Op::in && node.args[1].kind != Kind::array) {
            fail(pointer + "/args/1", "the second argument of 'in' is the array of values");
        }
    }

    Coord position(const JsonValue& v, const std::string& pointer) const {
        if (!v.IsArray() || v.Size() < 2 || v.Size() > 3 || !v[0].IsNumber() || !v[1].IsNumber()) {
            fail(pointer, "a position is an array of 2 or 3 numbers");
        }
        return {v[0].GetDouble(), v[1].GetDouble()};
    }

    literal::Path positions(const JsonValue& v, const std::string& pointer) const {
        if (!v.IsArray()) {
            fail(pointer, "expected an array of positions");
        }
        literal::Path path;
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
            path.push_back(position(v[i], pointer + "/" + std::to_string(i)));
        }
        return path;
    }

    literal::Rings rings(const JsonValue& v, const std::string& pointer) const {
        if (!v.IsArray()) {
            fail(pointer, "expected an array of rings");
        }
        literal::Rings result;
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
            result.push_back(positions(v[i], pointer + "/" + std::to_string(i)));
        }
        return result;
    }

    Geometry geometry(const JsonValue& v, const std::string& type, const std::string& pointer) const {
        const std::string at = pointer + "/coordinates";
        const JsonValue& c = member(v, "coordinates", pointer);
        try {
            if (type == "Point") {
                return literal::point(position(c, at));
            }
            if (type == "LineString") {
                return literal::line_string(positions(c, at));
            }
            if (type == "Polygon") {
                return literal::polygon(rings(c, at));
            }
            if (type == "MultiPoint") {
                return literal::multi_point(positions(c, at));
            }
            if (!c.IsArray()) {
                fail(at, "expected an array");
            }
            if (type == "MultiLineString") {
                std::vector<literal::Path> lines;
                for (rapidjson::SizeType i = 0; i < c.Size(); ++i) {
                    lines.push_back(positions(c[i], at + "/" + std::to_string(i)));
                }
                return literal::multi_line_string(lines);
            }
            if (type == "MultiPolygon") {
                std::vector<literal::Rings> polygons;
                for (rapidjson::SizeType i = 0; i < c.Size(); ++i) {
                    polygons.push_back(rings(c[i], at + "/" + std::to_string(i)));
                }
                return literal::multi_polygon(polygons);
            }
        } catch (const std::invalid_argument& error) {
            fail(pointer, "invalid " + type + ": " + error.what());
        }
        fail(pointer + "/type", "'" + type +
                                    "' is not a GeoJSON geometry type (Point, LineString, Polygon, MultiPoint, "
                                    "MultiLineString, MultiPolygon, GeometryCollection)");
    }
};

}  // namespace

Expression parse_json(std::string_view json) {
    Expression expression;
    expression.language = Language::json;
    expression.source = std::string(json);
    rapidjson::Document document;
    // Iterative: a deeply nested document cannot exhaust the stack.
    document.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag |
                   rapidjson::kParseValidateEncodingFlag>(expression.source.data(), expression.source.size());
    if (document.HasParseError()) {
        throw FilterError("not valid JSON at byte " + std::to_string(document.GetErrorOffset() + 1) + ": " +
                          rapidjson::GetParseError_En(document.GetParseError()));
    }
    expression.root = JsonReader().read(document, "", 0);
    return expression;
}

}  // namespace regiomap::cql2
