// Binding and evaluating CQL2 filters over an in-memory collection: types,
// three-valued logic, the string, spatial and temporal functions, the
// errors a client sees, and the boxes that let the R-tree find candidates.
#include <gtest/gtest.h>

#include <atomic>

#include "core/cql2/filter.hpp"
#include "core/cql2/parser.hpp"
#include "core/cql2/temporal.hpp"
#include "core/cql2/text_match.hpp"
#include "core/item_query.hpp"

namespace regiomap::cql2 {
namespace {

Geometry point(double x, double y) {
    Geometry g;
    g.type = GeometryType::point;
    g.coords = {{x, y}};
    g.path_ends = {1};
    return g;
}

Geometry square(double x, double y, double size) {
    Geometry g;
    g.type = GeometryType::polygon;
    g.coords = {{x, y}, {x + size, y}, {x + size, y + size}, {x, y + size}, {x, y}};
    g.path_ends = {5};
    g.polygon_ends = {1};
    return g;
}

TimeMs at(const char* text) {
    return parse_rfc3339(text).value().span.begin;
}

// name, status, lanes, width, open, opened (date), checked (timestamp)
Collection make_collection() {
    CollectionMeta meta{"roads",
                        "Roads",
                        "",
                        {{"name", FieldType::string},
                         {"status", FieldType::string},
                         {"lanes", FieldType::integer},
                         {"width", FieldType::real},
                         {"open", FieldType::boolean},
                         {"opened", FieldType::date},
                         {"checked", FieldType::datetime}},
                        std::nullopt};
    meta.geometry_name = "geom";
    std::vector<Feature> features;
    auto add = [&](std::int64_t id, Geometry g, Value name, Value status, Value lanes, Value width, Value open,
                   Value opened, Value checked) {
        features.push_back({id, std::move(g), {name, status, lanes, width, open, opened, checked}});
    };
    const Value none = std::monostate{};
    add(1, point(117.1, 39.1), std::string("Jingjin Road"), std::string("planned"), std::int64_t{4}, 12.5, true,
        Date{days_from_civil(2020, 6, 1)}, DateTime{at("2020-06-01T08:00:00Z")});
    add(2, point(117.2, 39.2), std::string("København"), std::string("completed"), std::int64_t{2}, 7.0, false,
        Date{days_from_civil(2021, 1, 15)}, DateTime{at("2021-01-15T00:00:00Z")});
    add(3, square(117.0, 39.0, 0.5), std::string("Chișinău Park"), std::string("planned"), none, none, none, none,
        none);
    add(4, Geometry{}, std::string("no geometry"), none, std::int64_t{6}, 20.0, true, none, none);
    return Collection(std::move(meta), std::move(features));
}

const Collection& collection() {
    static const Collection made = make_collection();
    return made;
}

// The ids that match, in collection order.
std::vector<std::int64_t> ids(const std::string& text) {
    Filter filter(parse_text(text), collection().meta());
    std::vector<std::int64_t> out;
    for (const Feature& f : collection().features()) {
        if (filter.matches(f)) {
            out.push_back(f.id);
        }
    }
    return out;
}

using Ids = std::vector<std::int64_t>;

TEST(Cql2Filter, Comparisons) {
    EXPECT_EQ(ids("status = 'planned'"), (Ids{1, 3}));
    EXPECT_EQ(ids("status <> 'planned'"), (Ids{2}));  // null status: unknown, not a match
    EXPECT_EQ(ids("lanes >= 4"), (Ids{1, 4}));
    EXPECT_EQ(ids("width < 10"), (Ids{2}));
    EXPECT_EQ(ids("lanes = 4.0"), (Ids{1}));  // integer property, real literal
    EXPECT_EQ(ids("open = true"), (Ids{1, 4}));
    EXPECT_EQ(ids("open"), (Ids{1, 4}));
    EXPECT_EQ(ids("opened > DATE('2020-12-31')"), (Ids{2}));
    EXPECT_EQ(ids("checked <= TIMESTAMP('2020-06-01T08:00:00Z')"), (Ids{1}));
    EXPECT_EQ(ids("lanes * 2 + 1 = 9"), (Ids{1}));
    EXPECT_EQ(ids("lanes div 4 = 1 AND lanes % 4 = 0"), (Ids{1}));
    EXPECT_EQ(ids("lanes / 0 = 1 OR lanes / 0 <> 1"), (Ids{}));  // division by zero is null
    EXPECT_EQ(ids("width = lanes * 3.5"), (Ids{2}));
}

TEST(Cql2Filter, ThreeValuedLogic) {
    EXPECT_EQ(ids("NOT (lanes > 3)"), (Ids{2}));  // 3 has no lanes: unknown stays unknown
    EXPECT_EQ(ids("lanes > 3 OR status = 'planned'"), (Ids{1, 3, 4}));
    EXPECT_EQ(ids("lanes IS NULL"), (Ids{3}));
    EXPECT_EQ(ids("geom IS NULL"), (Ids{4}));
    EXPECT_EQ(ids("geometry IS NOT NULL"), (Ids{1, 2, 3}));
    EXPECT_EQ(ids("TRUE"), (Ids{1, 2, 3, 4}));
    EXPECT_EQ(ids("FALSE"), (Ids{}));
}

TEST(Cql2Filter, AdvancedComparison) {
    EXPECT_EQ(ids("name LIKE 'J%'"), (Ids{1}));
    EXPECT_EQ(ids("name LIKE '_benhavn'"), (Ids{}));
    EXPECT_EQ(ids("name LIKE 'K_benhavn'"), (Ids{2}));  // one character, two bytes
    EXPECT_EQ(ids("name NOT LIKE '%a%'"), (Ids{4}));
    EXPECT_EQ(ids("lanes BETWEEN 2 AND 4"), (Ids{1, 2}));
    EXPECT_EQ(ids("lanes NOT BETWEEN 2 AND 4"), (Ids{4}));
    EXPECT_EQ(ids("status IN ('completed', 'x')"), (Ids{2}));
    EXPECT_EQ(ids("status NOT IN ('completed')"), (Ids{1, 3}));
}

TEST(Cql2Filter, CaseAndAccentInsensitive) {
    EXPECT_EQ(ids("CASEI(name) = CASEI('KØBENHAVN')"), (Ids{2}));
    EXPECT_EQ(ids("ACCENTI(name) = ACCENTI('Chisinau Park')"), (Ids{3}));
    EXPECT_EQ(ids("ACCENTI(CASEI(name)) LIKE ACCENTI(CASEI('CHIS%'))"), (Ids{3}));
    EXPECT_EQ(fold_case("Straße"), "strasse");
    EXPECT_EQ(strip_accents("Chișinău débárquér"), "Chisinau debarquer");
}

TEST(LikePatterns, WildcardsEscapesAndCharacters) {
    EXPECT_TRUE(like("abc", "abc"));
    EXPECT_TRUE(like("abc", "%"));
    EXPECT_TRUE(like("", "%"));
    EXPECT_FALSE(like("", "_"));
    EXPECT_TRUE(like("a%c", "a\\%c"));
    EXPECT_FALSE(like("abc", "a\\%c"));
    EXPECT_TRUE(like("北辰区", "北_区"));
    EXPECT_TRUE(like("aXbXc", "%b%c"));
    EXPECT_FALSE(like("aXbXd", "%b%c"));
    // Many wildcards on a long text finish at once (no exponential backtracking).
    EXPECT_FALSE(like(std::string(5000, 'a'), "%a%a%a%a%a%a%a%a%a%a%b"));
}

TEST(Cql2Filter, SpatialFunctions) {
    EXPECT_EQ(ids("S_INTERSECTS(geom, BBOX(117.05, 39.05, 117.15, 39.15))"), (Ids{1, 3}));
    EXPECT_EQ(ids("S_INTERSECTS(geometry, POINT(117.2 39.2))"), (Ids{2, 3}));
    EXPECT_EQ(ids("S_WITHIN(geom, POLYGON((117.15 39.15, 117.25 39.15, 117.25 39.25, 117.15 39.25, 117.15 39.15)))"),
              (Ids{2}));
    EXPECT_EQ(ids("S_CONTAINS(geom, POINT(117.2 39.2))"), (Ids{2, 3}));  // a point contains itself
    EXPECT_EQ(ids("S_DISJOINT(geom, BBOX(117.15, 39.15, 117.25, 39.25))"), (Ids{1}));
    EXPECT_EQ(ids("S_TOUCHES(geom, LINESTRING(117.5 39.0, 117.5 39.5))"), (Ids{3}));
    EXPECT_EQ(ids("S_CROSSES(geom, LINESTRING(116.9 39.25, 117.6 39.25))"), (Ids{3}));
    EXPECT_EQ(ids("S_EQUALS(geom, POINT(117.1 39.1))"), (Ids{1}));
    EXPECT_EQ(ids("S_OVERLAPS(geom, BBOX(117.4, 39.4, 118, 40))"), (Ids{3}));
    // A box across the antimeridian is two boxes.
    EXPECT_EQ(ids("S_INTERSECTS(geom, BBOX(170, -90, 117.15, 90))"), (Ids{1, 3}));
}

TEST(Cql2Filter, TemporalFunctions) {
    EXPECT_EQ(ids("T_AFTER(opened, DATE('2020-06-01'))"), (Ids{2}));
    EXPECT_EQ(ids("T_EQUALS(opened, DATE('2020-06-01'))"), (Ids{1}));
    EXPECT_EQ(ids("T_INTERSECTS(opened, INTERVAL('2020-01-01', '2020-12-31'))"), (Ids{1}));
    EXPECT_EQ(ids("T_DURING(INTERVAL(opened, checked), INTERVAL('..', '2022-01-01T00:00:00Z'))"), (Ids{1, 2}));
    // A date compared with timestamps is its whole day.
    EXPECT_EQ(ids("T_INTERSECTS(opened, TIMESTAMP('2020-06-01T23:00:00Z'))"), (Ids{1}));
    EXPECT_EQ(ids("T_BEFORE(checked, TIMESTAMP('2021-01-01T00:00:00Z'))"), (Ids{1}));
}

TEST(TemporalRelations, AllenRelationsOnRanges) {
    const TimeRange a{10, 20, false, false};
    EXPECT_TRUE(temporal_relation(Op::t_meets, a, {20, 30, false, false}));
    EXPECT_TRUE(temporal_relation(Op::t_metby, a, {0, 10, false, false}));
    EXPECT_TRUE(temporal_relation(Op::t_overlaps, a, {15, 30, false, false}));
    EXPECT_TRUE(temporal_relation(Op::t_overlappedby, a, {5, 15, false, false}));
    EXPECT_TRUE(temporal_relation(Op::t_starts, a, {10, 30, false, false}));
    EXPECT_TRUE(temporal_relation(Op::t_startedby, a, {10, 15, false, false}));
    EXPECT_TRUE(temporal_relation(Op::t_finishes, a, {0, 20, false, false}));
    EXPECT_TRUE(temporal_relation(Op::t_finishedby, a, {15, 20, false, false}));
    EXPECT_TRUE(temporal_relation(Op::t_contains, a, {12, 18, false, false}));
    EXPECT_TRUE(temporal_relation(Op::t_during, a, {0, 30, false, false}));
    EXPECT_FALSE(temporal_relation(Op::t_during, a, {10, 30, false, false}));
    EXPECT_TRUE(temporal_relation(Op::t_disjoint, a, {21, 30, false, false}));
}

std::string bind_error(const std::string& text) {
    try {
        Filter filter(parse_text(text), collection().meta());
    } catch (const FilterError& error) {
        return error.what();
    }
    return "no error";
}

TEST(Cql2Filter, BindingErrorsNameThePlaceAndTheFix) {
    EXPECT_EQ(bind_error("colour = 'red'"),
              "at character 1 ('colour = 'red''): 'colour' is not a queryable of collection 'roads'; the queryables "
              "are: geom, name, status, lanes, width, open, opened, checked");
    EXPECT_EQ(bind_error("lanes = 'four'"),
              "at character 1 ('lanes = 'four''): '=' cannot compare a number with a string");
    EXPECT_EQ(bind_error("name LIKE 4"), "at character 11 ('4'): LIKE needs a string here, not a number");
    EXPECT_EQ(bind_error("avg(lanes) > 2"),
              "at character 1 ('avg(lanes) > 2'): the function 'avg' is not supported; this server offers no custom "
              "functions");
    EXPECT_EQ(bind_error("lanes + 1"),
              "at character 1 ('lanes + 1'): a filter must be a condition (true or false), not a number");
    EXPECT_EQ(bind_error("S_INTERSECTS(geom, name)"),
              "at character 20 ('name)'): s_intersects needs a geometry here, not a string");
    EXPECT_EQ(bind_error("A_CONTAINS(name, ('a'))").substr(0, 40), "at character 1 ('A_CONTAINS(name, ('a'))");
    EXPECT_EQ(bind_error("S_INTERSECTS(geom, POLYGON((0 0, 1 1, 1 0, 0 1, 0 0)))"),
              "at character 20 ('POLYGON((0 0, 1 1, 1 0, …'): the geometry is not valid (Self-intersection[0.5 0.5])");
    const std::string json_error = [] {
        try {
            Filter filter(parse_json(R"({"op":"and","args":[true,{"op":"=","args":[{"property":"x"},1]}]})"),
                          collection().meta());
        } catch (const FilterError& error) {
            return std::string(error.what());
        }
        return std::string("no error");
    }();
    EXPECT_EQ(json_error.substr(0, 62), "at JSON pointer /args/1/args/0: 'x' is not a queryable of coll");
}

std::optional<std::vector<Box>> boxes(const std::string& text) {
    return Filter(parse_text(text), collection().meta()).implied_boxes();
}

TEST(Cql2Filter, ImpliedBoxesForTheIndex) {
    auto one = boxes("status = 'planned' AND S_INTERSECTS(geom, BBOX(1, 2, 3, 4))");
    ASSERT_TRUE(one);
    ASSERT_EQ(one->size(), 1u);
    EXPECT_EQ((*one)[0].min_x, 1);
    EXPECT_EQ((*one)[0].max_y, 4);
    auto either = boxes("S_INTERSECTS(geom, BBOX(1, 2, 3, 4)) OR S_WITHIN(geom, POINT(5 6))");
    ASSERT_TRUE(either);
    EXPECT_EQ(either->size(), 2u);
    auto smaller = boxes("S_INTERSECTS(geom, BBOX(0, 0, 10, 10)) AND S_INTERSECTS(geom, BBOX(1, 1, 2, 2))");
    ASSERT_TRUE(smaller);
    EXPECT_EQ((*smaller)[0].max_x, 2);
    EXPECT_FALSE(boxes("status = 'planned'"));
    EXPECT_FALSE(boxes("S_INTERSECTS(geom, BBOX(1, 2, 3, 4)) OR status = 'planned'"));
    EXPECT_FALSE(boxes("NOT S_INTERSECTS(geom, BBOX(1, 2, 3, 4))"));
    EXPECT_FALSE(boxes("S_DISJOINT(geom, BBOX(1, 2, 3, 4))"));
    auto nothing = boxes("FALSE");
    ASSERT_TRUE(nothing);
    EXPECT_TRUE(nothing->empty());
}

// Counts how often the query evaluates the filter.
class Counting : public FeaturePredicate {
public:
    explicit Counting(std::shared_ptr<const FeaturePredicate> inner) : inner_(std::move(inner)) {}
    bool matches(const Feature& f) const override {
        ++calls;
        return inner_->matches(f);
    }
    std::optional<std::vector<Box>> implied_boxes() const override { return inner_->implied_boxes(); }
    mutable std::atomic<int> calls{0};

private:
    std::shared_ptr<const FeaturePredicate> inner_;
};

TEST(Cql2Query, ASpatialFilterReadsOnlyTheIndexCandidates) {
    CollectionMeta meta{"grid", "grid", "", {{"status", FieldType::string}}, std::nullopt};
    std::vector<Feature> features;
    for (int i = 0; i < 10000; ++i) {
        features.push_back({i + 1, point(i % 100, i / 100), {std::string(i % 2 ? "planned" : "completed")}});
    }
    Collection grid(meta, std::move(features));
    auto filter = std::make_shared<Counting>(std::make_shared<Filter>(
        parse_text("status = 'planned' AND S_INTERSECTS(geometry, BBOX(10.5, 20.5, 13.5, 22.5))"), grid.meta()));
    ItemQuery query;
    query.predicates.push_back(filter);
    query.limit = 100;
    QueryResult result = grid.query(query);
    // x 11..13 and y 21..22 in the box; "planned" where x is odd: 11 and 13 in both rows.
    EXPECT_EQ(result.number_matched, 4u);
    EXPECT_LE(filter->calls.load(), 64);  // the candidates of one R-tree search, never all 10 000
    for (const Feature* f : result.features) {
        EXPECT_EQ(std::get<std::string>(f->properties[0]), "planned");
    }
}

TEST(Cql2Query, SortIsStableAndPagesDoNotOverlap) {
    CollectionMeta meta{"s", "s", "", {{"group", FieldType::integer}, {"name", FieldType::string}}, std::nullopt};
    std::vector<Feature> features;
    for (int i = 0; i < 100; ++i) {
        Value name = i % 10 == 0 ? Value{std::monostate{}} : Value{std::string(1, static_cast<char>('a' + i % 7))};
        features.push_back({i + 1, point(0, 0), {std::int64_t{i % 3}, name}});
    }
    Collection c(meta, std::move(features));
    ItemQuery query;
    query.sort = {{0, true}, {1, false}};
    query.limit = 7;
    std::vector<std::int64_t> seen;
    for (query.offset = 0; query.offset < 100; query.offset += 7) {
        for (const Feature* f : c.query(query).features) {
            seen.push_back(f->id);
        }
    }
    ASSERT_EQ(seen.size(), 100u);
    std::vector<std::int64_t> sorted_ids = seen;
    std::sort(sorted_ids.begin(), sorted_ids.end());
    EXPECT_EQ(std::unique(sorted_ids.begin(), sorted_ids.end()), sorted_ids.end());  // no feature twice
    for (std::size_t i = 1; i < seen.size(); ++i) {
        const Feature& a = *c.find(seen[i - 1]);
        const Feature& b = *c.find(seen[i]);
        const auto ga = std::get<std::int64_t>(a.properties[0]);
        const auto gb = std::get<std::int64_t>(b.properties[0]);
        ASSERT_GE(ga, gb);  // descending group
        if (ga == gb) {
            const int order = compare_for_sort(a.properties[1], b.properties[1]);
            ASSERT_LE(order, 0);  // ascending name, nulls last
            if (order == 0) {
                EXPECT_LT(a.id, b.id);  // ties keep collection order
            }
        }
    }
}

}  // namespace
}  // namespace regiomap::cql2
