#pragma once

#include <memory>

#include <geos_c.h>

namespace regiomap::geos {

// One GEOS context: create one per thread (or per tile) and never share it
// between threads; the reentrant _r functions take it explicitly.
class Context {
public:
    Context() : handle_(GEOS_init_r()) {}
    ~Context() { GEOS_finish_r(handle_); }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    GEOSContextHandle_t get() const { return handle_; }

private:
    GEOSContextHandle_t handle_;
};

struct GeometryDestroy {
    GEOSContextHandle_t context;
    void operator()(GEOSGeometry* geometry) const { GEOSGeom_destroy_r(context, geometry); }
};
using GeometryPtr = std::unique_ptr<GEOSGeometry, GeometryDestroy>;

inline GeometryPtr own(const Context& context, GEOSGeometry* geometry) {
    return GeometryPtr(geometry, GeometryDestroy{context.get()});
}

}  // namespace regiomap::geos
