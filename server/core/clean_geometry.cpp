#include "core/clean_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

namespace regiomap {

namespace {

// How far a transformation's rounding may overshoot ±180° / ±90° (a world
// extent in EPSG:3857 comes back as 180.00000000000003); such coordinates
// are clamped, anything further out is not a lon/lat.
constexpr double kRoundingSlack = 1e-9;
constexpr double kLargestProjected = 1e9;

enum class Family { point, line, polygon };

std::optional<Family> family_of(OGRwkbGeometryType type) {
    switch (wkbFlatten(type)) {
        case wkbPoint:
        case wkbMultiPoint:
            return Family::point;
        case wkbLineString:
        case wkbMultiLineString:
            return Family::line;
        case wkbPolygon:
        case wkbMultiPolygon:
            return Family::polygon;
        default:
            return std::nullopt;
    }
}

const char* family_name(Family family) {
    switch (family) {
        case Family::point:
            return "points";
        case Family::line:
            return "lines";
        case Family::polygon:
            return "polygons";
    }
    return "";
}

CleanGeometry rejected(GeometryRejection why, std::string problem, std::vector<std::string> repairs) {
    CleanGeometry out;
    out.rejection = why;
    out.problem = std::move(problem);
    out.repairs = std::move(repairs);
    return out;
}

std::string coordinate_text(double x, double y) {
    char text[80];
    std::snprintf(text, sizeof text, "(%.10g, %.10g)", x, y);
    return text;
}

// The simple parts of one family gathered from a geometry of any shape
// (nested collections, TINs, polyhedral surfaces, triangles); parts of the
// other families are counted in `others`.
class PartCollector {
public:
    explicit PartCollector(Family family) : family_(family) {
        switch (family) {
            case Family::point:
                multi_.reset(new OGRMultiPoint);
                break;
            case Family::line:
                multi_.reset(new OGRMultiLineString);
                break;
            case Family::polygon:
                multi_.reset(new OGRMultiPolygon);
                break;
        }
    }

    void add(const OGRGeometry& geometry) {
        const auto type = wkbFlatten(geometry.getGeometryType());
        if (type == wkbGeometryCollection || type == wkbMultiPoint || type == wkbMultiLineString ||
            type == wkbMultiPolygon) {
            for (const OGRGeometry* part : *geometry.toGeometryCollection()) {
                add(*part);
            }
            return;
        }
        if (type == wkbTriangle || type == wkbTIN || type == wkbPolyhedralSurface) {
            gdal::GeometryPtr polygons{OGRGeometryFactory::forceTo(geometry.clone(), wkbMultiPolygon)};
            if (polygons && wkbFlatten(polygons->getGeometryType()) == wkbMultiPolygon) {
                add(*polygons);
            } else {
                ++others_;
            }
            return;
        }
        const auto family = family_of(type);
        if (family == family_) {
            multi_->toGeometryCollection()->addGeometry(&geometry);
        } else if (!geometry.IsEmpty()) {
            ++others_;
        }
    }

    std::size_t others() const { return others_; }
    gdal::GeometryPtr take() { return std::move(multi_); }

private:
    Family family_;
    gdal::GeometryPtr multi_;
    std::size_t others_ = 0;
};

// The families of the non-empty simple parts of a geometry.
void families_in(const OGRGeometry& geometry, std::vector<Family>& found) {
    const auto type = wkbFlatten(geometry.getGeometryType());
    if (geometry.IsEmpty()) {
        return;
    }
    if (type == wkbTriangle || type == wkbTIN || type == wkbPolyhedralSurface) {
        found.push_back(Family::polygon);
    } else if (auto family = family_of(type)) {
        found.push_back(*family);
    } else if (type == wkbGeometryCollection) {
        for (const OGRGeometry* part : *geometry.toGeometryCollection()) {
            families_in(*part, found);
        }
    }
}

// One of the six GeoJSON kinds in 2D, or nullptr with the reason.
gdal::GeometryPtr to_simple_kind(gdal::GeometryPtr geometry, std::string& problem, std::vector<std::string>& repairs) {
    if (geometry->hasCurveGeometry()) {
        geometry.reset(geometry->getLinearGeometry());
        if (!geometry) {
            problem = "a curve geometry that cannot be linearised";
            return nullptr;
        }
    }
    geometry->flattenTo2D();
    const auto type = wkbFlatten(geometry->getGeometryType());
    if (family_of(type)) {
        return geometry;
    }
    if (type != wkbGeometryCollection && type != wkbTriangle && type != wkbTIN && type != wkbPolyhedralSurface) {
        problem = std::string("unsupported geometry ") + geometry->getGeometryName();
        return nullptr;
    }
    std::vector<Family> families;
    families_in(*geometry, families);
    std::sort(families.begin(), families.end());
    families.erase(std::unique(families.begin(), families.end()), families.end());
    if (families.empty()) {
        geometry->empty();
        return geometry;
    }
    if (families.size() > 1) {
        problem = std::string("a ") + geometry->getGeometryName() + " of mixed kinds (";
        for (std::size_t i = 0; i < families.size(); ++i) {
            problem += (i ? " and " : "") + std::string(family_name(families[i]));
        }
        problem += "), which GeoJSON features of one type cannot hold";
        return nullptr;
    }
    PartCollector collector(families[0]);
    collector.add(*geometry);
    auto simple = collector.take();
    repairs.push_back(std::string(geometry->getGeometryName()) +
                      (type == wkbGeometryCollection ? std::string(" of ") + family_name(families[0]) : "") +
                      " served as a " + simple->getGeometryName());
    return simple;
}

// Parts that GeoJSON (RFC 7946) does not allow, removed in place.
struct Dropped {
    std::size_t empty_members = 0;  // members without a position
    std::size_t short_lines = 0;    // under 2 positions
    std::size_t short_rings = 0;    // under 4 positions once closed

