#pragma once

// In-memory stores for unit tests, benchmarks and fuzz targets: one way to
// make features and collections, so that a change of the store's types is
// made in one place.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/feature_store.hpp"

namespace regiomap::testing {

inline Geometry point(double x, double y) {
    Geometry g;
    g.type = GeometryType::point;
    g.coords = {{x, y}};
    g.path_ends = {1};
    return g;
}

inline Geometry line(std::vector<Coord> coords) {
    Geometry g;
    g.type = GeometryType::line_string;
    g.coords = std::move(coords);
    g.path_ends = {static_cast<std::uint32_t>(g.coords.size())};
    return g;
}

// A polygon from rings given as they are stored (the first is the
// exterior; each closed, i.e. its first vertex repeated at the end).
inline Geometry polygon(const std::vector<std::vector<Coord>>& rings) {
    Geometry g;
    g.type = GeometryType::polygon;
    for (const auto& ring : rings) {
        g.coords.insert(g.coords.end(), ring.begin(), ring.end());
        g.path_ends.push_back(static_cast<std::uint32_t>(g.coords.size()));
    }
    g.polygon_ends = {static_cast<std::uint32_t>(g.path_ends.size())};
    return g;
}

// An axis-aligned rectangle as a closed polygon ring.
inline Geometry rectangle(double min_x, double min_y, double max_x, double max_y) {
    return polygon({{{min_x, min_y}, {max_x, min_y}, {max_x, max_y}, {min_x, max_y}, {min_x, min_y}}});
}

inline Feature feature(std::int64_t id, Geometry geometry, std::vector<Value> properties = {}) {
    Feature f;
    f.id = id;
    f.geometry = std::move(geometry);
    f.properties = std::move(properties);
    return f;
}

// Builds collections one after the other, then a store of them:
//   StoreBuilder()
//       .collection("sites", {{"name", FieldType::string}})
//       .add(feature(1, point(117, 39), {Value{std::string("a")}}))
//       .store();
class StoreBuilder {
public:
    StoreBuilder& collection(std::string id, std::vector<FieldDef> fields, std::string title = {},
                             std::string description = {}) {
        finish();
        meta_ =
            CollectionMeta{id, title.empty() ? id : std::move(title), std::move(description), std::move(fields), {}};
        open_ = true;
        return *this;
    }
    StoreBuilder& generalisation(GeneralisationOptions options) {
        generalisation_ = options;
        return *this;
    }
    StoreBuilder& add(Feature f) {
        features_.push_back(std::move(f));
        return *this;
    }
    StoreBuilder& add(std::vector<Feature> features) {
        for (Feature& f : features) {
            features_.push_back(std::move(f));
        }
        return *this;
    }

    // The collection being built, alone.
    std::unique_ptr<Collection> take_collection() {
        auto made = std::make_unique<Collection>(std::move(meta_), std::move(features_), generalisation_);
        features_.clear();
        open_ = false;
        return made;
    }

    std::shared_ptr<const FeatureStore> store(std::string source_name = "memory", std::string attribution = {}) {
        finish();
        return std::make_shared<const FeatureStore>(std::move(source_name), std::move(collections_),
                                                    std::move(attribution));
    }

private:
    void finish() {
        if (open_) {
            collections_.push_back(take_collection());
        }
    }

    CollectionMeta meta_;
    GeneralisationOptions generalisation_;
    std::vector<Feature> features_;
    std::vector<std::unique_ptr<Collection>> collections_;
    bool open_ = false;
};

}  // namespace regiomap::testing
