#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/cql2/ast.hpp"
#include "core/geometry.hpp"

namespace regiomap::cql2 {

// One side of a spatial function: a feature's geometry or a literal of
// the filter (by its number in the engine).
struct SpatialOperand {
    const Geometry* geometry = nullptr;
    int literal = -1;
};

// The spatial functions of CQL2 (S_INTERSECTS … S_CONTAINS) with GEOS
// DE-9IM predicates. Literals are converted and *prepared* once; a
// feature's geometry is converted per test. S_INTERSECTS and S_DISJOINT
// against a box (a BBOX, or a polygon that is an axis-aligned rectangle)
// skip GEOS and use the store's exact box test.
//
// Owns one GEOS context: use an engine from one thread at a time (each
// request binds its own filter).
class SpatialEngine {
public:
    SpatialEngine();
    ~SpatialEngine();
    SpatialEngine(const SpatialEngine&) = delete;
    SpatialEngine& operator=(const SpatialEngine&) = delete;

    // Registers a literal (the parts of a collection, or one geometry) and
    // returns its number. `boxes` non-empty: the literal is exactly the
    // union of these boxes (a BBOX). Throws std::invalid_argument when the
    // literal is not a valid geometry, saying why.
    int add_literal(std::vector<Geometry> parts, std::vector<Box> boxes = {});

    // The literal's extent as boxes (two for a BBOX across the antimeridian).
    std::vector<Box> literal_boxes(int literal) const;

    // The function `op` applied to (a, b), in that order. Throws FilterError
    // when GEOS cannot decide (a topology exception).
    bool relate(Op op, const SpatialOperand& a, const SpatialOperand& b) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace regiomap::cql2
