#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/gdal_handles.hpp"
#include "core/geometry.hpp"

namespace regiomap {

// Why a source geometry has no place in the store (it is served as null).
enum class GeometryRejection {
    missing,            // the feature has none
    empty,              // empty, or nothing left once its empty members are gone
    unsupported,        // not a kind GeoJSON and MVT share (mixed collections, …)
    non_finite,         // a coordinate that is NaN or infinite
    not_transformable,  // PROJ cannot take it to CRS84
    outside_crs84,      // a coordinate outside lon -180..180, lat -90..90
    unrepairable,       // invalid, and GEOS MakeValid leaves nothing of its kind
    invalid,            // invalid, and the caller asked not to repair it
};

// How strict the door is. A data source's geometry is kept when it can
// be (the data is what it is); a client's edit is refused instead, so that
// the client corrects what it sent rather than the server guessing.
struct CleanRules {
    // Invalid geometry (self-intersections, …) repaired with GEOS
    // MakeValid; false: rejected as `invalid`.
    bool repair_invalid = true;
    // Every position must come back where it was when transformed back to
    // its CRS: outside a CRS's world PROJ wraps (x = 3e7 m in EPSG:3857
    // becomes longitude −90.5), a real place that is not the one meant.
    // Rejected as `not_transformable`. Costs a second transformation.
    bool exact_transform = false;
};

// What became of one source geometry at the store's door.
struct CleanGeometry {
    std::optional<Geometry> geometry;  // nullopt: served as null, `rejection` says why
    std::optional<GeometryRejection> rejection;
    std::string problem;               // why it was rejected, in words (for the log)
    std::vector<std::string> repairs;  // what was changed to keep it ("dropped 1 empty polygon", …)
};

// The one way a geometry enters the store, whatever its source (a data
// source's feature today, a client's edit later). Takes an OGR geometry in
// its source CRS and the transformation to CRS84 (null when it is already
// lon/lat); makes it one of the six GeoJSON kinds (curves linearised, Z and
// M dropped, TINs and polyhedral surfaces as multipolygons, a collection of
// one kind as that multi kind), drops empty and degenerate members (points
// without a position, lines under 2 positions, rings under 4), transforms
// it, rejects non-finite and subnormal coordinates (before and after the
// transformation) and coordinates outside lon -180..180,
// lat −90…90, repairs invalid geometry with GEOS MakeValid (keeping the
// part of its own dimension) and orients rings to RFC 7946. A geometry it
// returns keeps every promise of `geometry_flaw`.
CleanGeometry clean_geometry(gdal::GeometryPtr geometry, const OGRCoordinateTransformation* to_crs84,
                             const CleanRules& rules = {});

// The first broken promise of a stored geometry, or nullopt when it keeps
// them all: finite lon/lat in range, none subnormal; bookkeeping consistent (ends
// increasing, within the arrays); no empty member; points of one position,
// lines of ≥ 2, rings of ≥ 4 and closed; polygons with an exterior. What
// the GeoJSON writer and the tiler rely on; tests and fuzzers check it.
std::optional<std::string> geometry_flaw(const Geometry& geometry);

}  // namespace regiomap
