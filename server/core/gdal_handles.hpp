#pragma once

#include <memory>
#include <string>

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_feature.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

namespace regiomap::gdal {

// Owning handles for the GDAL/OGR objects the loader creates; each is
// released by the function GDAL documents for it.
struct DatasetClose {
    void operator()(GDALDataset* dataset) const { GDALClose(GDALDataset::ToHandle(dataset)); }
};
struct FeatureDestroy {
    void operator()(OGRFeature* feature) const { OGRFeature::DestroyFeature(feature); }
};
struct GeometryDestroy {
    void operator()(OGRGeometry* geometry) const { OGRGeometryFactory::destroyGeometry(geometry); }
};
struct TransformDestroy {
    void operator()(OGRCoordinateTransformation* transform) const { OGRCoordinateTransformation::DestroyCT(transform); }
};

using DatasetPtr = std::unique_ptr<GDALDataset, DatasetClose>;
using FeaturePtr = std::unique_ptr<OGRFeature, FeatureDestroy>;
using GeometryPtr = std::unique_ptr<OGRGeometry, GeometryDestroy>;
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDestroy>;

// While alive, GDAL's error messages on this thread go to `sink` instead of
// stderr; the previous handler is restored on destruction.
class ScopedErrorHandler {
public:
    using Sink = void (*)(void* context, CPLErr level, const char* message);
    ScopedErrorHandler(Sink sink, void* context) : sink_(sink), context_(context) {
        CPLPushErrorHandlerEx(&ScopedErrorHandler::forward, this);
    }
    ~ScopedErrorHandler() { CPLPopErrorHandler(); }
    ScopedErrorHandler(const ScopedErrorHandler&) = delete;
    ScopedErrorHandler& operator=(const ScopedErrorHandler&) = delete;

private:
    static void CPL_STDCALL forward(CPLErr level, CPLErrorNum, const char* message) {
        auto* self = static_cast<ScopedErrorHandler*>(CPLGetErrorHandlerUserData());
        self->sink_(self->context_, level, message);
    }
    Sink sink_;
    void* context_;
};

}  // namespace regiomap::gdal
