#pragma once

#include <span>
#include <vector>

#include "core/geometry.hpp"

namespace regiomap {

// The part of a polygon ring inside an axis-aligned box, by Sutherland–Hodgman
// (one pass per side of the box). `ring` may or may not repeat its first
// point; the result is closed (repeats it), keeps the ring's orientation,
// has no consecutive duplicates, and lies within the box with the points it
// adds exactly on the box's sides. Empty when nothing with an area is left:
// a ring wholly outside vanishes, and a ring around the whole box becomes
// the box.
//
// A ring that leaves and re-enters the box through one side comes out as
// one ring with zero-width edges running along that side between its
// pieces: the result has the right area but need not be a simple ring, so
// callers must check it before calling it valid.
std::vector<Coord> clip_ring(std::span<const Coord> ring, const Box& box);

// The same into `out`, with `scratch` as the second buffer of the passes:
// both keep their capacity, so that clipping ring after ring allocates
// nothing once they have grown. `ring` must not alias either.
void clip_ring(std::span<const Coord> ring, const Box& box, std::vector<Coord>& out, std::vector<Coord>& scratch);

}  // namespace regiomap
