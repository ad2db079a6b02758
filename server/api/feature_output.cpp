#include "api/feature_output.hpp"

namespace regiomap::api {

FeatureOutputWriter::FeatureOutputWriter(const Collection& collection, const FeatureOutput& output,
                                         const crs::Catalog& catalog)
    : collection_(collection), output_(output) {
    if (output.crs != &crs::crs84() && !output.skip_geometry) {
        transformer_.emplace(catalog, *output.crs);
    }
}

void FeatureOutputWriter::write_members(JsonWriter& writer, const Feature& feature) {
    FeatureWriteOptions options;
    options.skip_geometry = output_.skip_geometry;
    if (output_.properties) {
        options.fields = &*output_.properties;
    }
    if (transformer_ && !feature.geometry.empty()) {
        projected_ = feature.geometry;
        if (!transformer_->forward(projected_.coords)) {
            projected_ = Geometry{};
        }
        options.geometry = &projected_;
    }
    write_feature_members(writer, collection_.meta(), feature, options);
}

std::string FeatureOutputWriter::content_crs() const {
    std::string value;
    value.reserve(output_.crs->uri.size() + 2);
    value.push_back('<');
    value.append(output_.crs->uri);
    value.push_back('>');
    return value;
}

}  // namespace regiomap::api
