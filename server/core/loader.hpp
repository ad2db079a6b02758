#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/feature_store.hpp"
#include "core/log.hpp"

namespace regiomap {

// One layer of a source chosen to be a collection.
struct CollectionChoice {
    std::string layer;  // the source's name: a GeoPackage layer, a PostGIS table or view ("schema.name"
                        // outside the search path)
    std::string id;     // the collection id; empty: made from the layer name
};

// Which layers of a source become collections and how they are presented.
struct SourceOptions {
    std::vector<CollectionChoice> collections;        // empty: every layer, in source order
    std::map<std::string, std::string> titles;        // by collection id; default: the source's
    std::map<std::string, std::string> descriptions;  // by collection id; default: the source's
    // By collection id: the integer column that identifies a feature, for a
    // PostGIS view (which has no primary key GDAL could use). Default: the
    // source's feature id (a table's primary key, GDAL's ogc_fid of a view).
    std::map<std::string, std::string> key_columns;
    std::string attribution;  // overrides the data set's own
    GeneralisationOptions generalisation;
};

// Opens any vector data source GDAL/OGR reads (GeoPackage, GeoJSON,
// Shapefile, FlatGeobuf, "PG:…" connection strings) and reads every layer
// into a collection: geometries transformed to CRS84 with PROJ, curves
// linearised, Z dropped, invalid geometries repaired (or dropped) and
// reported, properties kept with their types. Large collections are
// thinned for low zooms as `generalisation` says. Throws Error
// (data_source) when the source cannot be opened or holds no vector layer.
std::shared_ptr<const FeatureStore> load_store(const std::string& source, Logger& log,
                                               const GeneralisationOptions& generalisation = {});
//
// With options: only the chosen layers (an unknown one is an error naming the
// layers there are), with their ids, titles and descriptions. A PostGIS
// table or view without a key (an integer primary key, a view's ogc_fid or
// a key column given) is refused by name: an error when it was chosen, a
// warning and no collection when all layers are served. Features would
// otherwise get ids by position, which change when rows do.
std::shared_ptr<const FeatureStore> load_store(const std::string& source, Logger& log, const SourceOptions& options);

// A data source kept open to read what changed in it again (live updates):
// a few rows of a collection by their keys, or one collection whole. Reads
// convert rows exactly as load_store() does. One thread at a time.
class SourceReader {
public:
    // Opens the source as load_store() does; throws Error (data_source).
    SourceReader(const std::string& source, const SourceOptions& options, Logger& log);
    ~SourceReader();
    SourceReader(const SourceReader&) = delete;
    SourceReader& operator=(const SourceReader&) = delete;

    // The collection `id` read whole again.
    std::shared_ptr<const Collection> read_collection(const std::string& id);
    // The features of the collection described by `meta` whose ids are
    // among `keys`, as the source holds them now; a key without a feature
    // is a row that no longer exists. Throws SchemaChanged when the layer's
    // columns are no longer those of `meta` (then read the collection whole
    // from a new reader), Error (data_source) when reading fails.
    std::vector<Feature> read_features(const CollectionMeta& meta, const std::vector<std::int64_t>& keys);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

class SchemaChanged : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A collection id that is safe in a URL path segment: letters, digits,
// '-', '_' and '.'; anything else becomes '_'.
std::string collection_id_from_layer_name(const std::string& name);

}  // namespace regiomap
