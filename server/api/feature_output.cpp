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

void write_feature_collection(JsonWriter& writer, const FeatureCollectionHead& head,
                              const std::function<void(JsonWriter&, std::size_t)>& write_feature) {
    writer.StartObject();
    writer.Key("type");
    writer.String("FeatureCollection");
    if (!head.time_stamp.empty()) {
        writer.Key("timeStamp");
        writer.String(head.time_stamp.c_str(), static_cast<rapidjson::SizeType>(head.time_stamp.size()));
    }
    writer.Key("numberMatched");
    writer.Uint64(head.number_matched);
    writer.Key("numberReturned");
    writer.Uint64(head.number_returned);
    if (!head.links.empty()) {
        write_links(writer, head.links);
    }
    writer.Key("features");
    writer.StartArray();
    for (std::size_t i = 0; i < head.number_returned; ++i) {
        writer.StartObject();
        write_feature(writer, i);
        writer.EndObject();
    }
    writer.EndArray();
    writer.EndObject();
}

}  // namespace regiomap::api
