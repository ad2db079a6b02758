#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/cql2/ast.hpp"
#include "core/feature_store.hpp"

namespace regiomap::cql2 {

// How geometry literals are read: in CRS84 by default, or in the filter's
// CRS (`filter-crs`), transformed to CRS84 point by point.
struct LiteralCrs {
    // Transforms coordinates in place from the filter CRS (in its axis
    // order) to CRS84 lon/lat; empty when literals are CRS84 already.
    std::function<void(std::span<Coord>)> to_crs84;
    // Whether the CRS is geographic: a BBOX whose first longitude exceeds
    // its second then crosses the antimeridian; otherwise it is an error.
    bool geographic = true;
};

// The conformance classes of CQL2 that this evaluator implements in full
// (checked against the standard's test data in tests/integration).
inline constexpr std::string_view kConformance[] = {
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/property-property",
    "http://www.opengis.net/spec/cql2/1.0/conf/arithmetic",
};

// A CQL2 expression bound to one collection's schema: every property is
// resolved to a field (or the geometry), every operand type-checked, every
// literal converted (geometry prepared for GEOS, patterns case-folded).
// Evaluation uses SQL's three-valued logic: a comparison with a null
// property is unknown, and unknown does not match.
//
// Holds a GEOS context: one request (thread) at a time.
class Filter : public FeaturePredicate {
public:
    // Throws FilterError naming the position: an unknown property (and
    // the queryables there are), operands of the wrong type, functions
    // this server does not offer, an invalid geometry literal.
    Filter(const Expression& expression, const CollectionMeta& meta, const LiteralCrs& crs = {});
    ~Filter() override;
    Filter(const Filter&) = delete;
    Filter& operator=(const Filter&) = delete;

    bool matches(const Feature& feature) const override;
    std::optional<std::vector<Box>> implied_boxes() const override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A spatial predicate S_INTERSECTS(geometry, polygon) for the `bbox`
// parameter given in a projected CRS (`bbox-crs`): the box's edges,
// densified, transformed to CRS84. Geographic CRSs need no polygon (their
// boxes stay boxes) and use ItemQuery::boxes instead.
std::shared_ptr<const FeaturePredicate> intersects_polygon(const Geometry& crs84_polygon);

}  // namespace regiomap::cql2
