#include "core/web_mercator.hpp"

#include <algorithm>
#include <string>

#include <proj.h>

#include "core/error.hpp"

namespace regiomap {

struct WebMercatorProjection::Handles {
    struct ContextDestroy {
        void operator()(PJ_CONTEXT* handle) const { proj_context_destroy(handle); }
    };
    struct PjDestroy {
        void operator()(PJ* pj) const { proj_destroy(pj); }
    };
    std::unique_ptr<PJ_CONTEXT, ContextDestroy> context;
    std::unique_ptr<PJ, PjDestroy> transform;
    // PROJ writes its messages to stderr unless told otherwise; this
    // context's are kept here and go into the error they explain (a context
    // serves one thread, like the projection that owns it). (GDAL
    // routes its own contexts' messages to its error handler, which the
    // loader logs.)
    std::string messages;
};

WebMercatorProjection::WebMercatorProjection() : handles_(std::make_unique<Handles>()) {
    handles_->context.reset(proj_context_create());
    if (!handles_->context) {
        throw Error(ErrorKind::internal, "PROJ: cannot create a context");
    }
    proj_log_func(handles_->context.get(), &handles_->messages, [](void* last, int, const char* message) {
        auto& messages = *static_cast<std::string*>(last);
        if (messages.size() < 4096) {  // the first ones explain; a failing proj_trans may log per point
            messages.append(messages.empty() ? "" : "; ").append(message ? message : "");
        }
    });
    // The operation PROJ's database gives for CRS84 → EPSG:3857, spelled out:
    // looking it up (proj_create_crs_to_crs) opens proj.db and takes ~6 ms,
    // paid by every collection built and every live edit's overlay, and
    // most of the load of a small data set. The unit test
    // WebMercator.SameAsTheDatabaseOperation holds the two equal.
    handles_->transform.reset(proj_create(handles_->context.get(), kWebMercatorPipeline));
    if (!handles_->transform) {
        throw Error(ErrorKind::internal, std::string("PROJ: no CRS84 → EPSG:3857 transformation: ") +
                                             proj_context_errno_string(handles_->context.get(),
                                                                       proj_context_errno(handles_->context.get())) +
                                             (handles_->messages.empty() ? "" : " (" + handles_->messages + ")"));
    }
}

WebMercatorProjection::~WebMercatorProjection() = default;

void WebMercatorProjection::project(std::span<Coord> coords) const {
    if (coords.empty()) {
        return;
    }
    for (Coord& c : coords) {
        c.y = std::clamp(c.y, -kMaxMercatorLatitude, kMaxMercatorLatitude);
    }
    // One call for the whole array: x and y are interleaved with a stride
    // of sizeof(Coord).
    const auto stride = sizeof(Coord);
    proj_trans_generic(handles_->transform.get(), PJ_FWD, &coords[0].x, stride, coords.size(), &coords[0].y, stride,
                       coords.size(), nullptr, 0, 0, nullptr, 0, 0);
    for (Coord& c : coords) {
        c.x = std::clamp(c.x, -kHalfWorld, kHalfWorld);
        c.y = std::clamp(c.y, -kHalfWorld, kHalfWorld);
    }
}

Geometry WebMercatorProjection::project(const Geometry& geometry) const {
    Geometry projected = geometry;
    project(projected.coords);
    return projected;
}

}  // namespace regiomap