    std::size_t total() const { return empty_members + short_lines + short_rings; }
    std::string describe() const {
        std::string text = "dropped";
        auto add = [&](std::size_t n, const char* one, const char* many) {
            if (n > 0) {
                text += (text.size() > 7 ? ", " : " ") + std::to_string(n) + " " + (n == 1 ? one : many);
            }
        };
        add(empty_members, "empty member", "empty members");
        add(short_lines, "line of fewer than 2 positions", "lines of fewer than 2 positions");
        add(short_rings, "ring of fewer than 4 positions", "rings of fewer than 4 positions");
        return text;
    }
};

// A polygon keeps its holes of 4 positions or more; one whose exterior is
// shorter is emptied (its holes mean nothing without it).
void drop_short_rings(OGRPolygon& polygon, Dropped& dropped) {
    if (polygon.IsEmpty()) {
        return;
    }
    polygon.closeRings();
    const OGRLinearRing* exterior = polygon.getExteriorRing();
    if (!exterior || exterior->getNumPoints() < 4) {
        ++dropped.short_rings;
        polygon.empty();
        return;
    }
    for (int hole = polygon.getNumInteriorRings(); hole >= 1; --hole) {
        if (polygon.getInteriorRing(hole - 1)->getNumPoints() < 4) {
            ++dropped.short_rings;
            polygon.removeRing(hole);
        }
    }
}

void drop_degenerate_parts(OGRGeometry& geometry, Dropped& dropped) {
    switch (wkbFlatten(geometry.getGeometryType())) {
        case wkbLineString:
            if (!geometry.IsEmpty() && geometry.toLineString()->getNumPoints() < 2) {
                ++dropped.short_lines;
                geometry.empty();
            }
            return;
        case wkbPolygon:
            drop_short_rings(*geometry.toPolygon(), dropped);
            return;
        case wkbMultiPoint:
        case wkbMultiLineString:
        case wkbMultiPolygon: {
            auto& members = *geometry.toGeometryCollection();
            for (int i = members.getNumGeometries() - 1; i >= 0; --i) {
                OGRGeometry& member = *members.getGeometryRef(i);
                if (member.IsEmpty()) {
                    ++dropped.empty_members;
                    members.removeGeometry(i);
                    continue;
                }
                drop_degenerate_parts(member, dropped);
                if (member.IsEmpty()) {
                    members.removeGeometry(i);
                }
            }
            return;
        }
        default:
            return;
    }
}

// Visits every position of a geometry of the six kinds until `visit` says stop.
template <typename Visit>
bool every_position(const OGRGeometry& geometry, Visit&& visit) {
    switch (wkbFlatten(geometry.getGeometryType())) {
        case wkbPoint: {
            const OGRPoint& point = *geometry.toPoint();
            return point.IsEmpty() || visit(point.getX(), point.getY());
        }
        case wkbLineString: {
            const OGRLineString& line = *geometry.toLineString();
            for (int i = 0, n = line.getNumPoints(); i < n; ++i) {
                if (!visit(line.getX(i), line.getY(i))) {
                    return false;
                }
            }
            return true;
        }
        case wkbPolygon:
            for (const OGRLinearRing* ring : *geometry.toPolygon()) {
                for (int i = 0, n = ring->getNumPoints(); i < n; ++i) {
                    if (!visit(ring->getX(i), ring->getY(i))) {
                        return false;
                    }
                }
            }
            return true;
        default:
            for (const OGRGeometry* part : *geometry.toGeometryCollection()) {
                if (!every_position(*part, visit)) {
                    return false;
                }
            }
            return true;
    }
}

// The first position of `source` that does not come back to itself when
// its image in `transformed` is taken back through the inverse of `forward`.
std::optional<std::string> position_not_kept(const OGRGeometry& source, const OGRGeometry& transformed,
                                             const OGRCoordinateTransformation& forward) {
    const gdal::TransformPtr inverse{forward.GetInverse()};
    gdal::GeometryPtr back{transformed.clone()};
    if (!inverse || back->transform(inverse.get()) != OGRERR_NONE) {
        return "(no way back)";
    }
    std::vector<Coord> original;
    every_position(source, [&](double x, double y) {
        original.push_back({x, y});
        return true;
    });
    std::size_t i = 0;
    std::optional<std::string> moved;
    every_position(*back, [&](double x, double y) {
        const Coord& was = original[i++];
        // Relative: a round trip through PROJ keeps far more digits than
        // this, a wrap moves a position by a whole world.
        auto near = [](double a, double b) { return std::abs(a - b) <= 1e-7 * std::max(1.0, std::abs(a)); };
        if (!near(was.x, x) || !near(was.y, y)) {
            moved = coordinate_text(was.x, was.y);
        }
        return !moved;
    });
    return moved;
}

void append_path(const OGRSimpleCurve& curve, Geometry& out) {
    for (int i = 0, n = curve.getNumPoints(); i < n; ++i) {
        out.coords.push_back({curve.getX(i), curve.getY(i)});
    }
    out.path_ends.push_back(static_cast<std::uint32_t>(out.coords.size()));
}

void append_polygon(const OGRPolygon& polygon, Geometry& out) {
    for (const OGRLinearRing* ring : polygon) {
        append_path(*ring, out);
    }
    out.polygon_ends.push_back(static_cast<std::uint32_t>(out.path_ends.size()));
}

// To the flat layout; the geometry has no empty member by now.
Geometry flatten(const OGRGeometry& geometry) {
    Geometry out;
    switch (wkbFlatten(geometry.getGeometryType())) {
        case wkbPoint: {
            const OGRPoint& point = *geometry.toPoint();
            out.type = GeometryType::point;
            out.coords.push_back({point.getX(), point.getY()});
            out.path_ends.push_back(1);
            break;
        }
        case wkbLineString:
            out.type = GeometryType::line_string;
            append_path(*geometry.toLineString(), out);
            break;
        case wkbPolygon:
            out.type = GeometryType::polygon;
            append_polygon(*geometry.toPolygon(), out);
            break;
        case wkbMultiPoint:
            out.type = GeometryType::multi_point;
            for (const OGRPoint* point : *geometry.toMultiPoint()) {
                out.coords.push_back({point->getX(), point->getY()});
                out.path_ends.push_back(static_cast<std::uint32_t>(out.coords.size()));
            }
            break;
        case wkbMultiLineString:
            out.type = GeometryType::multi_line_string;
            for (const OGRLineString* line : *geometry.toMultiLineString()) {
                append_path(*line, out);
            }
            break;
        case wkbMultiPolygon:
            out.type = GeometryType::multi_polygon;
            for (const OGRPolygon* polygon : *geometry.toMultiPolygon()) {
                append_polygon(*polygon, out);
            }
            break;
        default:
            break;
    }
    return out;
}

// Why the geometry's numbers are no positions, or nullopt. One walk over
// the positions for both checks; a coordinate that is not finite is named
// first, wherever it is. A subnormal number (nonzero, below 2.2e-308) is no
// position in any CRS, and GEOS 3.11 does not return on one: its quadtree
// (validity check) and its simplifier divide by squared distances that
// underflow to zero. fuzz_wkb_geometry found both (minutes in the validity
// check; a stack overflow in the tiler's simplification).
std::optional<std::string> number_flaw(const OGRGeometry& geometry) {
    bool finite = true;
    bool normal = true;
    every_position(geometry, [&](double x, double y) {
        finite = std::isfinite(x) && std::isfinite(y);
        normal = normal && std::fpclassify(x) != FP_SUBNORMAL && std::fpclassify(y) != FP_SUBNORMAL;
        return finite;
    });
    if (!finite) {
        return "a coordinate that is not a finite number";
    }
    if (!normal) {
        return "a coordinate too close to zero to be a position (a subnormal number)";
    }
    return std::nullopt;
}

}  // namespace

CleanGeometry clean_geometry(gdal::GeometryPtr geometry, const OGRCoordinateTransformation* to_crs84,
                             const CleanRules& rules) {
    if (!geometry) {
        return rejected(GeometryRejection::missing, "no geometry", {});
    }
    std::vector<std::string> repairs;
    std::string problem;
    geometry = to_simple_kind(std::move(geometry), problem, repairs);
    if (!geometry) {
        return rejected(GeometryRejection::unsupported, problem, std::move(repairs));
    }
    Dropped dropped;
    drop_degenerate_parts(*geometry, dropped);
    if (dropped.total() > 0) {
        repairs.push_back(dropped.describe());
    }
    if (geometry->IsEmpty()) {
        return rejected(GeometryRejection::empty, dropped.total() > 0 ? "nothing left" : "empty geometry",
                        std::move(repairs));
    }

    if (auto flaw = number_flaw(*geometry)) {
        return rejected(GeometryRejection::non_finite, *flaw, std::move(repairs));
    }
    if (to_crs84) {
        // No CRS's world is this large (the Earth is 4e7 m around, 1.3e8 US
        // feet), and GDAL's transformation from EPSG:3857 never returns for
        // x >= 1e20 (1e9 m it wraps to a longitude that looks real).
        std::string huge;
        every_position(*geometry, [&](double x, double y) {
            if (!(std::abs(x) <= kLargestProjected && std::abs(y) <= kLargestProjected)) {
                huge = coordinate_text(x, y);
                return false;
            }
            return true;
        });
        if (!huge.empty()) {
            return rejected(GeometryRejection::not_transformable, "coordinate " + huge + " too large for any CRS",
                            std::move(repairs));
        }
        const gdal::GeometryPtr before{rules.exact_transform ? geometry->clone() : nullptr};
        // transform() takes a non-const transformation; it does not change it.
        if (geometry->transform(const_cast<OGRCoordinateTransformation*>(to_crs84)) != OGRERR_NONE) {
            return rejected(GeometryRejection::not_transformable, "geometry cannot be transformed to CRS84",
                            std::move(repairs));
        }
        if (before) {
            if (auto moved = position_not_kept(*before, *geometry, *to_crs84)) {
                return rejected(GeometryRejection::not_transformable,
                                "coordinate " + *moved + " lies outside the world of its CRS", std::move(repairs));
            }
        }
        // Again: a tiny coordinate that was normal in metres can be subnormal
        // in degrees (fuzz_wkb_geometry: 1.8e-307 m in EPSG:3857 is
        // 1.6e-312°, and GEOS's simplifier in the tiler then recursed until
        // the stack overflowed).
        if (auto flaw = number_flaw(*geometry)) {
            return rejected(GeometryRejection::non_finite, *flaw + " after the transformation to CRS84",
                            std::move(repairs));
        }
    }
    std::string outside;
    every_position(*geometry, [&](double x, double y) {
        if (!(std::abs(x) <= 180 + kRoundingSlack && std::abs(y) <= 90 + kRoundingSlack)) {
            outside = coordinate_text(x, y);
            return false;
        }
        return true;
    });
    if (!outside.empty()) {
        return rejected(GeometryRejection::outside_crs84,
                        "coordinate " + outside + " outside CRS84's range (lon -180..180, lat -90..90)",
                        std::move(repairs));
    }

    // GEOS says why a geometry is invalid through GDAL's error handler:
    // caught here, it goes into the feature's note instead of a log line of
    // its own that names no feature.
    std::string invalid_because;
    gdal::ScopedErrorHandler capture(
        [](void* context, CPLErr, const char* message) {
            auto& first = *static_cast<std::string*>(context);
            if (first.empty()) {
                first = message;
            }
        },
        &invalid_because);
    if (!geometry->IsValid()) {
        if (!rules.repair_invalid) {
            return rejected(GeometryRejection::invalid,
                            std::string("invalid ") + geometry->getGeometryName() +
                                (invalid_because.empty() ? "" : " (" + invalid_because + ")"),
                            std::move(repairs));
        }
        const Family family = *family_of(geometry->getGeometryType());
        gdal::GeometryPtr fixed{geometry->MakeValid()};
        if (fixed && family_of(fixed->getGeometryType()) != family) {
            PartCollector collector(family);
            collector.add(*fixed);
            fixed = collector.take();
        }
        if (fixed) {
            drop_degenerate_parts(*fixed, dropped);
        }
        if (!fixed || fixed->IsEmpty() || !fixed->IsValid()) {
            return rejected(GeometryRejection::unrepairable,
                            std::string("invalid ") + geometry->getGeometryName() +
                                (invalid_because.empty() ? "" : " (" + invalid_because + ")") +
                                " that GEOS MakeValid cannot repair without changing its kind",
                            std::move(repairs));
        }
        repairs.push_back("invalid geometry, repaired with GEOS MakeValid" +
                          (invalid_because.empty() ? "" : " (" + invalid_because + ")"));
        geometry = std::move(fixed);
    }

    Geometry out = flatten(*geometry);
    for (Coord& c : out.coords) {
        c.x = std::clamp(c.x, -180.0, 180.0);
        c.y = std::clamp(c.y, -90.0, 90.0);
    }
    orient_rings_rfc7946(out);
    // Vectors grown by push_back hold up to twice what they need: with a
    // million features that is a sizeable share of the resident memory.
    out.coords.shrink_to_fit();
    out.path_ends.shrink_to_fit();
    out.polygon_ends.shrink_to_fit();
    if (auto flaw = geometry_flaw(out)) {
        return rejected(GeometryRejection::unrepairable, "a geometry the store cannot keep: " + *flaw,
                        std::move(repairs));
    }
    CleanGeometry result;
    result.geometry = std::move(out);
    result.repairs = std::move(repairs);
    return result;
}

std::optional<std::string> geometry_flaw(const Geometry& g) {
    if (g.coords.empty()) {
        if (!g.path_ends.empty() || !g.polygon_ends.empty()) {
            return "paths without positions";
        }
        return std::nullopt;  // served as null
    }
    for (const Coord& c : g.coords) {
        if (!(std::abs(c.x) <= 180 && std::abs(c.y) <= 90)) {
            return "coordinate " + coordinate_text(c.x, c.y) + " is not a lon/lat";
        }
        if (std::fpclassify(c.x) == FP_SUBNORMAL || std::fpclassify(c.y) == FP_SUBNORMAL) {
            return "coordinate " + coordinate_text(c.x, c.y) + " is subnormal";
        }
    }
    if (g.path_ends.empty() || g.path_ends.back() != g.coords.size()) {
        return "path ends do not end at the last position";
    }
    const bool polygonal = g.type == GeometryType::polygon || g.type == GeometryType::multi_polygon;
    const bool linear = g.type == GeometryType::line_string || g.type == GeometryType::multi_line_string;
    const std::size_t least = polygonal ? 4 : linear ? 2 : 1;
    std::uint32_t begin = 0;
    for (std::uint32_t end : g.path_ends) {
        if (end < begin || end - begin < least) {
            return "a " +
                   std::string(polygonal ? "ring"
                               : linear  ? "line"
                                         : "point") +
                   " of " + std::to_string(end < begin ? 0 : end - begin) + " positions";
        }
        if (!linear && !polygonal && end - begin != 1) {
            return "a point of " + std::to_string(end - begin) + " positions";
        }
        if (polygonal && !(g.coords[begin] == g.coords[end - 1])) {
            return "a ring that is not closed";
        }
        begin = end;
    }
    if ((g.type == GeometryType::point || g.type == GeometryType::line_string) && g.path_ends.size() != 1) {
        return "a single " + std::string(linear ? "line" : "point") + " with " + std::to_string(g.path_ends.size()) +
               " parts";
    }
    if (!polygonal) {
        return g.polygon_ends.empty() ? std::nullopt : std::optional<std::string>("polygon ends on a non-polygon");
    }
    if (g.polygon_ends.empty() || g.polygon_ends.back() != g.path_ends.size()) {
        return "polygon ends do not end at the last ring";
    }
    if (g.type == GeometryType::polygon && g.polygon_ends.size() != 1) {
        return "a single polygon with " + std::to_string(g.polygon_ends.size()) + " parts";
    }
    std::uint32_t first_ring = 0;
    for (std::uint32_t end_ring : g.polygon_ends) {
        if (end_ring <= first_ring) {
            return "a polygon without rings";
        }
        first_ring = end_ring;
    }
    return std::nullopt;
}

}  // namespace regiomap
