#include <gtest/gtest.h>

#include "api/ogc_params.hpp"
#include "core/error.hpp"

namespace regiomap::api {
namespace {

Collection roads() {
    CollectionMeta meta{"roads",
                        "Roads",
                        "",
                        {{"status", FieldType::string},
                         {"lanes", FieldType::integer},
                         {"opened", FieldType::date},
                         {"limit", FieldType::string}},
                        {}};
    return Collection(meta, {});
}

ItemQuery parse(const QueryParams& params) {
    static const Collection collection = roads();
    return parse_items_query(collection, params);
}

void expect_bad(const QueryParams& params, const std::string& fragment) {
    try {
        parse(params);
        ADD_FAILURE() << "accepted " << format_query(params);
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::bad_request);
        EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos)
            << error.what() << " should mention " << fragment;
    }
}

TEST(OgcParams, Defaults) {
    ItemQuery q = parse({});
    EXPECT_EQ(q.limit, 10u);
    EXPECT_EQ(q.offset, 0u);
    EXPECT_TRUE(q.boxes.empty());
}

TEST(OgcParams, LimitIsClampedNotRejectedWhenLarge) {
    EXPECT_EQ(parse({{"limit", "10000"}}).limit, 10000u);
    EXPECT_EQ(parse({{"limit", "10001"}}).limit, 10000u);
    EXPECT_EQ(parse({{"limit", "99999999999999999999999"}}).limit, 10000u);
}

TEST(OgcParams, BadLimits) {
    for (const char* bad : {"0", "-1", "unlimited", "", "1.5", "1e3", " 5"}) {
        expect_bad({{"limit", bad}}, "limit");
    }
}

TEST(OgcParams, BadOffsets) {
    expect_bad({{"offset", "-1"}}, "offset");
    expect_bad({{"offset", "x"}}, "offset");
}

TEST(OgcParams, BboxFourAndSixNumbers) {
    ItemQuery q = parse({{"bbox", "117,39,117.5,39.5"}});
    ASSERT_EQ(q.boxes.size(), 1u);
    EXPECT_EQ(q.boxes[0].max_x, 117.5);
    ItemQuery q6 = parse({{"bbox", "117,39,-10,117.5,39.5,100"}});
    ASSERT_EQ(q6.boxes.size(), 1u);
    EXPECT_EQ(q6.boxes[0].max_y, 39.5);
    // The OGC suite formats with Java's DecimalFormat: no leading zero.
    EXPECT_EQ(parse({{"bbox", "-.5000000,.2500000,1.5,2"}}).boxes[0].min_x, -0.5);
}

TEST(OgcParams, BboxAcrossTheAntimeridianIsTwoBoxes) {
    ItemQuery q = parse({{"bbox", "177,65,-177,70"}});
    ASSERT_EQ(q.boxes.size(), 2u);
    EXPECT_EQ(q.boxes[0].min_x, 177);
    EXPECT_EQ(q.boxes[0].max_x, 180);
    EXPECT_EQ(q.boxes[1].min_x, -180);
    EXPECT_EQ(q.boxes[1].max_x, -177);
}

TEST(OgcParams, BadBoxes) {
    expect_bad({{"bbox", "1,2,3"}}, "3 numbers");
    expect_bad({{"bbox", "1,2,3,4,5"}}, "5 numbers");
    expect_bad({{"bbox", "0,0,1,91"}}, "latitude");
    expect_bad({{"bbox", "0,0,181,1"}}, "longitude");
    expect_bad({{"bbox", "0,10,1,5"}}, "southern edge");
    expect_bad({{"bbox", "nan,0,1,1"}}, "nan");
    expect_bad({{"bbox", "inf,0,1,1"}}, "inf");
    expect_bad({{"bbox", "1e400,0,1,1"}}, "1e400");
    expect_bad({{"bbox", "1,,2,3"}}, "bbox");
    expect_bad({{"bbox", "a,b,c,d"}}, "bbox");
}

TEST(OgcParams, PropertyFiltersAreTyped) {
    ItemQuery q = parse({{"status", "completed"}, {"lanes", "4"}, {"opened", "2020-06-10"}});
    ASSERT_EQ(q.properties.size(), 3u);
    EXPECT_EQ(std::get<std::int64_t>(q.properties[1].value), 4);
    expect_bad({{"lanes", "four"}}, "lanes");
    expect_bad({{"opened", "June"}}, "opened");
}

TEST(OgcParams, ReservedNamesWinOverPropertyNames) {
    ItemQuery q = parse({{"limit", "3"}});
    EXPECT_EQ(q.limit, 3u);
    EXPECT_TRUE(q.properties.empty());
}

TEST(OgcParams, UnknownParametersAreNamed) {
    expect_bad({{"colour", "red"}}, "'colour'");
}

TEST(OgcParams, RepeatsMustAgree) {
    EXPECT_EQ(parse({{"limit", "5"}, {"limit", "5"}}).limit, 5u);
    expect_bad({{"limit", "5"}, {"limit", "6"}}, "more than once");
}

TEST(OgcParams, Format) {
    EXPECT_EQ(parse_format({{"f", "json"}}, true), Format::json);
    EXPECT_EQ(parse_format({}, true), Format::geojson);
    EXPECT_THROW(parse_format({{"f", "html"}}, true), Error);
    EXPECT_THROW(parse_format({{"f", "geojson"}}, false), Error);
}

TEST(OgcParams, DatetimeOnACollectionWithADateField) {
    ItemQuery q = parse({{"datetime", "2020-01-01/.."}});
    ASSERT_TRUE(q.datetime);
    expect_bad({{"datetime", "soon"}}, "datetime");
}

}  // namespace
}  // namespace regiomap::api
