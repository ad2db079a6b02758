// clean_geometry: the one door into the store, on geometries as GDAL reads
// them from real-world files (WKT here for legibility).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "core/clean_geometry.hpp"

namespace regiomap {
namespace {

gdal::GeometryPtr wkt(const std::string& text) {
    OGRGeometry* geometry = nullptr;
    if (OGRGeometryFactory::createFromWkt(text.c_str(), nullptr, &geometry) != OGRERR_NONE) {
        throw std::runtime_error("bad WKT in the test: " + text);
    }
    return gdal::GeometryPtr{geometry};
}

CleanGeometry clean(const std::string& text, const OGRCoordinateTransformation* transform = nullptr) {
    return clean_geometry(wkt(text), transform);
}

void expect_clean(const CleanGeometry& result) {
    ASSERT_TRUE(result.geometry) << result.problem;
    EXPECT_FALSE(result.rejection);
    EXPECT_EQ(geometry_flaw(*result.geometry), std::nullopt);
}

// EPSG:3857 → CRS84 (lon, lat), as the loader makes it for a Web Mercator layer.
gdal::TransformPtr from_web_mercator() {
    OGRSpatialReference mercator;
    mercator.importFromEPSG(3857);
    OGRSpatialReference crs84;
    crs84.SetWellKnownGeogCS("WGS84");
    crs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return gdal::TransformPtr{OGRCreateCoordinateTransformation(&mercator, &crs84)};
}

// A polygon of one ring, from positions WKT would not spell exactly.
gdal::GeometryPtr polygon_of(const std::vector<std::pair<double, double>>& ring_positions) {
    auto ring = std::make_unique<OGRLinearRing>();
    for (const auto& [x, y] : ring_positions) {
        ring->addPoint(x, y);
    }
    auto polygon = std::make_unique<OGRPolygon>();
    polygon->addRingDirectly(ring.release());
    return gdal::GeometryPtr{polygon.release()};
}

TEST(CleanGeometry, AValidGeometryPassesUnchanged) {
    auto result = clean("POLYGON((117 39,118 39,118 40,117 40,117 39))");
    expect_clean(result);
    EXPECT_TRUE(result.repairs.empty());
    EXPECT_EQ(result.geometry->type, GeometryType::polygon);
    EXPECT_EQ(result.geometry->coords.size(), 5u);
    EXPECT_GT(signed_area2(result.geometry->path(0)), 0);  // RFC 7946: exterior counter-clockwise
}

TEST(CleanGeometry, EmptyMembersAndDegenerateRingsAreDropped) {
    auto result = clean("MULTIPOLYGON(((117 39,118 39,118 40,117 39)),EMPTY,((0 0,1 0,0 0)))");
    expect_clean(result);
    EXPECT_EQ(result.geometry->type, GeometryType::multi_polygon);
    EXPECT_EQ(result.geometry->polygon_ends, (std::vector<std::uint32_t>{1}));
    ASSERT_EQ(result.repairs.size(), 1u);
    EXPECT_EQ(result.repairs[0], "dropped 1 empty member, 1 ring of fewer than 4 positions");

    auto lines = clean("MULTILINESTRING(EMPTY,(1 1),(1 1,2 2))");
    expect_clean(lines);
    EXPECT_EQ(lines.geometry->path_ends, (std::vector<std::uint32_t>{2}));

    // An unclosed ring is closed, not dropped.
    auto unclosed = clean("POLYGON((117 39,118 39,118 40))");
    expect_clean(unclosed);
    EXPECT_EQ(unclosed.geometry->coords.size(), 4u);
}

TEST(CleanGeometry, WhatIsLeftEmptyIsRejectedWithAReason) {
    for (const char* text : {"POINT EMPTY", "MULTIPOLYGON(EMPTY,EMPTY)", "LINESTRING(1 1)", "POLYGON((0 0,1 1,0 0))",
                             "GEOMETRYCOLLECTION EMPTY"}) {
        auto result = clean(text);
        EXPECT_FALSE(result.geometry) << text;
        EXPECT_EQ(result.rejection, GeometryRejection::empty) << text;
        EXPECT_FALSE(result.problem.empty()) << text;
    }
    EXPECT_EQ(clean_geometry(nullptr, nullptr).rejection, GeometryRejection::missing);
}

TEST(CleanGeometry, CoordinatesThatAreNoLonLatAreRejected) {
    // WKT has no NaN; GeoPackage and Shapefile WKB do. (A point of NaN is
    // WKB's POINT EMPTY, which GDAL reads as such.)
    auto nan = clean_geometry(gdal::GeometryPtr{new OGRPoint(std::nan(""), 1)}, nullptr);
    EXPECT_FALSE(nan.geometry);
    auto line = std::make_unique<OGRLineString>();
    line->addPoint(1, 1);
    line->addPoint(2, std::nan(""));
    EXPECT_EQ(clean_geometry(gdal::GeometryPtr{line->clone()}, nullptr).rejection, GeometryRejection::non_finite);
    line->setPoint(1, HUGE_VAL, 2);
    auto inf = clean_geometry(gdal::GeometryPtr{line.release()}, nullptr);
    EXPECT_EQ(inf.rejection, GeometryRejection::non_finite);
    auto sentinel = clean("POINT(-9999 -9999)");
    EXPECT_EQ(sentinel.rejection, GeometryRejection::outside_crs84);
    EXPECT_NE(sentinel.problem.find("(-9999, -9999)"), std::string::npos) << sentinel.problem;
    EXPECT_EQ(clean("POINT(3.4e38 3.4e38)").rejection, GeometryRejection::outside_crs84);
    EXPECT_EQ(clean("POINT(10 90.5)").rejection, GeometryRejection::outside_crs84);
    // The poles and the antimeridian are lon/lat.
    expect_clean(clean("MULTIPOINT((180 90),(-180 -90))"));
}

// fuzz_wkb_geometry's find: a polygon of subnormal coordinates kept GEOS
// 3.11's validity check busy for minutes. Refused before GEOS sees it, and
// said why; the smallest normal number and zero are positions as before.
TEST(CleanGeometry, RefusesSubnormalCoordinatesBeforeGeos) {
    const double subnormal = 5.2e-315;
    ASSERT_EQ(std::fpclassify(subnormal), FP_SUBNORMAL);
    const auto refused = clean_geometry(
        polygon_of({{0, 0}, {2, subnormal}, {3.48e-310, 5.94e-313}, {2, 3.42e-310}, {1.79e-307, 3.89e-308}, {0, 0}}),
        nullptr);
    EXPECT_EQ(refused.rejection, GeometryRejection::non_finite);
    EXPECT_NE(refused.problem.find("subnormal"), std::string::npos) << refused.problem;

    auto point = std::make_unique<OGRPoint>(std::numeric_limits<double>::min(), 0.0);
    expect_clean(clean_geometry(gdal::GeometryPtr{point.release()}, nullptr));
}

// fuzz_wkb_geometry's later find: coordinates that are normal in metres
// (1.8e-307 m in EPSG:3857) are subnormal in degrees (1.6e-312°), and GEOS's
// simplifier in the tiler recursed on such a polygon until the stack
// overflowed. Checked again after the transformation.
TEST(CleanGeometry, RefusesCoordinatesTheTransformationMakesSubnormal) {
    const gdal::TransformPtr transform = from_web_mercator();
    ASSERT_TRUE(transform);
    const double tiny = 1.820692759807797e-307;
    ASSERT_EQ(std::fpclassify(tiny), FP_NORMAL);
    const auto refused = clean_geometry(polygon_of({{tiny, 1.809393556620065e-307},
                                                    {tiny, 0},
                                                    {1.8206398889564176e-307, 1.80961084898906e-307},
                                                    {128000, 2.5379418375520135e-115},
                                                    {170.00000001117587, -10.000663757331552},
                                                    {tiny, 1.809393556620065e-307}}),
                                        transform.get());
    EXPECT_EQ(refused.rejection, GeometryRejection::non_finite);
    EXPECT_NE(refused.problem.find("subnormal"), std::string::npos) << refused.problem;
    EXPECT_NE(refused.problem.find("after the transformation"), std::string::npos) << refused.problem;

    // the same shape a metre from the origin is a position
    auto near = clean("POLYGON((1 1,1 0,128000 0,170 -10,1 1))", transform.get());
    expect_clean(near);
}

TEST(CleanGeometry, TransformsAndClampsRoundingAtTheWorldsEdge) {
    const gdal::TransformPtr transform = from_web_mercator();
    ASSERT_TRUE(transform);
    auto result = clean("LINESTRING(-20037508.342789244 0,20037508.342789244 1000)", transform.get());
    expect_clean(result);
    EXPECT_EQ(result.geometry->coords[0].x, -180);
    EXPECT_EQ(result.geometry->coords[1].x, 180);
}

// Found by fuzz_wkb_geometry: GDAL's transformation from EPSG:3857 never
// returned for x = 1e20 (the loader hung); such a coordinate is refused
// before it is transformed.
TEST(CleanGeometry, CoordinatesTooLargeForAnyCrsAreRejectedBeforeTransforming) {
    const gdal::TransformPtr transform = from_web_mercator();
    ASSERT_TRUE(transform);
    for (const char* wkt : {"LINESTRING(1e20 0,0 0)", "POINT(0 -1e300)", "POINT(1e10 0)"}) {
        auto result = clean(wkt, transform.get());
        EXPECT_EQ(result.rejection, GeometryRejection::not_transformable) << wkt;
        EXPECT_NE(result.problem.find("too large for any CRS"), std::string::npos) << result.problem;
    }
}

TEST(CleanGeometry, InvalidPolygonsAreRepairedKeepingTheirKind) {
    auto bowtie = clean("POLYGON((0 0,1 1,1 0,0 1,0 0))");
    expect_clean(bowtie);
    EXPECT_EQ(bowtie.geometry->type, GeometryType::multi_polygon);
    EXPECT_EQ(bowtie.geometry->polygon_ends.size(), 2u);
    ASSERT_EQ(bowtie.repairs.size(), 1u);
    // GEOS's reason comes along, so the one log line of the feature says it.
    EXPECT_EQ(bowtie.repairs[0],
              "invalid geometry, repaired with GEOS MakeValid (Self-intersection at or near point 0.5 0.5)");

    // A spike: MakeValid leaves the polygon and a stray line; the line goes.
    auto spike = clean("POLYGON((0 0,2 0,2 2,1 2,1 5,1 2,0 2,0 0))");
    expect_clean(spike);
    EXPECT_NE(spike.geometry->type, GeometryType::line_string);

    // A line of one distinct position is no line and cannot become one.
    auto collapsed = clean("LINESTRING(1 1,1 1)");
    EXPECT_EQ(collapsed.rejection, GeometryRejection::unrepairable);
}

TEST(CleanGeometry, OtherKindsBecomeTheGeoJsonKindTheyAre) {
    auto curve = clean("CURVEPOLYGON(CIRCULARSTRING(0 0,1 1,2 0,1 -1,0 0))");
    expect_clean(curve);
    EXPECT_EQ(curve.geometry->type, GeometryType::polygon);
    EXPECT_GT(curve.geometry->coords.size(), 10u);

    auto tin = clean("TIN(((0 0,1 0,0 1,0 0)),((1 0,1 1,0 1,1 0)))");
    expect_clean(tin);
    EXPECT_EQ(tin.geometry->type, GeometryType::multi_polygon);

    auto measured = clean("LINESTRING ZM(1 1 5 7,2 2 6 8)");
    expect_clean(measured);
    EXPECT_EQ(measured.geometry->coords, (std::vector<Coord>{{1, 1}, {2, 2}}));

    auto points = clean("GEOMETRYCOLLECTION(POINT(1 1),MULTIPOINT((2 2),(3 3)),POINT EMPTY)");
    expect_clean(points);
    EXPECT_EQ(points.geometry->type, GeometryType::multi_point);
    EXPECT_EQ(points.geometry->coords.size(), 3u);

    auto mixed = clean("GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1))");
    EXPECT_EQ(mixed.rejection, GeometryRejection::unsupported);
    EXPECT_NE(mixed.problem.find("points and lines"), std::string::npos) << mixed.problem;
}

TEST(CleanGeometry, ThousandsOfHolesAreKept) {
    std::string text = "POLYGON((0 0,10 0,10 10,0 10,0 0)";
    int holes = 0;
    for (int i = 0; i < 40; ++i) {
        for (int j = 0; j < 40; ++j, ++holes) {
            const double x = 0.1 + i * 0.245;
            const double y = 0.1 + j * 0.245;
            text += ",(" + std::to_string(x) + " " + std::to_string(y) + "," + std::to_string(x + 0.1) + " " +
                    std::to_string(y) + "," + std::to_string(x + 0.1) + " " + std::to_string(y + 0.1) + "," +
                    std::to_string(x) + " " + std::to_string(y) + ")";
        }
    }
    auto result = clean(text + ")");
    expect_clean(result);
    EXPECT_EQ(result.geometry->path_count(), static_cast<std::size_t>(holes + 1));
    for (std::size_t ring = 1; ring < result.geometry->path_count(); ++ring) {
        ASSERT_LT(signed_area2(result.geometry->path(ring)), 0);  // holes clockwise
    }
}

TEST(GeometryFlaw, NamesEachBrokenPromise) {
    Geometry g;
    EXPECT_EQ(geometry_flaw(g), std::nullopt);  // null
    g.type = GeometryType::multi_polygon;
    g.coords = {{0, 0}, {1, 0}, {1, 1}, {0, 0}};
    g.path_ends = {4};
    g.polygon_ends = {1};
    EXPECT_EQ(geometry_flaw(g), std::nullopt);
    g.polygon_ends = {1, 1};
    EXPECT_EQ(geometry_flaw(g), "a polygon without rings");
    g.polygon_ends = {1};
    g.coords[3] = {0, 0.5};
    EXPECT_EQ(geometry_flaw(g), "a ring that is not closed");
    g.coords[3] = {0, 0};
    g.coords[1] = {std::nan(""), 0};
    EXPECT_NE(geometry_flaw(g), std::nullopt);
    g.coords[1] = {1.6e-312, 0};
    EXPECT_EQ(geometry_flaw(g), "coordinate (1.6e-312, 0) is subnormal");

    Geometry line;
    line.type = GeometryType::multi_line_string;
    line.coords = {{0, 0}, {1, 1}, {2, 2}};
    line.path_ends = {2, 2, 3};
    EXPECT_EQ(geometry_flaw(line), "a line of 0 positions");
    line.path_ends = {2, 3};
    EXPECT_EQ(geometry_flaw(line), "a line of 1 positions");
}

}  // namespace
}  // namespace regiomap
