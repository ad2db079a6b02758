#pragma once

#include <memory>
#include <string>

#include "core/feature_store.hpp"
#include "core/log.hpp"

namespace regiomap {

// Opens any vector data source GDAL/OGR reads (GeoPackage, GeoJSON,
// Shapefile, FlatGeobuf, "PG:…" connection strings) and reads every layer
// into a collection: geometries transformed to CRS84 with PROJ, curves
// linearised, Z dropped, invalid geometries repaired (or dropped) and
// reported, properties kept with their types. Large collections are
// thinned for low zooms as `generalisation` says. Throws Error
// (data_source) when the source cannot be opened or holds no vector layer.
std::shared_ptr<const FeatureStore> load_store(const std::string& source, Logger& log,
                                               const GeneralisationOptions& generalisation = {});

// A collection id that is safe in a URL path segment: letters, digits,
// '-', '_' and '.'; anything else becomes '_'.
std::string collection_id_from_layer_name(const std::string& name);

}  // namespace regiomap
