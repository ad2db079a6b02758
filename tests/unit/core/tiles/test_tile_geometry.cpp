// The tile pipeline on hand-made cases, written in tile-grid units of one
// tile (z10 over Tianjin) and mapped back to EPSG:3857 for the input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include <proj.h>

#include "core/geometry_arena.hpp"
#include "core/tiles/tile_geometry.hpp"
#include "regiomap_testing/grid_validity.hpp"

namespace regiomap {
namespace {

const TileId kTile{10, 845, 390};
const TileOptions kOptions;  // extent 4096, buffer 64

Coord from_grid(double gx, double gy) {
    TileTransform t(kTile, kOptions.extent);
    return {t.origin_x + gx / t.scale, t.origin_y - gy / t.scale};
}

Geometry polygon_in_grid(std::vector<std::vector<std::pair<double, double>>> rings) {
    Geometry g;
    g.type = GeometryType::polygon;
    for (const auto& ring : rings) {
        for (auto [x, y] : ring) {
            g.coords.push_back(from_grid(x, y));
        }
        g.path_ends.push_back(static_cast<std::uint32_t>(g.coords.size()));
    }
    g.polygon_ends.push_back(static_cast<std::uint32_t>(g.path_ends.size()));
    return g;
}

Geometry line_in_grid(std::vector<std::pair<double, double>> points) {
    Geometry g;
    g.type = GeometryType::line_string;
    for (auto [x, y] : points) {
        g.coords.push_back(from_grid(x, y));
    }
    g.path_ends.push_back(static_cast<std::uint32_t>(g.coords.size()));
    return g;
}

class TileGeometryTest : public ::testing::Test {
protected:
    std::optional<TileGeometry> cut(const Geometry& g) { return make_tile_geometry(g, kTile, kOptions, geos_); }
    // Whether cutting `g` was left to GEOS.
    bool cut_with_geos(const Geometry& g, std::optional<TileGeometry>& out) {
        CutStats stats;
        out = make_tile_geometry(g, kTile, kOptions, geos_, &stats);
        return stats.polygons_through_geos != 0;
    }
    // Every promise of TileGeometry for polygons, validity checked by GEOS.
    void expect_valid_polygons(const TileGeometry& g) {
        ASSERT_EQ(g.type, TileGeometryType::polygon);
        ASSERT_FALSE(g.parts().empty());
        EXPECT_GT(grid_area2(g.parts()[0]), 0);  // starts with an exterior
        for (const auto& ring : g.parts()) {
            ASSERT_GE(ring.size(), 3u);
            EXPECT_NE(grid_area2(ring), 0);
            for (std::size_t i = 0; i < ring.size(); ++i) {
                const GridPoint& p = ring[i];
                // No consecutive duplicates, the closing pair included.
                EXPECT_NE(p, ring[(i + 1) % ring.size()]);
                EXPECT_TRUE(p.x >= -64 && p.x <= 4160 && p.y >= -64 && p.y <= 4160);
            }
        }
        EXPECT_EQ(testing::grid_polygon_validity(geos_, g.parts()), "Valid Geometry");
    }
    geos::Context geos_;
};

// A ring as a comparable value: started at its smallest point (by x, then y).
std::vector<GridPoint> canonical(std::vector<GridPoint> ring) {
    const auto smallest = std::min_element(
        ring.begin(), ring.end(), [](GridPoint a, GridPoint b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
    std::rotate(ring.begin(), smallest, ring.end());
    return ring;
}

std::int64_t total_area2(const TileGeometry& g) {
    std::int64_t area = 0;
    for (const auto& ring : g.parts()) {
        area += grid_area2(ring);
    }
    return area;
}

TEST_F(TileGeometryTest, PolygonWithAHoleCrossingTheTileEdge) {
    // Exterior 3000..5000 × 1000..3000 (counter-clockwise in the grid),
    // hole 3500..3900 × 1500..2500, both cut by the right edge + buffer.
    auto g = cut(polygon_in_grid({{{3000, 1000}, {3000, 3000}, {5000, 3000}, {5000, 1000}, {3000, 1000}},
                                  {{3500, 1500}, {3900, 1500}, {3900, 2500}, {3500, 2500}, {3500, 1500}}}));
    ASSERT_TRUE(g);
    ASSERT_EQ(g->type, TileGeometryType::polygon);
    ASSERT_EQ(g->parts().size(), 2u);
    EXPECT_GT(grid_area2(g->parts()[0]), 0);  // exterior clockwise on screen (y down)
    EXPECT_LT(grid_area2(g->parts()[1]), 0);  // hole counter-clockwise, right after it
    for (const auto& ring : g->parts()) {
        EXPECT_NE(ring.front(), ring.back());  // no repeated closing point
        for (const GridPoint& p : ring) {
            EXPECT_LE(p.x, 4096 + 64);
        }
    }
    // Clipped exterior: (4160 - 3000) × 2000, minus the hole 400 × 1000.
    EXPECT_EQ(grid_area2(g->parts()[0]), 2 * 1160 * 2000);
    EXPECT_EQ(grid_area2(g->parts()[1]), -2 * 400 * 1000);
}

TEST_F(TileGeometryTest, LineAlongTheTileBorderIsKept) {
    auto g = cut(line_in_grid({{0, 100}, {0, 3000}}));
    ASSERT_TRUE(g);
    ASSERT_EQ(g->parts().size(), 1u);
    EXPECT_EQ(g->parts()[0], (std::vector<GridPoint>{{0, 100}, {0, 3000}}));
}

TEST_F(TileGeometryTest, LineLeavingAndReenteringBecomesTwoParts) {
    auto g = cut(line_in_grid({{100, 100}, {5000, 100}, {5000, 300}, {100, 300}}));
    ASSERT_TRUE(g);
    ASSERT_EQ(g->parts().size(), 2u);
    EXPECT_EQ(g->parts()[0].back().x, 4160);
    EXPECT_EQ(g->parts()[1].front().x, 4160);
}

TEST_F(TileGeometryTest, FeaturesSmallerThanAPixelAreDropped) {
    EXPECT_FALSE(cut(polygon_in_grid({{{100, 100}, {105, 100}, {105, 105}, {100, 105}, {100, 100}}})));
    EXPECT_FALSE(cut(line_in_grid({{100, 100}, {104, 103}})));
    EXPECT_TRUE(cut(line_in_grid({{100, 100}, {120, 100}})));
}

TEST_F(TileGeometryTest, PolygonDegenerateAfterRoundingIsDropped) {
    // 0.3 units wide, 1000 long: no area left on the integer grid.
    EXPECT_FALSE(cut(polygon_in_grid({{{100, 100}, {100.3, 100}, {100.3, 1100}, {100, 1100}, {100, 100}}})));
}

// Found by fuzz_tile_pipeline: parts of a multipolygon 0.3 units apart were
// snapped one by one and came out overlapping along an edge (an invalid
// multipolygon). Snapped together, they merge on the grid.
TEST_F(TileGeometryTest, MultipolygonPartsThatMeetOnTheGridStayValid) {
    Geometry g = polygon_in_grid({{{100, 100}, {1000, 100}, {1000, 1000}, {100, 1000}, {100, 100}}});
    Geometry b = polygon_in_grid({{{1000.3, 100}, {2000, 100}, {2000, 1000}, {1000.3, 1000}, {1000.3, 100}}});
    g.type = GeometryType::multi_polygon;
    const auto offset = static_cast<std::uint32_t>(g.coords.size());
    g.coords.insert(g.coords.end(), b.coords.begin(), b.coords.end());
    g.path_ends.push_back(offset + b.path_ends[0]);
    g.polygon_ends.push_back(2);
    auto cut_geometry = cut(g);
    ASSERT_TRUE(cut_geometry);
    std::int64_t area = 0;
    for (const auto& ring : cut_geometry->parts()) {
        area += grid_area2(ring);
    }
    EXPECT_EQ(area, 2 * 1900 * 900);
    EXPECT_EQ(cut_geometry->parts().size(), 1u);  // one polygon now: no shared edge left
}

// Inside the tile, a polygon with a hole takes the fast path (no GEOS): the
// same rings, snapped, oriented the MVT way.
TEST_F(TileGeometryTest, PolygonInsideTheTileKeepsItsHole) {
    auto g = cut(polygon_in_grid({{{1000, 1000}, {1000, 3000}, {3000, 3000}, {3000, 1000}, {1000, 1000}},
                                  {{1500.2, 1500.4}, {2500, 1500}, {2500, 2500}, {1500, 2500}, {1500.2, 1500.4}}}));
    ASSERT_TRUE(g);
    ASSERT_EQ(g->parts().size(), 2u);
    EXPECT_EQ(grid_area2(g->parts()[0]), 2 * 2000 * 2000);
    EXPECT_EQ(grid_area2(g->parts()[1]), -2 * 1000 * 1000);
    EXPECT_EQ(g->parts()[1].size(), 4u);
}

// A polygon that becomes self-touching on the grid is not passed on as it
// is: GEOS repairs it (a bow-tie pinch two units wide snaps shut).
TEST_F(TileGeometryTest, PolygonPinchedByRoundingIsRepaired) {
    auto g = cut(polygon_in_grid(
        {{{1000, 1000}, {2000, 1000}, {1500.2, 1500}, {2000, 2000}, {1000, 2000}, {1499.8, 1500}, {1000, 1000}}}));
    ASSERT_TRUE(g);
    std::int64_t area = 0;
    for (const auto& ring : g->parts()) {
        EXPECT_GT(grid_area2(ring), 0);  // two exteriors now, each valid
        area += grid_area2(ring);
    }
    EXPECT_EQ(g->parts().size(), 2u);
    EXPECT_EQ(area, 2 * 2 * (1000 * 500 / 2));
}

// --- polygons crossing the edge of the buffered tile (-64..4160 on both
// axes) are clipped without GEOS when the result is provably valid.

TEST_F(TileGeometryTest, SquareCrossingOneEdgeIsClippedWithoutGeos) {
    std::optional<TileGeometry> g;
    EXPECT_FALSE(
        cut_with_geos(polygon_in_grid({{{4000, 1000}, {4000, 1300}, {4300, 1300}, {4300, 1000}, {4000, 1000}}}), g));
    ASSERT_TRUE(g);
    ASSERT_EQ(g->parts().size(), 1u);
    EXPECT_EQ(canonical(g->parts()[0]),
              (std::vector<GridPoint>{{4000, 1000}, {4160, 1000}, {4160, 1300}, {4000, 1300}}));
    expect_valid_polygons(*g);
}

TEST_F(TileGeometryTest, PolygonCrossingACornerIsClippedWithoutGeos) {
    // A diamond centred on the corner (4160, -64): a quarter of it is inside.
    std::optional<TileGeometry> g;
    EXPECT_FALSE(
        cut_with_geos(polygon_in_grid({{{4160, -164}, {4060, -64}, {4160, 36}, {4260, -64}, {4160, -164}}}), g));
    ASSERT_TRUE(g);
    ASSERT_EQ(g->parts().size(), 1u);
    EXPECT_EQ(canonical(g->parts()[0]), (std::vector<GridPoint>{{4060, -64}, {4160, -64}, {4160, 36}}));
    expect_valid_polygons(*g);
}

TEST_F(TileGeometryTest, PolygonLargerThanTheTileBecomesTheBox) {
    std::optional<TileGeometry> g;
    EXPECT_FALSE(
        cut_with_geos(polygon_in_grid({{{-1000, -900}, {-1000, 5000}, {5100, 5000}, {5100, -900}, {-1000, -900}}}), g));
    ASSERT_TRUE(g);
    ASSERT_EQ(g->parts().size(), 1u);
    EXPECT_EQ(canonical(g->parts()[0]), (std::vector<GridPoint>{{-64, -64}, {4160, -64}, {4160, 4160}, {-64, 4160}}));
    expect_valid_polygons(*g);
}

TEST_F(TileGeometryTest, HoleInsideAPolygonCrossingTheEdgeIsKeptWithoutGeos) {
    // The exterior crosses the right edge, its hole lies inside the tile.
    std::optional<TileGeometry> g;
    EXPECT_FALSE(
        cut_with_geos(polygon_in_grid({{{3000, 1000}, {3000, 3000}, {5000, 3000}, {5000, 1000}, {3000, 1000}},
                                       {{3500, 1500}, {3900, 1500}, {3900, 2500}, {3500, 2500}, {3500, 1500}}}),
                      g));
    ASSERT_TRUE(g);
    ASSERT_EQ(g->parts().size(), 2u);
    EXPECT_EQ(grid_area2(g->parts()[0]), 2 * 1160 * 2000);
    EXPECT_EQ(grid_area2(g->parts()[1]), -2 * 400 * 1000);
    expect_valid_polygons(*g);
}

TEST_F(TileGeometryTest, HoleCrossingTheEdgeStaysValid) {
    // Clipped, the hole would run along the exterior's clipped side: a notch
    // in the exterior is the valid answer, which GEOS gives.
    auto g = cut(polygon_in_grid({{{3000, 1000}, {3000, 3000}, {5000, 3000}, {5000, 1000}, {3000, 1000}},
                                  {{4000, 1500}, {4500, 1500}, {4500, 2500}, {4000, 2500}, {4000, 1500}}}));
    ASSERT_TRUE(g);
    expect_valid_polygons(*g);
    EXPECT_EQ(total_area2(*g), 2 * (1160 * 2000 - 160 * 1000));
}

TEST_F(TileGeometryTest, HoleOutsideTheTileIsDroppedWithoutGeos) {
    std::optional<TileGeometry> g;
    EXPECT_FALSE(
        cut_with_geos(polygon_in_grid({{{-1000, 1000}, {-1000, 2000}, {1000, 2000}, {1000, 1000}, {-1000, 1000}},
                                       {{-800, 1200}, {-800, 1800}, {-200, 1800}, {-200, 1200}, {-800, 1200}}}),
                      g));
    ASSERT_TRUE(g);
    ASSERT_EQ(g->parts().size(), 1u);
    EXPECT_EQ(canonical(g->parts()[0]), (std::vector<GridPoint>{{-64, 1000}, {1000, 1000}, {1000, 2000}, {-64, 2000}}));
}

TEST_F(TileGeometryTest, PolygonLeavingAndReenteringThroughOneEdgeStaysValid) {
    // A C open to the left whose back lies beyond the right edge: two arms
    // in the tile. Clipped in one pass, they would be joined by a zero-width
    // run along the edge; the result must be two separate polygons.
    auto g = cut(polygon_in_grid({{{3000, 1000},
                                   {5000, 1000},
                                   {5000, 2000},
                                   {3000, 2000},
                                   {3000, 1800},
                                   {4800, 1800},
                                   {4800, 1200},
                                   {3000, 1200},
                                   {3000, 1000}}}));
    ASSERT_TRUE(g);
    expect_valid_polygons(*g);
    ASSERT_EQ(g->parts().size(), 2u);
    EXPECT_EQ(grid_area2(g->parts()[0]), 2 * 1160 * 200);
    EXPECT_EQ(grid_area2(g->parts()[1]), 2 * 1160 * 200);
}

TEST_F(TileGeometryTest, RingOutsideTheTileWithItsBoxInsideIsNothing) {
    // An L around the corner (4160, -64): its bounding box meets the tile,
    // the ring does not.
    std::optional<TileGeometry> g;
    EXPECT_FALSE(cut_with_geos(
        polygon_in_grid(
            {{{3900, -300}, {4300, -300}, {4300, 100}, {4200, 100}, {4200, -200}, {3900, -200}, {3900, -300}}}),
        g));
    EXPECT_FALSE(g);
}

TEST_F(TileGeometryTest, TileInsideAHoleIsNothing) {
    auto g = cut(polygon_in_grid({{{-9000, -9000}, {-9000, 9000}, {9000, 9000}, {9000, -9000}, {-9000, -9000}},
                                  {{-5000, -5000}, {5000, -5000}, {5000, 5000}, {-5000, 5000}, {-5000, -5000}}}));
    EXPECT_FALSE(g);
}

TEST_F(TileGeometryTest, MultipolygonWithOnePartOutsideKeepsTheOther) {
    Geometry g = polygon_in_grid({{{4000, 200}, {4000, 600}, {4500, 600}, {4500, 200}, {4000, 200}}});
    // An L around the corner again, second part of the same feature.
    Geometry b = polygon_in_grid(
        {{{3900, -300}, {4300, -300}, {4300, 100}, {4200, 100}, {4200, -200}, {3900, -200}, {3900, -300}}});
    g.type = GeometryType::multi_polygon;
    const auto offset = static_cast<std::uint32_t>(g.coords.size());
    g.coords.insert(g.coords.end(), b.coords.begin(), b.coords.end());
    g.path_ends.push_back(offset + b.path_ends[0]);
    g.polygon_ends.push_back(2);
    std::optional<TileGeometry> out;
    EXPECT_FALSE(cut_with_geos(g, out));
    ASSERT_TRUE(out);
    ASSERT_EQ(out->parts().size(), 1u);
    EXPECT_EQ(canonical(out->parts()[0]), (std::vector<GridPoint>{{4000, 200}, {4160, 200}, {4160, 600}, {4000, 600}}));
}

// A multipolygon whose last member has no rings (polygon_ends [1, 1]),
// followed in the arena by a feature whose first ring is shorter: the empty
// member is nothing to draw. Reading its "first ring" once took the next
// feature's path end as its own and read far past the arena (issue 12).
TEST_F(TileGeometryTest, PolygonWithoutRingsInAMultipolygonIsSkipped) {
    std::vector<std::pair<double, double>> circle;
    for (int i = 0; i < 100; ++i) {
        const double angle = 2 * M_PI * i / 100;
        circle.emplace_back(2048 + 1000 * std::cos(angle), 2048 + 1000 * std::sin(angle));
    }
    circle.push_back(circle.front());
    Geometry multi = polygon_in_grid({circle});
    multi.type = GeometryType::multi_polygon;
    multi.polygon_ends.push_back(multi.polygon_ends.back());
    GeometryArena arena;
    arena.push_back(multi);
    arena.push_back(polygon_in_grid({{{100, 100}, {200, 100}, {200, 200}, {100, 100}}}));

    auto g = make_tile_geometry(arena[0], kTile, kOptions, geos_);
    ASSERT_TRUE(g);
    expect_valid_polygons(*g);
    EXPECT_EQ(g->parts().size(), 1u);
}

// A sliver cut off by the box, thinner than the simplification tolerance:
// Douglas–Peucker collapses it, GEOS would keep it; so does the fast path.
TEST_F(TileGeometryTest, SliverInsideTheBufferIsKeptWithoutGeos) {
    std::optional<TileGeometry> g;
    EXPECT_FALSE(
        cut_with_geos(polygon_in_grid({{{4158, 1000}, {4158, 1100}, {4300, 1100}, {4300, 1000}, {4158, 1000}}}), g));
    ASSERT_TRUE(g);
    ASSERT_EQ(g->parts().size(), 1u);
    EXPECT_EQ(canonical(g->parts()[0]),
              (std::vector<GridPoint>{{4158, 1000}, {4160, 1000}, {4160, 1100}, {4158, 1100}}));
}

TEST_F(TileGeometryTest, SliverThinnerThanAGridUnitIsDroppedWithoutGeos) {
    std::optional<TileGeometry> g;
    EXPECT_FALSE(cut_with_geos(
        polygon_in_grid({{{4159.8, 1000}, {4159.8, 1100}, {4300, 1100}, {4300, 1000}, {4159.8, 1000}}}), g));
    EXPECT_FALSE(g);
}

TEST_F(TileGeometryTest, OutsideTheBufferedTileIsNothing) {
    EXPECT_FALSE(cut(line_in_grid({{5000, 100}, {6000, 100}})));
    EXPECT_FALSE(cut(polygon_in_grid({{{-900, -900}, {-800, -900}, {-800, -800}, {-900, -800}, {-900, -900}}})));
}

TEST_F(TileGeometryTest, SimplificationKeepsShapeWithinTolerance) {
    std::vector<std::pair<double, double>> wiggly;
    for (int i = 0; i <= 1000; ++i) {
        wiggly.emplace_back(100 + i * 3, 2000 + (i % 2 ? 0.5 : -0.5));  // ±0.5 unit noise
    }
    auto g = cut(line_in_grid(wiggly));
    ASSERT_TRUE(g);
    EXPECT_LT(g->part(0).size(), 10u);  // the noise is gone
    for (const GridPoint& p : g->part(0)) {
        EXPECT_NEAR(p.y, 2000, 1);
    }
}

TEST_F(TileGeometryTest, NoZeroLengthMovesAfterRounding) {
    auto g = cut(line_in_grid({{100, 100}, {100.2, 100.1}, {100.4, 100.2}, {300, 100}}));
    ASSERT_TRUE(g);
    for (std::size_t i = 1; i < g->parts()[0].size(); ++i) {
        EXPECT_NE(g->parts()[0][i], g->parts()[0][i - 1]);
    }
}

TEST(WebMercator, ClampsAtTheMercatorLimit) {
    WebMercatorProjection projection;
    std::vector<Coord> coords{{0, 90}, {180, -90}, {0, kMaxMercatorLatitude}, {117.15, 39.25}};
    projection.project(coords);
    EXPECT_DOUBLE_EQ(coords[0].y, kHalfWorld);
    EXPECT_DOUBLE_EQ(coords[1].x, kHalfWorld);
    EXPECT_DOUBLE_EQ(coords[1].y, -kHalfWorld);
    EXPECT_NEAR(coords[2].y, kHalfWorld, 1e-3);
    // The spherical Mercator formulas, independent of PROJ.
    const double radius = 6378137.0;
    const double lon = 117.15 * M_PI / 180;
    const double lat = 39.25 * M_PI / 180;
    EXPECT_NEAR(coords[3].x, radius * lon, 1e-6);
    EXPECT_NEAR(coords[3].y, radius * std::log(std::tan(M_PI / 4 + lat / 2)), 1e-6);
}

// The projection spells out its PROJ pipeline instead of asking PROJ's
// database; the database's own operation must give the same numbers.
TEST(WebMercator, SameAsTheDatabaseOperation) {
    struct ContextDestroy {
        void operator()(PJ_CONTEXT* context) const { proj_context_destroy(context); }
    };
    struct PjDestroy {
        void operator()(PJ* pj) const { proj_destroy(pj); }
    };
    const std::unique_ptr<PJ_CONTEXT, ContextDestroy> context(proj_context_create());
    const std::unique_ptr<PJ, PjDestroy> database(
        proj_create_crs_to_crs(context.get(), "OGC:CRS84", "EPSG:3857", nullptr));
    ASSERT_TRUE(database);
    const WebMercatorProjection projection;
    const std::vector<Coord> places{{117.15, 39.25}, {-122.4, 37.8}, {0, 0}, {179.999, -84.9}, {-180, 60}};
    for (const Coord& place : places) {
        std::vector<Coord> ours{place};
        projection.project(ours);
        const PJ_COORD theirs = proj_trans(database.get(), PJ_FWD, proj_coord(place.x, place.y, 0, 0));
        EXPECT_NEAR(ours[0].x, theirs.xy.x, 1e-6) << place.x << " " << place.y;
        EXPECT_NEAR(ours[0].y, theirs.xy.y, 1e-6) << place.x << " " << place.y;
    }
}

TEST(WebMercator, PointsBeyondTheLimitLandOnTheWorldTileEdge) {
    WebMercatorProjection projection;
    Geometry pole;
    pole.coords = {{10, 89.9}};
    pole.path_ends = {1};
    geos::Context geos;
    auto g = make_tile_geometry(projection.project(pole), TileId{0, 0, 0}, TileOptions{}, geos);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->parts()[0][0].y, 0);
}

TEST(Simplify, KeepsEndPoints) {
    std::vector<Coord> path{{0, 0}, {1, 0.1}, {2, 0}};
    EXPECT_EQ(simplify(path, 1.0), (std::vector<Coord>{{0, 0}, {2, 0}}));
    EXPECT_EQ(simplify(path, 0.01).size(), 3u);
}

}  // namespace
}  // namespace regiomap
