#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "api/links.hpp"
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

// What a FeatureCollection says of itself besides its features.
struct FeatureCollectionHead {
    std::size_t number_matched = 0;
    std::size_t number_returned = 0;  // the features written
    std::string time_stamp;           // "timeStamp" (OGC API Features), when not empty
    std::span<const Link> links;      // "links", when there are any
};

// The one FeatureCollection writer (items pages, search): "type",
// "timeStamp", "numberMatched", "numberReturned", "links", then
// "features", in that order. `write_feature(writer, i)` writes the
// members of the i-th of `head.number_returned` features; the object
// around them is opened and closed here.
void write_feature_collection(JsonWriter& writer, const FeatureCollectionHead& head,
                              const std::function<void(JsonWriter&, std::size_t)>& write_feature);

}  // namespace regiomap::api
