#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/feature_store.hpp"
#include "regiomap_testing/store_builder.hpp"

namespace regiomap {
namespace {

using testing::point;

// Ten points along a line of longitude, every other one "completed", with
// one date each in January 2020; feature ids are 100, 101, …
Collection make_points() {
    CollectionMeta meta{"points", "Points", "", {{"status", FieldType::string}, {"opened", FieldType::date}}, {}};
    std::vector<Feature> features;
    for (int i = 0; i < 10; ++i) {
        Feature f;
        f.id = 100 + i;
        f.geometry = point(117.0 + i * 0.1, 39.0);
        f.properties = {Value{std::string(i % 2 ? "completed" : "planned")},
                        Value{Date{days_from_civil(2020, 1, static_cast<unsigned>(i + 1))}}};
        features.push_back(std::move(f));
    }
    return Collection(meta, std::move(features));
}

std::vector<std::int64_t> ids(const QueryResult& result) {
    std::vector<std::int64_t> out;
    for (const Feature* f : result.features) {
        out.push_back(f->id);
    }
    return out;
}

TEST(Collection, PagesInCollectionOrder) {
    Collection c = make_points();
    ItemQuery q;
    q.limit = 4;
    q.offset = 8;
    QueryResult r = c.query(q);
    EXPECT_EQ(r.number_matched, 10u);
    EXPECT_EQ(ids(r), (std::vector<std::int64_t>{108, 109}));
}

TEST(Collection, FiltersByBoxExactly) {
    Collection c = make_points();
    ItemQuery q;
    q.limit = 100;
    q.boxes = {Box{117.15, 38.9, 117.45, 39.1}};
    EXPECT_EQ(ids(c.query(q)), (std::vector<std::int64_t>{102, 103, 104}));
}

TEST(Collection, TwoBoxesDoNotCountAFeatureTwice) {
    Collection c = make_points();
    ItemQuery q;
    q.limit = 100;
    q.boxes = {Box{117.0, 38.9, 117.25, 39.1}, Box{117.15, 38.9, 117.35, 39.1}};
    QueryResult r = c.query(q);
    EXPECT_EQ(r.number_matched, 4u);
    EXPECT_EQ(ids(r), (std::vector<std::int64_t>{100, 101, 102, 103}));
}

TEST(Collection, FiltersByPropertyAndTime) {
    Collection c = make_points();
    ItemQuery q;
    q.limit = 100;
    q.properties = {{0, Value{std::string("completed")}}};
    q.datetime = parse_datetime_parameter("2020-01-03/2020-01-06");
    EXPECT_EQ(ids(c.query(q)), (std::vector<std::int64_t>{103, 105}));
}

TEST(Collection, DatetimeOnACollectionWithoutADateFieldFiltersNothing) {
    // One rule for core and API (docs/ARCHITECTURE.md): no time to filter
    // on means every feature passes, as pygeoapi and GeoServer do.
    CollectionMeta meta{"undated", "Undated", "", {{"status", FieldType::string}}, {}};
    std::vector<Feature> features;
    for (int i = 0; i < 3; ++i) {
        Feature f;
        f.id = i + 1;
        f.geometry = point(117.0 + i, 39.0);
        f.properties = {Value{std::string("planned")}};
        features.push_back(std::move(f));
    }
    Collection c(meta, std::move(features));
    ItemQuery q;
    q.limit = 100;
    q.datetime = parse_datetime_parameter("2020-01-03/2020-01-06");
    EXPECT_EQ(ids(c.query(q)), (std::vector<std::int64_t>{1, 2, 3}));
}

TEST(Collection, KnowsItsExtents) {
    Collection c = make_points();
    EXPECT_DOUBLE_EQ(c.extent().min_x, 117.0);
    EXPECT_NEAR(c.extent().max_x, 117.9, 1e-12);
    ASSERT_TRUE(c.temporal_extent());
    EXPECT_EQ(format_date(static_cast<std::int32_t>(c.temporal_extent()->begin / kDayMs)), "2020-01-01");
    EXPECT_EQ(c.temporal_field(), 1u);
}

TEST(Collection, FindsFeaturesById) {
    Collection c = make_points();
    ASSERT_NE(c.find(105), nullptr);
    EXPECT_EQ(c.find(105)->id, 105);
    EXPECT_EQ(c.find(99), nullptr);
    EXPECT_EQ(c.find(110), nullptr);
}

TEST(Collection, OffsetBeyondTheEndGivesAnEmptyPage) {
    Collection c = make_points();
    ItemQuery q;
    q.offset = std::numeric_limits<std::size_t>::max();
    QueryResult r = c.query(q);
    EXPECT_EQ(r.number_matched, 10u);
    EXPECT_TRUE(r.features.empty());
}

// Two features under one id would leave one unreachable: a store that is
// handed such features refuses them rather than serve them.
TEST(Collection, RefusesTwoFeaturesUnderOneId) {
    std::vector<Feature> features(3);
    features[0].id = 5;
    features[1].id = 6;
    features[2].id = 5;
    for (Feature& f : features) {
        f.geometry = point(117, 39);
    }
    try {
        Collection c(CollectionMeta{"twins", "Twins", "", {}, {}}, std::move(features));
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::internal);
        EXPECT_STREQ(error.what(), "collection twins: feature id 5 used twice");
    }
}

Feature point_feature(std::int64_t id, double lon, double lat, const std::string& status) {
    Feature f;
    f.id = id;
    f.geometry = point(lon, lat);
    f.properties = {Value{status}, Value{}};
    return f;
}

std::vector<std::int64_t> order_of(const Collection& c) {
    std::vector<std::int64_t> order;
    c.for_each([&](const Feature& f) { order.push_back(f.id); });
    return order;
}

TEST(Collection, WithChangesIsAnOverlayOnTheSharedBase) {
    const Collection c = make_points();
    auto next =
        c.with_changes({point_feature(200, 12.0, 50.0, "new"), point_feature(103, 10.0, 50.0, "moved")}, {105, 999});
    EXPECT_EQ(c.size(), 10u);  // the original is untouched
    EXPECT_TRUE(next->has_overlay());
    EXPECT_EQ(&next->features(), &c.features()) << "the base is shared, not copied";
    ASSERT_EQ(next->size(), 10u);
    EXPECT_EQ(next->find(105), nullptr);
    EXPECT_EQ(next->find(103)->properties[0], Value{std::string("moved")});
    EXPECT_EQ(next->find(200)->properties[0], Value{std::string("new")});
    // Changed features follow the base until the next compaction.
    EXPECT_EQ(order_of(*next), (std::vector<std::int64_t>{100, 101, 102, 104, 106, 107, 108, 109, 200, 103}));
    // Queries see the overlay and not what it hides: the moved point is
    // found where it is now, not where it was.
    ItemQuery q;
    q.boxes = {Box{9.5, 49.5, 10.5, 50.5}};
    EXPECT_EQ(ids(next->query(q)), (std::vector<std::int64_t>{103}));
    q.boxes = {Box{117.25, 38.9, 117.35, 39.1}};  // where 103 was
    EXPECT_EQ(ids(next->query(q)), (std::vector<std::int64_t>{}));
    ItemQuery all;
    all.limit = 100;
    all.properties = {{0, Value{std::string("planned")}}};
    EXPECT_EQ(ids(next->query(all)), (std::vector<std::int64_t>{100, 102, 104, 106, 108}));
    all.properties.clear();
    all.sort = {SortKey{std::nullopt, true}};
    EXPECT_EQ(next->query(all).number_matched, 10u);
    EXPECT_EQ(ids(next->query(all)).front(), 200);

    // A second change replaces an overlay feature and hides another base one.
    auto third = next->with_changes({point_feature(103, 11.0, 50.0, "moved again")}, {100});
    EXPECT_EQ(third->find(103)->properties[0], Value{std::string("moved again")});
    EXPECT_EQ(third->find(100), nullptr);
    EXPECT_EQ(third->size(), 9u);
    // Compacted: the same features, a replaced one in its base place, new
    // ones in id order; no overlay left.
    auto compact = third->compacted();
    EXPECT_FALSE(compact->has_overlay());
    EXPECT_EQ(order_of(*compact), (std::vector<std::int64_t>{101, 102, 103, 104, 106, 107, 108, 109, 200}));
    EXPECT_EQ(compact->find(103)->properties[0], Value{std::string("moved again")});
}

TEST(Collection, AnOverlayPastItsBoundIsCompacted) {
    const Collection c = make_points();
    std::vector<Feature> many;
    for (std::size_t i = 0; i <= Collection::kMaxOverlay; ++i) {
        many.push_back(point_feature(1000 + static_cast<std::int64_t>(i), 100.0, 10.0, "planned"));
    }
    auto next = c.with_changes(std::move(many), {});
    EXPECT_FALSE(next->has_overlay());
    EXPECT_EQ(next->size(), 10 + Collection::kMaxOverlay + 1);
}

TEST(FeatureStore, WithCollectionSharesTheOthers) {
    testing::StoreBuilder builder;
    builder.collection("a", {{"name", FieldType::string}}, "A").add(testing::feature(1, point(117, 39), {Value{"x"}}));
    builder.collection("b", {{"name", FieldType::string}}, "B").add(testing::feature(2, point(118, 39), {Value{"y"}}));
    auto store = builder.store();
    auto replacement = store->find("a")->with_changes({}, {1});
    auto next = store->with_collection(replacement);
    EXPECT_EQ(next->find("a")->size(), 0u);
    EXPECT_EQ(next->collections()[1].get(), store->collections()[1].get());  // shared, not copied
    EXPECT_EQ(store->find("a")->size(), 1u);
    CollectionMeta unknown;
    unknown.id = "zzz";
    EXPECT_THROW(next->with_collection(std::make_shared<const Collection>(unknown, std::vector<Feature>{})), Error);
}

}  // namespace
}  // namespace regiomap
