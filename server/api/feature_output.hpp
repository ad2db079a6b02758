#pragma once

#include <optional>

#include "api/ogc_params.hpp"
#include "core/crs.hpp"
#include "core/geojson_writer.hpp"

namespace regiomap::api {

// Writes features the way a request asked for them (FeatureOutput): in
// its CRS, with its properties, with or without geometry. One per request.
class FeatureOutputWriter {
public:
    FeatureOutputWriter(const Collection& collection, const FeatureOutput& output, const crs::Catalog& catalog);

    // The members of one feature (see write_feature_members()). A geometry
    // with no finite coordinates in the target CRS is written as null.
    void write_members(JsonWriter& writer, const Feature& feature);

    // The Content-Crs header value: "<uri>".
    std::string content_crs() const;

private:
    const Collection& collection_;
    const FeatureOutput& output_;
    std::optional<crs::Transformer> transformer_;
    Geometry projected_;
};

}  // namespace regiomap::api
