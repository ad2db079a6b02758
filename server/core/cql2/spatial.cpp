#include "core/cql2/spatial.hpp"

#include <optional>
#include <stdexcept>

#include "core/geos_handles.hpp"

namespace regiomap::cql2 {

namespace {

struct PreparedDestroy {
    GEOSContextHandle_t context;
    void operator()(const GEOSPreparedGeometry* prepared) const { GEOSPreparedGeom_destroy_r(context, prepared); }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDestroy>;

// The exact box a polygon literal is, when it is an axis-aligned rectangle.
std::optional<Box> as_rectangle(const Geometry& g) {
    if (g.type != GeometryType::polygon || g.path_count() != 1 || g.coords.size() != 5) {
        return std::nullopt;
    }
    const Box box = g.bounds();
    if (box.min_x == box.max_x || box.min_y == box.max_y) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i + 1 < g.coords.size(); ++i) {
        const Coord& a = g.coords[i];
        const Coord& b = g.coords[i + 1];
        const bool corner = (a.x == box.min_x || a.x == box.max_x) && (a.y == box.min_y || a.y == box.max_y);
        const bool one_axis = (a.x == b.x) != (a.y == b.y);
        if (!corner || !one_axis) {
            return std::nullopt;
        }
    }
    return box;
}

bool box_op(Op op) {
    return op == Op::s_intersects || op == Op::s_disjoint;
}

}  // namespace

struct SpatialEngine::Impl {
    struct Part {
        geos::GeometryPtr geometry;
        PreparedPtr prepared;
    };
    struct Literal {
        std::vector<Geometry> shapes;
        std::vector<Box> boxes;   // exactly these boxes, when it is one
        std::vector<Part> parts;  // one per shape (one for a BBOX)
        geos::GeometryPtr whole;  // the collection of all parts, when there are several
    };

    geos::Context context;
    mutable std::string last_error;
    std::vector<Literal> literals;

    Impl() {
        GEOSContext_setErrorMessageHandler_r(
            context.get(),
            [](const char* message, void* target) { static_cast<std::string*>(target)->assign(message); }, &last_error);
    }

    GEOSContextHandle_t handle() const { return context.get(); }

    GEOSCoordSequence* sequence(std::span<const Coord> path) const {
        return GEOSCoordSeq_copyFromBuffer_r(handle(), &path.front().x, static_cast<unsigned int>(path.size()), 0, 0);
    }

    GEOSGeometry* polygon(const Geometry& g, std::size_t first_ring, std::size_t end_ring) const {
        GEOSGeometry* shell = GEOSGeom_createLinearRing_r(handle(), sequence(g.path(first_ring)));
        std::vector<GEOSGeometry*> holes;
        for (std::size_t ring = first_ring + 1; ring < end_ring; ++ring) {
            holes.push_back(GEOSGeom_createLinearRing_r(handle(), sequence(g.path(ring))));
        }
        return GEOSGeom_createPolygon_r(handle(), shell, holes.data(), static_cast<unsigned int>(holes.size()));
    }

    geos::GeometryPtr convert(const Geometry& g) const {
        GEOSGeometry* out = nullptr;
        std::vector<GEOSGeometry*> members;
        switch (g.type) {
            case GeometryType::point:
                out = GEOSGeom_createPointFromXY_r(handle(), g.coords[0].x, g.coords[0].y);
                break;
            case GeometryType::line_string:
                out = GEOSGeom_createLineString_r(handle(), sequence(g.path(0)));
                break;
            case GeometryType::polygon:
                out = polygon(g, 0, g.path_count());
                break;
            case GeometryType::multi_point:
                for (const Coord& c : g.coords) {
                    members.push_back(GEOSGeom_createPointFromXY_r(handle(), c.x, c.y));
                }
                out = GEOSGeom_createCollection_r(handle(), GEOS_MULTIPOINT, members.data(),
                                                  static_cast<unsigned int>(members.size()));
                break;
            case GeometryType::multi_line_string:
                for (std::size_t i = 0; i < g.path_count(); ++i) {
                    members.push_back(GEOSGeom_createLineString_r(handle(), sequence(g.path(i))));
                }
                out = GEOSGeom_createCollection_r(handle(), GEOS_MULTILINESTRING, members.data(),
                                                  static_cast<unsigned int>(members.size()));
                break;
            case GeometryType::multi_polygon: {
                std::size_t first_ring = 0;
                for (std::uint32_t end_ring : g.polygon_ends) {
                    members.push_back(polygon(g, first_ring, end_ring));
                    first_ring = end_ring;
                }
                out = GEOSGeom_createCollection_r(handle(), GEOS_MULTIPOLYGON, members.data(),
                                                  static_cast<unsigned int>(members.size()));
                break;
            }
        }
        if (!out) {
            throw std::invalid_argument("GEOS could not build the geometry: " + last_error);
        }
        return geos::own(context, out);
    }

