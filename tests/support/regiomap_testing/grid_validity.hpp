#pragma once

// GEOS's verdict on polygons cut for a tile: the one check that tests and
// the tile-pipeline fuzz target both hold the pipeline's output to.
#include <string>
#include <vector>

#include "core/geos_handles.hpp"
#include "core/tiles/tile_geometry.hpp"

namespace regiomap::testing {

// Rings in tile-grid units as the tile pipeline emits them: an exterior
// (positive grid_area2) followed by its holes, then the next exterior.
// Returns GEOS's reason: "Valid Geometry" for a valid multipolygon, a
// description of the defect otherwise, or why no geometry could be made.
inline std::string grid_polygon_validity(const geos::Context& geos, const std::vector<std::vector<GridPoint>>& rings) {
    std::vector<GEOSGeometry*> polygons;
    std::vector<GEOSGeometry*> holes;
    GEOSGeometry* shell = nullptr;
    auto flush = [&] {
        if (shell) {
            polygons.push_back(
                GEOSGeom_createPolygon_r(geos.get(), shell, holes.data(), static_cast<unsigned>(holes.size())));
            holes.clear();
            shell = nullptr;
        }
    };
    for (const auto& ring : rings) {
        if (ring.size() < 3) {
            flush();
            for (GEOSGeometry* made : polygons) {
                GEOSGeom_destroy_r(geos.get(), made);
            }
            for (GEOSGeometry* hole : holes) {
                GEOSGeom_destroy_r(geos.get(), hole);
            }
            return "a ring of fewer than 3 points";
        }
        GEOSCoordSequence* sequence = GEOSCoordSeq_create_r(geos.get(), static_cast<unsigned>(ring.size() + 1), 2);
        for (std::size_t i = 0; i <= ring.size(); ++i) {
            const GridPoint& p = ring[i % ring.size()];
            GEOSCoordSeq_setXY_r(geos.get(), sequence, static_cast<unsigned>(i), p.x, p.y);
        }
        GEOSGeometry* linear = GEOSGeom_createLinearRing_r(geos.get(), sequence);
        if (!linear) {
            flush();
            for (GEOSGeometry* made : polygons) {
                GEOSGeom_destroy_r(geos.get(), made);
            }
            return "a ring GEOS cannot make";
        }
        if (grid_area2(ring) > 0) {
            flush();
            shell = linear;
        } else if (shell) {
            holes.push_back(linear);
        } else {
            GEOSGeom_destroy_r(geos.get(), linear);
            flush();
            for (GEOSGeometry* made : polygons) {
                GEOSGeom_destroy_r(geos.get(), made);
            }
            return "a hole before any exterior";
        }
    }
    flush();
    auto multi = geos::own(geos, GEOSGeom_createCollection_r(geos.get(), GEOS_MULTIPOLYGON, polygons.data(),
                                                             static_cast<unsigned>(polygons.size())));
    if (!multi) {
        return "no multipolygon";
    }
    char* reason = GEOSisValidReason_r(geos.get(), multi.get());
    std::string out = reason ? reason : "unknown";
    GEOSFree_r(geos.get(), reason);
    return out;
}

}  // namespace regiomap::testing
