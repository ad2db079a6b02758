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

const Collection& collection() {
    static const Collection made = roads();
    return made;
}

ItemQuery parse(const QueryParams& params) {
    static const crs::Catalog catalog;
    return parse_items_query(collection(), params, catalog);
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

TEST(OgcParams, FilterIsBoundToTheCollection) {
    ItemQuery q = parse({{"filter", "status = 'planned' AND lanes > 2"}});
    ASSERT_EQ(q.predicates.size(), 1u);
    Feature planned{1, Geometry{}, {std::string("planned"), std::int64_t{4}, std::monostate{}, std::monostate{}}};
    Feature narrow{2, Geometry{}, {std::string("planned"), std::int64_t{1}, std::monostate{}, std::monostate{}}};
    EXPECT_TRUE(q.predicates[0]->matches(planned));
    EXPECT_FALSE(q.predicates[0]->matches(narrow));
    q = parse({{"filter", R"({"op":"=","args":[{"property":"status"},"planned"]})"}, {"filter-lang", "cql2-json"}});
    EXPECT_TRUE(q.predicates[0]->matches(planned));
}

TEST(OgcParams, FilterErrorsNameTheParameterAndThePosition) {
    expect_bad({{"filter", "status = "}}, "invalid parameter 'filter': at character 10");
    expect_bad({{"filter", "colour = 'red'"}}, "the queryables are: geometry, status, lanes, opened, limit");
    expect_bad({{"filter", "status = 1"}, {"filter-lang", "cql-text"}}, "'cql-text' is not supported");
    expect_bad({{"filter-lang", "cql2-text"}}, "given without a 'filter'");
    expect_bad({{"filter", "TRUE"}, {"filter-crs", "EPSG:4326"}}, "is not a supported CRS; use one of: http");
}

TEST(OgcParams, SortbyKeysAndErrors) {
    ItemQuery q = parse({{"sortby", "-lanes, status,id"}});  // ' ' is a '+' that was not percent-encoded
    ASSERT_EQ(q.sort.size(), 3u);
    EXPECT_EQ(q.sort[0].field, 1u);
    EXPECT_TRUE(q.sort[0].descending);
    EXPECT_EQ(q.sort[1].field, 0u);
    EXPECT_FALSE(q.sort[1].descending);
    EXPECT_FALSE(q.sort[2].field);
    expect_bad({{"sortby", "colour"}}, "sort by one of: id, status, lanes, opened, limit");
}

TEST(OgcParams, OutputCrsPropertiesAndSkipGeometry) {
    FeatureOutput output = parse_feature_output(collection(), {{"crs", "http://www.opengis.net/def/crs/EPSG/0/4548"},
                                                               {"properties", "lanes,status,lanes"},
                                                               {"skipGeometry", "true"}});
    EXPECT_EQ(output.crs->proj_id, "EPSG:4548");
    EXPECT_EQ(output.properties, (std::vector<std::size_t>{1, 0}));
    EXPECT_TRUE(output.skip_geometry);
    EXPECT_EQ(parse_feature_output(collection(), {{"properties", ""}}).properties, std::vector<std::size_t>{});
    expect_bad({{"properties", "status,colour"}},
               "'colour' is not a property of this collection; choose from: status, lanes, opened, limit");
    expect_bad({{"skipGeometry", "yes"}}, "'yes' is not 'true' or 'false'");
    expect_bad({{"crs", "EPSG:4326"}}, "'EPSG:4326' is not a supported CRS");
}

TEST(OgcParams, BboxInAnotherCrs) {
    // EPSG:4326 is latitude first: the same box as CRS84 117,39,118,40.
    ItemQuery q = parse({{"bbox", "39,117,40,118"}, {"bbox-crs", "http://www.opengis.net/def/crs/EPSG/0/4326"}});
    ASSERT_EQ(q.boxes.size(), 1u);
    EXPECT_NEAR(q.boxes[0].min_x, 117, 1e-12);
    EXPECT_NEAR(q.boxes[0].min_y, 39, 1e-12);
    EXPECT_NEAR(q.boxes[0].max_x, 118, 1e-12);
    EXPECT_NEAR(q.boxes[0].max_y, 40, 1e-12);
    // A projected CRS's box becomes a polygon the features must meet.
    q = parse({{"bbox", "4340000,510000,4350000,520000"}, {"bbox-crs", "http://www.opengis.net/def/crs/EPSG/0/4548"}});
    EXPECT_TRUE(q.boxes.empty());
    ASSERT_EQ(q.predicates.size(), 1u);
    auto boxes = q.predicates[0]->implied_boxes();
    ASSERT_TRUE(boxes);
    EXPECT_NEAR((*boxes)[0].min_x, 117.11, 0.01);  // easting 510 km is 10 km east of the 117E meridian
    EXPECT_NEAR((*boxes)[0].min_y, 39.19, 0.01);
    expect_bad({{"bbox", "4350000,510000,4340000,520000"}, {"bbox-crs", "http://www.opengis.net/def/crs/EPSG/0/4548"}},
               "lower corner");
}

}  // namespace
}  // namespace regiomap::api