    geos::GeometryPtr box_geometry(const std::vector<Box>& boxes) const {
        std::vector<GEOSGeometry*> members;
        for (const Box& b : boxes) {
            members.push_back(GEOSGeom_createRectangle_r(handle(), b.min_x, b.min_y, b.max_x, b.max_y));
        }
        if (members.size() == 1) {
            return geos::own(context, members[0]);
        }
        return geos::own(context, GEOSGeom_createCollection_r(handle(), GEOS_MULTIPOLYGON, members.data(),
                                                              static_cast<unsigned int>(members.size())));
    }

    Part part(geos::GeometryPtr geometry) const {
        const char valid = GEOSisValid_r(handle(), geometry.get());
        if (valid != 1) {
            char* reason = GEOSisValidReason_r(handle(), geometry.get());
            std::string why = reason ? reason : last_error;
            GEOSFree_r(handle(), reason);
            throw std::invalid_argument("the geometry is not valid (" + why + ")");
        }
        PreparedPtr prepared(GEOSPrepare_r(handle(), geometry.get()), PreparedDestroy{handle()});
        return {std::move(geometry), std::move(prepared)};
    }

    [[noreturn]] void geos_failed(Op op) const {
        throw FilterError(std::string(op_name(op)) + " could not be evaluated: " +
                          (last_error.empty() ? std::string("GEOS reported an error") : last_error));
    }

    bool decide(char result, Op op) const {
        if (result == 2) {
            geos_failed(op);
        }
        return result == 1;
    }

    // op(prepared literal part, other) with the literal on the given side.
    bool prepared_test(Op op, const GEOSPreparedGeometry* literal, const GEOSGeometry* other,
                       bool literal_first) const {
        const GEOSContextHandle_t h = handle();
        switch (op) {
            case Op::s_intersects:
                return decide(GEOSPreparedIntersects_r(h, literal, other), op);
            case Op::s_disjoint:
                return decide(GEOSPreparedDisjoint_r(h, literal, other), op);
            case Op::s_touches:
                return decide(GEOSPreparedTouches_r(h, literal, other), op);
            case Op::s_overlaps:
                return decide(GEOSPreparedOverlaps_r(h, literal, other), op);
            case Op::s_crosses:
                return decide(GEOSPreparedCrosses_r(h, literal, other), op);
            case Op::s_within:
                return decide(
                    literal_first ? GEOSPreparedWithin_r(h, literal, other) : GEOSPreparedContains_r(h, literal, other),
                    op);
            case Op::s_contains:
                return decide(
                    literal_first ? GEOSPreparedContains_r(h, literal, other) : GEOSPreparedWithin_r(h, literal, other),
                    op);
            default:
                return false;
        }
    }

    bool plain_test(Op op, const GEOSGeometry* a, const GEOSGeometry* b) const {
        const GEOSContextHandle_t h = handle();
        switch (op) {
            case Op::s_intersects:
                return decide(GEOSIntersects_r(h, a, b), op);
            case Op::s_equals:
                return decide(GEOSEquals_r(h, a, b), op);
            case Op::s_disjoint:
                return decide(GEOSDisjoint_r(h, a, b), op);
            case Op::s_touches:
                return decide(GEOSTouches_r(h, a, b), op);
            case Op::s_within:
                return decide(GEOSWithin_r(h, a, b), op);
            case Op::s_overlaps:
                return decide(GEOSOverlaps_r(h, a, b), op);
            case Op::s_crosses:
                return decide(GEOSCrosses_r(h, a, b), op);
            case Op::s_contains:
                return decide(GEOSContains_r(h, a, b), op);
            default:
                return false;
        }
    }

