#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/clean_geometry.hpp"
#include "core/edit/feature_input.hpp"
#include "core/edit/feature_schema.hpp"
#include "core/edit/feature_version.hpp"
#include "core/error.hpp"

namespace regiomap::edit {
namespace {

using json = nlohmann::json;

CollectionMeta projects() {
    CollectionMeta meta;
    meta.id = "projects";
    meta.title = "Projects";
    meta.geometry_type = GeometryType::point;
    FieldDef name{"name", FieldType::string};
    name.required = true;
    FieldDef status{"status", FieldType::string};
    status.allowed = {"planned", "completed"};
    FieldDef year{"target_year", FieldType::integer};
    year.minimum = 2000;
    year.maximum = 2100;
    meta.fields = {name,
                   status,
                   year,
                   {"geom_quality", FieldType::string},
                   {"geom_source", FieldType::string},
                   {"uncertainty_m", FieldType::real},
                   {"length_km", FieldType::real}};
    return meta;
}

json valid_body() {
    return {{"type", "Feature"},
            {"geometry", {{"type", "Point"}, {"coordinates", {117.1, 39.2}}}},
            {"properties",
             {{"name", "A"},
              {"status", "planned"},
              {"target_year", 2027},
              {"geom_quality", "schematic"},
              {"geom_source", "test"},
              {"uncertainty_m", 100}}}};
}

InputRules rules() {
    InputRules out;
    out.plausible_extent = {116.5, 38.5, 118, 40};
    return out;
}

std::vector<std::string> failing_fields(const json& body) {
    try {
        read_feature_input(body, projects(), rules());
    } catch (const Error& error) {
        std::vector<std::string> fields;
        for (const auto& problem : error.problems()) {
            fields.push_back(problem.field);
        }
        if (fields.empty()) {
            fields.push_back("<" + std::string(error.what()) + ">");
        }
        return fields;
    }
    return {};
}

TEST(FeatureInput, AValidFeatureIsReadWithItsValues) {
    const FeatureInput input = read_feature_input(valid_body(), projects(), rules());
    EXPECT_EQ(input.feature.geometry.type, GeometryType::point);
    ASSERT_EQ(input.feature.properties.size(), 7u);
    EXPECT_EQ(std::get<std::string>(input.feature.properties[1]), "planned");
    EXPECT_EQ(std::get<std::int64_t>(input.feature.properties[2]), 2027);
    ASSERT_TRUE(input.source_geometry);
}

TEST(FeatureInput, EveryFailingFieldIsNamed) {
    json body = valid_body();
    body["properties"]["status"] = "finished";
    body["properties"]["target_year"] = 1900;
    body["properties"].erase("geom_source");
    body["properties"]["colour"] = "red";
    body["properties"]["length_km"] = 3;
    auto fields = failing_fields(body);
    std::sort(fields.begin(), fields.end());
    EXPECT_EQ(fields, (std::vector<std::string>{"properties.colour", "properties.geom_source", "properties.length_km",
                                                "properties.status", "properties.target_year"}));
}

TEST(FeatureInput, GeometryMustBeOfTheCollectionAndPlausible) {
    json line = valid_body();
    line["geometry"] = {{"type", "LineString"}, {"coordinates", {{117.1, 39.2}, {117.2, 39.3}}}};
    EXPECT_EQ(failing_fields(line), std::vector<std::string>{"geometry.type"});
    json swapped = valid_body();
    swapped["geometry"]["coordinates"] = {39.2, 117.1};
    EXPECT_EQ(failing_fields(swapped), std::vector<std::string>{"geometry.coordinates"});
    json far = valid_body();
    far["geometry"]["coordinates"] = {2.35, 48.85};
    EXPECT_EQ(failing_fields(far), std::vector<std::string>{"geometry.coordinates"});
    json text = valid_body();
    text["geometry"]["coordinates"] = {"117.1", 39.2};
    EXPECT_EQ(failing_fields(text), std::vector<std::string>{"geometry.coordinates"});
    json missing = valid_body();
    missing.erase("geometry");
    EXPECT_EQ(failing_fields(missing), std::vector<std::string>{"geometry"});
}

TEST(FeatureInput, ContentCrsIsTransformedToCrs84) {
    json body = valid_body();
    body["geometry"]["coordinates"] = {39.2, 117.1};  // EPSG:4490 is latitude first
    InputRules with_crs = rules();
    with_crs.crs.uri = "<http://www.opengis.net/def/crs/EPSG/0/4490>";
    const FeatureInput input = read_feature_input(body, projects(), with_crs);
    EXPECT_NEAR(input.feature.geometry.coords[0].x, 117.1, 1e-6);
    EXPECT_NEAR(input.feature.geometry.coords[0].y, 39.2, 1e-6);
    with_crs.crs.uri = "EPSG:99999999";
    EXPECT_THROW(read_feature_input(body, projects(), with_crs), Error);
}

// A collection of areas, for the geometry shapes points cannot have.
CollectionMeta areas() {
    CollectionMeta meta = projects();
    meta.id = "areas";
    meta.geometry_type = GeometryType::multi_polygon;
    return meta;
}

json area_body(json coordinates) {
    json body = valid_body();
    body["geometry"] = {{"type", "MultiPolygon"}, {"coordinates", std::move(coordinates)}};
    return body;
}

const json kSquare = {{117.1, 39.2}, {117.2, 39.2}, {117.2, 39.3}, {117.1, 39.3}, {117.1, 39.2}};
const json kOtherSquare = {{117.3, 39.2}, {117.4, 39.2}, {117.4, 39.3}, {117.3, 39.3}, {117.3, 39.2}};

std::vector<std::string> failing_fields(const json& body, const CollectionMeta& meta, const InputRules& with) {
    try {
        read_feature_input(body, meta, with);
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::unprocessable) << error.what();
        std::vector<std::string> fields;
        for (const auto& problem : error.problems()) {
            fields.push_back(problem.field);
        }
        return fields;
    }
    return {};
}

// GDAL's transformation from EPSG:3857 does not return for x ≥ 1e20: a
// client's body must never reach it (the loader's clean_geometry knows).
TEST(FeatureInput, HugeProjectedCoordinatesAreRefusedNotTransformed) {
    json body = valid_body();
    body["geometry"]["coordinates"] = {1e20, 1e20};
    InputRules mercator = rules();
    mercator.crs.uri = "<http://www.opengis.net/def/crs/EPSG/0/3857>";
    EXPECT_EQ(failing_fields(body, projects(), mercator), std::vector<std::string>{"geometry.coordinates"});
}

// Beyond the CRS's world PROJ wraps: x = 3e7 m in EPSG:3857 comes back as
// longitude −90.5, a real place that is not where the client meant.
TEST(FeatureInput, CoordinatesOutsideTheContentCrsAreRefusedNotWrapped) {
    InputRules mercator = rules();
    mercator.crs.uri = "<http://www.opengis.net/def/crs/EPSG/0/3857>";
    mercator.plausible_extent = {};
    json body = valid_body();
    body["geometry"]["coordinates"] = {3e7, 4.75e6};
    EXPECT_EQ(failing_fields(body, projects(), mercator), std::vector<std::string>{"geometry.coordinates"});
    body["geometry"]["coordinates"] = {1.304e7, 4.75e6};  // Tianjin, in metres
    EXPECT_NO_THROW(read_feature_input(body, projects(), mercator));
    InputRules cgcs2000 = rules();
    cgcs2000.crs.uri = "EPSG:4490";                   // latitude first
    body["geometry"]["coordinates"] = {39.2, 477.1};  // 117.1 + 360
    EXPECT_EQ(failing_fields(body, projects(), cgcs2000), std::vector<std::string>{"geometry.coordinates"});
}

TEST(FeatureInput, EmptyMembersAndRingsAreDroppedBeforeTheStore) {
    const FeatureInput input =
        read_feature_input(area_body({{kSquare}, json::array(), {kOtherSquare, json::array()}}), areas(), rules());
    const Geometry& stored = input.feature.geometry;
    EXPECT_EQ(geometry_flaw(stored), std::nullopt);
    EXPECT_EQ(stored.polygon_ends.size(), 2U);
    EXPECT_EQ(stored.path_ends.size(), 2U);
    ASSERT_TRUE(input.source_geometry);
    EXPECT_EQ(input.source_geometry->toMultiPolygon()->getNumGeometries(), 2);
    EXPECT_EQ(input.source_geometry->toMultiPolygon()->getGeometryRef(1)->getNumInteriorRings(), 0);
}

TEST(FeatureInput, GeometriesTheStoreCannotKeepAreRefusedNamingTheCoordinates) {
    const json bow_tie = {{117.1, 39.2}, {117.2, 39.3}, {117.2, 39.2}, {117.1, 39.3}, {117.1, 39.2}};
    const json short_ring = {{117.1, 39.2}, {117.2, 39.3}, {117.1, 39.2}};
    for (const json& coordinates : {json{{bow_tie}}, json{{short_ring}}, json{json::array()}}) {
        EXPECT_EQ(failing_fields(area_body(coordinates), areas(), rules()),
                  std::vector<std::string>{"geometry.coordinates"})
            << coordinates.dump();
    }
    CollectionMeta lines = projects();
    lines.geometry_type = GeometryType::line_string;
    json one_position = valid_body();
    one_position["geometry"] = {{"type", "LineString"}, {"coordinates", {{117.1, 39.2}}}};
    EXPECT_EQ(failing_fields(one_position, lines, rules()), std::vector<std::string>{"geometry.coordinates"});
}

TEST(FeatureInput, MalformedBodiesAreBadRequests) {
    auto kind_of = [](std::string_view text) {
        try {
            parse_json_body(text, 32);
        } catch (const Error& error) {
            return error.kind();
        }
        return ErrorKind::internal;
    };
    EXPECT_EQ(kind_of("{\"type\": "), ErrorKind::bad_request);
    EXPECT_EQ(kind_of(std::string(100, '[') + std::string(100, ']')), ErrorKind::bad_request);
    EXPECT_EQ(kind_of("{\"a\": \"\xff\"}"), ErrorKind::bad_request);
    EXPECT_EQ(kind_of("{\"a\": 1e400}"), ErrorKind::bad_request);  // no double holds it
    EXPECT_EQ(kind_of("{\"a\": 1}"), ErrorKind::internal);         // parsed: no error
    try {
        read_feature_input(json::array(), projects(), rules());
        FAIL();
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::bad_request);
    }
}

