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

TEST(Collection, WithChangesReplacesAddsAndRemovesByIdKeepingOrder) {
    const Collection c = make_points();
    Feature moved;
    moved.id = 103;
    moved.geometry = point(10.0, 50.0);
    moved.properties = {Value{std::string("moved")}, Value{}};
    Feature added;
    added.id = 104;  // removed and given again: a replacement, in its place
    added.geometry = point(11.0, 50.0);
    added.properties = {Value{std::string("again")}, Value{}};
    Feature appended;
    appended.id = 200;
    appended.geometry = point(12.0, 50.0);
    appended.properties = {Value{std::string("new")}, Value{}};
    auto next = c.with_changes({appended, moved}, {105, 999});
    EXPECT_EQ(c.size(), 10u);  // the original is untouched
    ASSERT_EQ(next->size(), 10u);
    EXPECT_EQ(next->find(105), nullptr);
    EXPECT_EQ(next->find(103)->properties[0], Value{std::string("moved")});
    EXPECT_EQ(next->find(200)->properties[0], Value{std::string("new")});
    std::vector<std::int64_t> order;
    for (const Feature& f : next->features()) {
        order.push_back(f.id);
    }
    EXPECT_EQ(order, (std::vector<std::int64_t>{100, 101, 102, 103, 104, 106, 107, 108, 109, 200}));
    // Indexes are rebuilt: the moved point is found where it is now.
    ItemQuery q;
    q.boxes = {Box{9.5, 49.5, 10.5, 50.5}};
    EXPECT_EQ(ids(next->query(q)), (std::vector<std::int64_t>{103}));
    EXPECT_EQ(next->tile_layer().size(), 10u);
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
