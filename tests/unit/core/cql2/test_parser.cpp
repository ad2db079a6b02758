// The CQL2 readers against the standard's own examples (tests/fixtures/cql2,
// see its README): every cql2-text example parses, every cql2-json example
// parses, and the two encodings of one example give the same tree.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/cql2/parser.hpp"

namespace regiomap::cql2 {
namespace {

namespace fs = std::filesystem;

const fs::path kExamples = fs::path(REGIOMAP_FIXTURE_DIR) / "cql2" / "examples";

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::map<std::string, fs::path> files(const std::string& kind, const std::string& extension) {
    std::map<std::string, fs::path> found;
    for (const auto& entry : fs::directory_iterator(kExamples / kind)) {
        if (entry.path().extension() == extension) {
            found[entry.path().stem().string()] = entry.path();
        }
    }
    return found;
}

std::string text_tree(const std::string& source) {
    return to_sexpr(parse_text(source).root);
}

TEST(Cql2Examples, EveryTextExampleHasTheTreeOfItsJsonExample) {
    const auto texts = files("text", ".txt");
    const auto jsons = files("json", ".json");
    ASSERT_GE(texts.size(), 100u);
    std::size_t compared = 0;
    for (const auto& [name, path] : texts) {
        SCOPED_TRACE(name);
        std::string source = read(path);
        std::string tree;
        ASSERT_NO_THROW(tree = text_tree(source)) << source;
        // "example36-alt01" spells "example36" differently.
        const std::string base = name.substr(0, name.find("-alt"));
        auto json = jsons.find(base);
        ASSERT_NE(json, jsons.end()) << "no JSON example for " << name;
        std::string json_tree;
        ASSERT_NO_THROW(json_tree = to_sexpr(parse_json(read(json->second)).root));
        EXPECT_EQ(tree, json_tree) << source;
        ++compared;
    }
    EXPECT_EQ(compared, texts.size());
}

TEST(Cql2Examples, EveryJsonExampleParses) {
    for (const auto& [name, path] : files("json", ".json")) {
        SCOPED_TRACE(name);
        EXPECT_NO_THROW(parse_json(read(path)));
    }
}

TEST(Cql2Text, PrecedenceAndAssociativity) {
    EXPECT_EQ(text_tree("a = 1 OR b = 2 AND c = 3"),
              "(or (= (property \"a\") 1) (and (= (property \"b\") 2) (= (property \"c\") 3)))");
    EXPECT_EQ(text_tree("x = 10 - 2 - 3"), "(= (property \"x\") (- (- 10 2) 3))");
    EXPECT_EQ(text_tree("x = 2 * 3 ^ 2"), "(= (property \"x\") (* 2 (^ 3 2)))");
    EXPECT_EQ(text_tree("x = -y"), "(= (property \"x\") (* -1 (property \"y\")))");
    EXPECT_EQ(text_tree("x = -2.5"), "(= (property \"x\") -2.5)");
    EXPECT_EQ(text_tree("NOT NOT a"), "(not (not (property \"a\")))");
    EXPECT_EQ(text_tree("a IS NOT NULL"), "(not (isNull (property \"a\")))");
    EXPECT_EQ(text_tree("a BETWEEN 1 AND 2 AND b"), "(and (between (property \"a\") 1 2) (property \"b\"))");
}

TEST(Cql2Text, KeywordsIgnoreCaseButNamesKeepIt) {
    EXPECT_EQ(text_tree("Name like 'A%' and s_intersects(geom, bbox(0,0,1,1))"),
              text_tree("Name LIKE 'A%' AND S_INTERSECTS(geom, BBOX(0,0,1,1))"));
    EXPECT_NE(text_tree("Name = 1"), text_tree("name = 1"));
}

TEST(Cql2Text, LiteralsAndEscapes) {
    EXPECT_EQ(text_tree("a = 'it''s'"), "(= (property \"a\") 'it's')");
    EXPECT_EQ(text_tree("a = 'it\\'s'"), "(= (property \"a\") 'it's')");
    EXPECT_EQ(text_tree("名称 = '北辰'"), "(= (property \"名称\") '北辰')");
    EXPECT_EQ(text_tree("\"date\" = DATE('2020-02-29')"), "(= (property \"date\") (date 2020-02-29))");
    EXPECT_EQ(text_tree("a = 1."), "(= (property \"a\") 1)");
    EXPECT_EQ(text_tree("a = .5E1"), "(= (property \"a\") 5)");
    EXPECT_EQ(text_tree("S_INTERSECTS(g, MULTIPOINT(1 2, 3 4))"),
              text_tree("S_INTERSECTS(g, MULTIPOINT((1 2),(3 4)))"));
}

// The message names the character where parsing stopped and what it wanted.
std::string error_of(const std::string& source) {
    try {
        parse_text(source);
    } catch (const FilterError& error) {
        return error.what();
    }
    return "no error";
}

TEST(Cql2Text, ErrorsSayWhereAndWhat) {
    EXPECT_EQ(error_of("status = 'planned' AND"),
              "at character 23 (the end of the expression): expected a property, a literal or a function, found the "
              "end of the expression");
    EXPECT_EQ(error_of("a = 'open"), "at character 5 (''open'): this character literal has no closing quote (')");
    EXPECT_EQ(error_of("(a = 1"),
              "at character 7 (the end of the expression): expected ')', found the end of the expression");
    EXPECT_EQ(error_of("a = 1 b"), "at character 7 ('b'): expected AND, OR or the end of the expression, found 'b'");
    EXPECT_EQ(error_of("a BETWEEN 1 OR 2"),
              "at character 13 ('OR 2'): expected AND between the bounds of BETWEEN, found 'OR'");
    EXPECT_EQ(error_of("名称 = #"), "at character 6 ('#'): unexpected character '#'");
    EXPECT_EQ(error_of("d = DATE('2020-02-30')"),
              "at character 10 (''2020-02-30')'): '2020-02-30' is not a date (YYYY-MM-DD)");
    EXPECT_EQ(error_of(""), "at character 1 (the end of the expression): the filter is empty");
    EXPECT_EQ(error_of("S_INTERSECTS(g, POLYGON((0 0, 1 0, 1 1)))"),
              "at character 17 ('POLYGON((0 0, 1 0, 1 1))…'): invalid POLYGON: a polygon ring needs at least 4 "
              "positions (the first repeated at the end), not 3");
    EXPECT_EQ(error_of("S_INTERSECTS(g)"), "at character 1 ('S_INTERSECTS(g)'): S_INTERSECTS takes 2 arguments, not 1");
    EXPECT_EQ(
        error_of("a = BBOX(0, 1, 2)"),
        "at character 5 ('BBOX(0, 1, 2)'): BBOX takes 4 numbers (west, south, east, north) or 6 (with heights), not 3");
    EXPECT_EQ(error_of("AND = 1"),
              "at character 1 ('AND = 1'): expected a property, a literal or a function, found 'AND' (quote a "
              "property of that name: \"AND\")");
    EXPECT_EQ(error_of("a = '\xff'"), "at character 6 ('\xff''): the expression is not valid UTF-8");
}

TEST(Cql2Text, DeepNestingIsRefusedNotOverflowed) {
    std::string deep(10000, '(');
    deep += "a = 1";
    deep += std::string(10000, ')');
    EXPECT_NE(error_of(deep).find("nests deeper than"), std::string::npos);
    std::string minus(10000, '-');
    EXPECT_NE(error_of("a = " + minus + "1").find("nests deeper than"), std::string::npos);
    std::string nots;
    for (int i = 0; i < 10000; ++i) {
        nots += "NOT ";
    }
    EXPECT_NE(error_of(nots + "a").find("nests deeper than"), std::string::npos);
}

std::string json_error_of(const std::string& source) {
    try {
        parse_json(source);
    } catch (const FilterError& error) {
        return error.what();
    }
    return "no error";
}

TEST(Cql2Json, ErrorsNameTheJsonPointer) {
    EXPECT_EQ(json_error_of(R"({"op":"=","args":[{"property":"a"}]})"),
              "at JSON pointer /args: '=' takes 2 arguments, not 1");
    EXPECT_EQ(json_error_of(R"({"op":"and","args":[{"op":"=","args":[{"property":"a"},{"date":"2020-13-01"}]},true]})"),
              "at JSON pointer /args/0/args/1: '2020-13-01' is not a date (YYYY-MM-DD)");
    EXPECT_EQ(
        json_error_of(
            R"({"op":"s_intersects","args":[{"property":"g"},{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}]})"),
        "at JSON pointer /args/1: invalid Polygon: a polygon ring must end where it starts");
    EXPECT_EQ(json_error_of(R"({"op":"=","args":[1,2]} x)"),
              "not valid JSON at byte 25: The document root must not be followed by other values.");
    EXPECT_EQ(json_error_of("null"), "at the top level: null is not a CQL2 value");
    EXPECT_EQ(json_error_of(R"({"foo":1})"),
              "at the top level: expected an object with \"op\", \"property\", \"date\", \"timestamp\", \"interval\", "
              "\"bbox\" or a GeoJSON geometry");
}

TEST(Cql2Json, DeepNestingIsRefused) {
    std::string deep;
    for (int i = 0; i < 5000; ++i) {
        deep += R"({"op":"not","args":[)";
    }
    deep += "true";
    for (int i = 0; i < 5000; ++i) {
        deep += "]}";
    }
    EXPECT_NE(json_error_of(deep).find("nests deeper than"), std::string::npos);
}

}  // namespace
}  // namespace regiomap::cql2
