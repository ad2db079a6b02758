#include "core/crs.hpp"

#include <algorithm>
#include <cmath>

#include <proj.h>

#include "core/error.hpp"

namespace regiomap::crs {

namespace {

struct ContextDestroy {
    void operator()(PJ_CONTEXT* context) const { proj_context_destroy(context); }
};
struct PjDestroy {
    void operator()(PJ* pj) const { proj_destroy(pj); }
};
using ContextPtr = std::unique_ptr<PJ_CONTEXT, ContextDestroy>;
using PjPtr = std::unique_ptr<PJ, PjDestroy>;

ContextPtr new_context() {
    ContextPtr context(proj_context_create());
    if (!context) {
        throw Error(ErrorKind::internal, "PROJ: cannot create a context");
    }
    return context;
}

std::string proj_error(PJ_CONTEXT* context) {
    return proj_context_errno_string(context, proj_context_errno(context));
}

bool all_finite(std::span<const Coord> coords) {
    return std::all_of(coords.begin(), coords.end(),
                       [](const Coord& c) { return std::isfinite(c.x) && std::isfinite(c.y); });
}

}  // namespace

const Definition& crs84() {
    return kSupported[0];
}

const Definition* find(std::string_view uri) {
    for (const Definition& definition : kSupported) {
        if (definition.uri == uri) {
            return &definition;
        }
    }
    return nullptr;
}

std::string supported_list() {
    std::string out;
    for (const Definition& definition : kSupported) {
        out += out.empty() ? "" : ", ";
        out += definition.uri;
    }
    return out;
}

std::string Catalog::pipeline(const Definition& target) const {
    if (&target == &crs84()) {
        return {};
    }
    std::lock_guard lock(mutex_);
    if (auto it = pipelines_.find(target.proj_id); it != pipelines_.end()) {
        return it->second;
    }
    ContextPtr context = new_context();
    const std::string target_id(target.proj_id);
    PjPtr operation(proj_create_crs_to_crs(context.get(), "OGC:CRS84", target_id.c_str(), nullptr));
    if (!operation) {
        throw Error(ErrorKind::internal,
                    "PROJ: no transformation from CRS84 to " + target_id + ": " + proj_error(context.get()));
    }
    const char* text = proj_as_proj_string(context.get(), operation.get(), PJ_PROJ_5, nullptr);
    if (!text) {
        throw Error(ErrorKind::internal, "PROJ: the transformation to " + target_id + " has no PROJ string");
    }
    return pipelines_.emplace(target.proj_id, text).first->second;
}

struct Transformer::Handles {
    ContextPtr context;
    PjPtr pj;
};

Transformer::Transformer(const Catalog& catalog, const Definition& target) : target_(target) {
    const std::string pipeline = catalog.pipeline(target);
    if (pipeline.empty()) {
        return;
    }
    pj_ = std::make_unique<Handles>();
    pj_->context = new_context();
    pj_->pj.reset(proj_create(pj_->context.get(), pipeline.c_str()));
    if (!pj_->pj) {
        throw Error(ErrorKind::internal, "PROJ: cannot build '" + pipeline + "': " + proj_error(pj_->context.get()));
    }
}

Transformer::~Transformer() = default;

bool Transformer::forward(std::span<Coord> coords) const {
    if (!pj_ || coords.empty()) {
        return true;
    }
    if (target_.max_latitude > 0) {
        for (Coord& c : coords) {
            c.y = std::clamp(c.y, -target_.max_latitude, target_.max_latitude);
        }
    }
    // One call for the whole array: x and y interleaved with a stride of sizeof(Coord).
    proj_trans_generic(pj_->pj.get(), PJ_FWD, &coords[0].x, sizeof(Coord), coords.size(), &coords[0].y, sizeof(Coord),
                       coords.size(), nullptr, 0, 0, nullptr, 0, 0);
    return all_finite(coords);
}

bool Transformer::inverse(std::span<Coord> coords) const {
    if (!pj_ || coords.empty()) {
        return true;
    }
    proj_trans_generic(pj_->pj.get(), PJ_INV, &coords[0].x, sizeof(Coord), coords.size(), &coords[0].y, sizeof(Coord),
                       coords.size(), nullptr, 0, 0, nullptr, 0, 0);
    return all_finite(coords);
}

}  // namespace regiomap::crs