    const GEOSGeometry* whole_of(const Literal& literal) const {
        return literal.whole ? literal.whole.get() : literal.parts.front().geometry.get();
    }
};

SpatialEngine::SpatialEngine() : impl_(std::make_unique<Impl>()) {}
SpatialEngine::~SpatialEngine() = default;

int SpatialEngine::add_literal(std::vector<Geometry> parts, std::vector<Box> boxes) {
    Impl::Literal literal;
    if (!boxes.empty()) {
        literal.parts.push_back(impl_->part(impl_->box_geometry(boxes)));
        literal.boxes = std::move(boxes);
    } else {
        for (const Geometry& shape : parts) {
            literal.parts.push_back(impl_->part(impl_->convert(shape)));
        }
        if (parts.size() == 1) {
            if (auto rectangle = as_rectangle(parts[0])) {
                literal.boxes = {*rectangle};
            }
        } else {
            std::vector<GEOSGeometry*> members;
            for (const Geometry& shape : parts) {
                members.push_back(impl_->convert(shape).release());
            }
            literal.whole = geos::own(
                impl_->context, GEOSGeom_createCollection_r(impl_->handle(), GEOS_GEOMETRYCOLLECTION, members.data(),
                                                            static_cast<unsigned int>(members.size())));
        }
    }
    literal.shapes = std::move(parts);
    impl_->literals.push_back(std::move(literal));
    return static_cast<int>(impl_->literals.size() - 1);
}

std::vector<Box> SpatialEngine::literal_boxes(int index) const {
    const Impl::Literal& literal = impl_->literals[static_cast<std::size_t>(index)];
    if (!literal.boxes.empty()) {
        return literal.boxes;
    }
    std::vector<Box> boxes;
    for (const Geometry& shape : literal.shapes) {
        boxes.push_back(shape.bounds());
    }
    return boxes;
}

bool SpatialEngine::relate(Op op, const SpatialOperand& a, const SpatialOperand& b) const {
    const bool a_literal = a.literal >= 0;
    const bool b_literal = b.literal >= 0;
    if (a_literal != b_literal) {
        const Impl::Literal& literal = impl_->literals[static_cast<std::size_t>(a_literal ? a.literal : b.literal)];
        const Geometry& feature = *(a_literal ? b.geometry : a.geometry);
        if (box_op(op) && !literal.boxes.empty()) {
            bool hit = false;
            for (const Box& box : literal.boxes) {
                hit = hit || intersects(feature, box);
            }
            return op == Op::s_intersects ? hit : !hit;
        }
        const geos::GeometryPtr other = impl_->convert(feature);
        if (box_op(op)) {
            bool hit = false;
            for (const Impl::Part& part : literal.parts) {
                hit = hit || impl_->prepared_test(Op::s_intersects, part.prepared.get(), other.get(), a_literal);
            }
            return op == Op::s_intersects ? hit : !hit;
        }
        if (op != Op::s_equals && literal.parts.size() == 1) {
            return impl_->prepared_test(op, literal.parts[0].prepared.get(), other.get(), a_literal);
        }
        const GEOSGeometry* whole = impl_->whole_of(literal);
        return a_literal ? impl_->plain_test(op, whole, other.get()) : impl_->plain_test(op, other.get(), whole);
    }
    if (a_literal) {
        return impl_->plain_test(op, impl_->whole_of(impl_->literals[static_cast<std::size_t>(a.literal)]),
                                 impl_->whole_of(impl_->literals[static_cast<std::size_t>(b.literal)]));
    }
    const geos::GeometryPtr left = impl_->convert(*a.geometry);
    const geos::GeometryPtr right = impl_->convert(*b.geometry);
    return impl_->plain_test(op, left.get(), right.get());
}

}  // namespace regiomap::cql2
