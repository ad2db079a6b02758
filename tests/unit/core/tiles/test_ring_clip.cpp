// clip_ring on hand-made rings against the box 0..10 × 0..10.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/tiles/ring_clip.hpp"

namespace regiomap {
namespace {

const Box kBox{0, 0, 10, 10};

// The ring without its closing point, started at its smallest point, so that
// rings can be compared whatever point Sutherland–Hodgman starts them at.
std::vector<Coord> canonical(std::vector<Coord> ring) {
    EXPECT_GE(ring.size(), 4u);
    EXPECT_EQ(ring.front(), ring.back());  // closed
    ring.pop_back();
    const auto smallest = std::min_element(ring.begin(), ring.end(),
                                           [](Coord a, Coord b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
    std::rotate(ring.begin(), smallest, ring.end());
    return ring;
}

TEST(ClipRing, RingInsideIsUnchanged) {
    const std::vector<Coord> ring{{1, 1}, {9, 1}, {9, 9}, {1, 1}};
    EXPECT_EQ(clip_ring(ring, kBox), ring);
}

TEST(ClipRing, OpenRingComesOutClosed) {
    EXPECT_EQ(clip_ring(std::vector<Coord>{{1, 1}, {9, 1}, {9, 9}}, kBox),
              (std::vector<Coord>{{1, 1}, {9, 1}, {9, 9}, {1, 1}}));
}

TEST(ClipRing, SquareCrossingOneSide) {
    const std::vector<Coord> ring{{5, 2}, {15, 2}, {15, 8}, {5, 8}, {5, 2}};
    EXPECT_EQ(canonical(clip_ring(ring, kBox)), (std::vector<Coord>{{5, 2}, {10, 2}, {10, 8}, {5, 8}}));
}

TEST(ClipRing, CrossingPointsLieOnTheSideExactly) {
    // Edges with slopes that do not divide evenly.
    const std::vector<Coord> ring{{7, 1}, {13, 2}, {12.5, 9}, {7, 3}, {7, 1}};
    const auto clipped = clip_ring(ring, kBox);
    int on_side = 0;
    for (const Coord& c : clipped) {
        EXPECT_LE(c.x, 10);
        on_side += c.x == 10;
    }
    EXPECT_EQ(on_side, 2);
    // Run the other way round, the ring meets the side at the same points.
    std::vector<Coord> reversed(ring.rbegin(), ring.rend());
    auto back = canonical(clip_ring(reversed, kBox));
    std::reverse(back.begin() + 1, back.end());
    EXPECT_EQ(canonical(clipped), back);
}

TEST(ClipRing, CornerOfTheBox) {
    // A diamond centred on the corner (10, 10): a quarter of it is inside.
    const std::vector<Coord> ring{{10, 7}, {13, 10}, {10, 13}, {7, 10}, {10, 7}};
    EXPECT_EQ(canonical(clip_ring(ring, kBox)), (std::vector<Coord>{{7, 10}, {10, 7}, {10, 10}}));
}

TEST(ClipRing, RingAroundTheBoxBecomesTheBox) {
    const std::vector<Coord> ring{{-5, -5}, {20, -5}, {20, 20}, {-5, 20}, {-5, -5}};
    const auto clipped = clip_ring(ring, kBox);
    EXPECT_EQ(canonical(clipped), (std::vector<Coord>{{0, 0}, {10, 0}, {10, 10}, {0, 10}}));
    EXPECT_GT(signed_area2(clipped), 0);  // the orientation of the input
}

TEST(ClipRing, OrientationIsKept) {
    const std::vector<Coord> ring{{5, 2}, {5, 8}, {15, 8}, {15, 2}, {5, 2}};  // clockwise (y up)
    const auto clipped = clip_ring(ring, kBox);
    EXPECT_DOUBLE_EQ(signed_area2(clipped), -2 * 5 * 6);
}

TEST(ClipRing, RingOutsideVanishes) {
    EXPECT_TRUE(clip_ring(std::vector<Coord>{{11, 1}, {19, 1}, {19, 9}, {11, 1}}, kBox).empty());
    // Its box meets the box, the ring does not: an L around the corner.
    EXPECT_TRUE(
        clip_ring(std::vector<Coord>{{8, 11}, {12, 11}, {12, 4}, {14, 4}, {14, 13}, {8, 13}, {8, 11}}, kBox).empty());
}

TEST(ClipRing, RingTouchingTheBoxVanishes) {
    EXPECT_TRUE(clip_ring(std::vector<Coord>{{10, 2}, {15, 2}, {15, 8}, {10, 8}, {10, 2}}, kBox).empty());
    EXPECT_TRUE(clip_ring(std::vector<Coord>{{10, 10}, {15, 10}, {15, 15}, {10, 15}, {10, 10}}, kBox).empty());
}

TEST(ClipRing, EmptyAndDegenerateInput) {
    EXPECT_TRUE(clip_ring(std::vector<Coord>{}, kBox).empty());
    EXPECT_TRUE(clip_ring(std::vector<Coord>{{1, 1}, {2, 2}}, kBox).empty());
}

TEST(ClipRing, LeavingAndReenteringThroughOneSideKeepsTheArea) {
    // A C open to the left whose back is outside the right side: two arms
    // inside, joined by a zero-width run along x = 10 (documented).
    const std::vector<Coord> ring{{2, 1}, {14, 1}, {14, 9}, {2, 9}, {2, 7}, {12, 7}, {12, 3}, {2, 3}, {2, 1}};
    const auto clipped = clip_ring(ring, kBox);
    EXPECT_DOUBLE_EQ(signed_area2(clipped), 2 * (2 * 8 * 2));
    EXPECT_EQ(std::count_if(clipped.begin(), clipped.end(), [](Coord c) { return c.x == 10; }), 4);
}

}  // namespace
}  // namespace regiomap
