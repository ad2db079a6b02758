#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/geojson_writer.hpp"

namespace regiomap {
namespace {

nlohmann::json written(const CollectionMeta& meta, const Feature& feature) {
    JsonBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    write_feature_members(writer, meta, feature);
    writer.EndObject();
    return nlohmann::json::parse(std::string(buffer.GetString(), buffer.GetSize()));
}

TEST(GeoJsonWriter, WritesTypedPropertiesAndNull) {
    CollectionMeta meta{"c",
                        "c",
                        "",
                        {{"name", FieldType::string},
                         {"n", FieldType::integer},
                         {"x", FieldType::real},
                         {"ok", FieldType::boolean},
                         {"day", FieldType::date},
                         {"at", FieldType::datetime},
                         {"none", FieldType::string}},
                        {}};
    Feature f;
    f.id = 7;
    f.properties = {Value{std::string("北辰 \"quoted\"")},     Value{std::int64_t{-3}},        Value{0.1}, Value{true},
                    Value{Date{days_from_civil(2020, 6, 10)}}, Value{DateTime{1591776000000}}, Value{}};
    auto json = written(meta, f);
    EXPECT_EQ(json["type"], "Feature");
    EXPECT_EQ(json["id"], 7);
    EXPECT_TRUE(json["geometry"].is_null());
    EXPECT_EQ(json["properties"]["name"], "北辰 \"quoted\"");
    EXPECT_EQ(json["properties"]["n"], -3);
    EXPECT_EQ(json["properties"]["x"].get<double>(), 0.1);  // shortest round-trip
    EXPECT_EQ(json["properties"]["ok"], true);
    EXPECT_EQ(json["properties"]["day"], "2020-06-10");
    EXPECT_EQ(json["properties"]["at"], "2020-06-10T08:00:00Z");
    EXPECT_TRUE(json["properties"]["none"].is_null());
}

TEST(GeoJsonWriter, WritesMultiPolygonsRingByRing) {
    Geometry g;
    g.type = GeometryType::multi_polygon;
    g.coords = {{0, 0}, {1, 0}, {1, 1}, {0, 0}, {2, 2}, {3, 2}, {3, 3}, {2, 2}};
    g.path_ends = {4, 8};
    g.polygon_ends = {1, 2};
    Feature f;
    f.geometry = g;
    auto json = written(CollectionMeta{}, f);
    EXPECT_EQ(json["geometry"]["type"], "MultiPolygon");
    ASSERT_EQ(json["geometry"]["coordinates"].size(), 2u);
    EXPECT_EQ(json["geometry"]["coordinates"][1][0][2], (nlohmann::json{3, 3}));
}

TEST(GeoJsonWriter, CoordinatesRoundTripExactly) {
    Geometry g;
    g.type = GeometryType::point;
    g.coords = {{117.12839012345678, 39.22434098765432}};
    g.path_ends = {1};
    Feature f;
    f.geometry = g;
    auto json = written(CollectionMeta{}, f);
    EXPECT_EQ(json["geometry"]["coordinates"][0].get<double>(), 117.12839012345678);
    EXPECT_EQ(json["geometry"]["coordinates"][1].get<double>(), 39.22434098765432);
}

}  // namespace
}  // namespace regiomap
