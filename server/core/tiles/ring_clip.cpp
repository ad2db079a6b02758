#include "core/tiles/ring_clip.hpp"

#include <algorithm>
#include <utility>

namespace regiomap {

namespace {

void push(std::vector<Coord>& out, Coord c) {
    if (out.empty() || !(out.back() == c)) {
        out.push_back(c);
    }
}

// Where the edge a–b crosses the vertical line x = value (a and b on either
// side of it). Computed from the end with the smaller x, so that an edge
// gives the same point whichever way a ring runs along it, and placed on
// the line exactly, so that later passes see it as on this side.
Coord cross_x(Coord a, Coord b, double value) {
    if (b.x < a.x) {
        std::swap(a, b);
    }
    return {value, a.y + (value - a.x) / (b.x - a.x) * (b.y - a.y)};
}

Coord cross_y(Coord a, Coord b, double value) {
    if (b.y < a.y) {
        std::swap(a, b);
    }
    return {a.x + (value - a.y) / (b.y - a.y) * (b.x - a.x), value};
}

// One Sutherland–Hodgman pass: the ring `in` (not closed) cut by one side,
// into `out`. Points on the side count as inside.
template <typename Inside, typename Crossing>
void clip_side(const std::vector<Coord>& in, std::vector<Coord>& out, Inside inside, Crossing crossing) {
    out.clear();
    if (in.empty()) {
        return;
    }
    Coord previous = in.back();
    bool previous_inside = inside(previous);
    for (const Coord& current : in) {
        const bool current_inside = inside(current);
        if (current_inside != previous_inside) {
            push(out, crossing(previous, current));
        }
        if (current_inside) {
            push(out, current);
        }
        previous = current;
        previous_inside = current_inside;
    }
    if (out.size() > 1 && out.front() == out.back()) {
        out.pop_back();
    }
}

}  // namespace

void clip_ring(std::span<const Coord> ring, const Box& box, std::vector<Coord>& out, std::vector<Coord>& scratch) {
    std::vector<Coord>& a = out;
    std::vector<Coord>& b = scratch;
    a.assign(ring.begin(), ring.end());
    if (a.size() > 1 && a.front() == a.back()) {
        a.pop_back();
    }
    b.reserve(a.size() + 4);
    clip_side(
        a, b, [&](Coord c) { return c.x >= box.min_x; }, [&](Coord p, Coord q) { return cross_x(p, q, box.min_x); });
    clip_side(
        b, a, [&](Coord c) { return c.x <= box.max_x; }, [&](Coord p, Coord q) { return cross_x(p, q, box.max_x); });
    clip_side(
        a, b, [&](Coord c) { return c.y >= box.min_y; }, [&](Coord p, Coord q) { return cross_y(p, q, box.min_y); });
    clip_side(
        b, a, [&](Coord c) { return c.y <= box.max_y; }, [&](Coord p, Coord q) { return cross_y(p, q, box.max_y); });
    // A ring that only touches the box, at a corner or along a side, leaves
    // points on one line of the box: no area inside. (Tested exactly, not by
    // a shoelace sum that rounding can keep from being zero.)
    const auto on_one_line = [&](double Coord::*axis) {
        return std::all_of(a.begin(), a.end(), [&](Coord c) { return c.*axis == a.front().*axis; });
    };
    if (a.size() < 3 || on_one_line(&Coord::x) || on_one_line(&Coord::y)) {
        a.clear();
        return;
    }
    a.push_back(a.front());
}

std::vector<Coord> clip_ring(std::span<const Coord> ring, const Box& box) {
    std::vector<Coord> out;
    std::vector<Coord> scratch;
    clip_ring(ring, box, out, scratch);
    return out;
}

}  // namespace regiomap