TEST(MergePatch, IdAndUnknownMembersAreRefused) {
    EXPECT_NO_THROW(check_merge_patch({{"properties", {{"status", "completed"}}}}, projects(), 5));
    EXPECT_NO_THROW(check_merge_patch({{"id", 5}}, projects(), 5));
    EXPECT_THROW(check_merge_patch({{"id", 6}}, projects(), 5), Error);
    EXPECT_THROW(check_merge_patch({{"properties", {{"nope", 1}}}}, projects(), 5), Error);
    EXPECT_THROW(check_merge_patch(json::array(), projects(), 5), Error);
}

TEST(FeatureVersion, ETagChangesWithTheFeatureAndMatchesItsRepresentations) {
    Feature a = read_feature_input(valid_body(), projects(), rules()).feature;
    a.id = 3;
    Feature b = a;
    const std::string tag = feature_etag(a);
    EXPECT_EQ(tag, feature_etag(b));
    EXPECT_EQ(tag.size(), 18u);
    b.properties[1] = std::string("completed");
    EXPECT_NE(tag, feature_etag(b));
    Feature moved = a;
    moved.geometry.coords[0].x += 1e-9;
    EXPECT_NE(tag, feature_etag(moved));

    const std::string bare = tag.substr(1, tag.size() - 2);
    EXPECT_TRUE(if_match(tag, tag));
    EXPECT_TRUE(if_match("*", tag));
    EXPECT_TRUE(if_match("\"other\", " + tag, tag));
    EXPECT_TRUE(if_match("\"" + bare + "-gzip\"", tag));
    EXPECT_TRUE(if_match("\"" + bare + "-json\"", tag));
    EXPECT_TRUE(if_match("\"" + bare + "-json-gzip\"", tag));
    EXPECT_FALSE(if_match("W/" + tag, tag));
    EXPECT_FALSE(if_match("\"" + bare + "x\"", tag));
    EXPECT_FALSE(if_match(feature_etag(b), tag));
}

TEST(FeatureSchema, SaysWhatValidationChecks) {
    const auto schema = collection_schema(projects(), "http://x/collections/projects/schema");
    EXPECT_EQ(schema["$id"], "http://x/collections/projects/schema");
    EXPECT_EQ(schema["properties"]["geometry"]["format"], "geometry-point");
    EXPECT_EQ(schema["properties"]["status"]["enum"], (nlohmann::ordered_json{"planned", "completed"}));
    EXPECT_EQ(schema["properties"]["target_year"]["minimum"], 2000.0);
    EXPECT_TRUE(schema["properties"]["length_km"]["readOnly"]);
    const auto& required = schema["required"];
    for (const char* name : {"geometry", "name", "geom_quality", "geom_source", "uncertainty_m"}) {
        EXPECT_NE(std::find(required.begin(), required.end(), name), required.end()) << name;
    }
    EXPECT_EQ(std::find(required.begin(), required.end(), "length_km"), required.end());
}

}  // namespace
}  // namespace regiomap::edit
