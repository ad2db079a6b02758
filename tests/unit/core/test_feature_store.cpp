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

}  // namespace
}  // namespace regiomap
