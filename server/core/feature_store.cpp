#include "core/feature_store.hpp"

#include <algorithm>

#include "core/web_mercator.hpp"

namespace regiomap {

Collection::Collection(CollectionMeta meta, std::vector<Feature> features, const GeneralisationOptions& generalisation)
    : meta_(std::move(meta)), features_(std::move(features)) {
    {
        std::vector<Box> boxes;
        boxes.reserve(features_.size());
        for (const Feature& feature : features_) {
            boxes.push_back(feature.geometry.bounds());
            extent_.extend(boxes.back());
        }
        index_ = SpatialIndex::build(boxes);
    }

    // The tiler's copy in EPSG:3857, projected once here rather than per tile.
    const WebMercatorProjection projection;
    std::size_t coords = 0, paths = 0, polygons = 0;
    for (const Feature& feature : features_) {
        coords += feature.geometry.coords.size();
        paths += feature.geometry.path_ends.size();
        polygons += feature.geometry.polygon_ends.size();
    }
    mercator_.reserve(features_.size(), coords, paths, polygons);
    std::vector<Box> mercator_boxes;
    mercator_boxes.reserve(features_.size());
    for (const Feature& feature : features_) {
        const Geometry projected = projection.project(feature.geometry);
        mercator_boxes.push_back(projected.bounds());
        mercator_extent_.extend(mercator_boxes.back());
        mercator_.push_back(projected);
    }
    first_zoom_ = first_zooms(mercator_, generalisation);
    mercator_index_ = SpatialIndex::build(mercator_boxes, first_zoom_);

    by_id_.resize(features_.size());
    for (std::uint32_t i = 0; i < by_id_.size(); ++i) {
        by_id_[i] = i;
    }
    std::sort(by_id_.begin(), by_id_.end(),
              [&](std::uint32_t a, std::uint32_t b) { return features_[a].id < features_[b].id; });

    for (std::size_t f = 0; f < meta_.fields.size(); ++f) {
        if (meta_.fields[f].type == FieldType::date || meta_.fields[f].type == FieldType::datetime) {
            temporal_field_ = f;
            break;
        }
    }
    if (temporal_field_) {
        for (const Feature& feature : features_) {
            if (auto span = time_span(feature.properties[*temporal_field_])) {
                if (!temporal_extent_) {
                    temporal_extent_ = *span;
                } else {
                    temporal_extent_->begin = std::min(temporal_extent_->begin, span->begin);
                    temporal_extent_->end = std::max(temporal_extent_->end, span->end);
                }
            }
        }
    }
}

std::optional<std::size_t> Collection::field_index(std::string_view name) const {
    for (std::size_t i = 0; i < meta_.fields.size(); ++i) {
        if (meta_.fields[i].name == name) {
            return i;
        }
    }
    return std::nullopt;
}

std::vector<std::uint32_t> Collection::tile_candidates(const Box& box, int zoom) const {
    std::vector<std::uint32_t> found;
    const auto max_rank = static_cast<std::uint8_t>(std::clamp(zoom, 0, 254));
    mercator_index_.visit(
        box, [&](std::uint32_t item) { found.push_back(item); }, max_rank);
    std::sort(found.begin(), found.end());
    return found;
}

const Feature* Collection::find(std::int64_t feature_id) const {
    auto it = std::lower_bound(by_id_.begin(), by_id_.end(), feature_id,
                               [&](std::uint32_t pos, std::int64_t id) { return features_[pos].id < id; });
    if (it == by_id_.end() || features_[*it].id != feature_id) {
        return nullptr;
    }
    return &features_[*it];
}

bool Collection::matches_non_spatial(const Feature& feature, const ItemQuery& query) const {
    if (query.datetime) {
        if (!temporal_field_) {
            return false;
        }
        auto span = time_span(feature.properties[*temporal_field_]);
        if (!span || !span->overlaps(*query.datetime)) {
            return false;
        }
    }
    for (const PropertyFilter& filter : query.properties) {
        if (feature.properties[filter.field] != filter.value) {
            return false;
        }
    }
    return true;
}

QueryResult Collection::query(const ItemQuery& query) const {
    QueryResult result;
    auto take = [&](std::uint32_t position) {
        if (result.number_matched >= query.offset && result.features.size() < query.limit) {
            result.features.push_back(&features_[position]);
        }
        ++result.number_matched;
    };

    if (query.boxes.empty()) {
        for (std::uint32_t i = 0; i < features_.size(); ++i) {
            if (matches_non_spatial(features_[i], query)) {
                take(i);
            }
        }
        return result;
    }

    // Candidates from the index (two boxes may find the same feature), then
    // the exact geometry test, in collection order so that paging is stable.
    std::vector<std::uint32_t> candidates;
    for (const Box& box : query.boxes) {
        index_.visit(box, [&](std::uint32_t item) { candidates.push_back(item); });
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (std::uint32_t i : candidates) {
        const Feature& feature = features_[i];
        // intersects() starts with the geometry's own bounding box.
        bool hit = std::any_of(query.boxes.begin(), query.boxes.end(),
                               [&](const Box& box) { return intersects(feature.geometry, box); });
        if (hit && matches_non_spatial(feature, query)) {
            take(i);
        }
    }
    return result;
}

const Collection* FeatureStore::find(std::string_view id) const {
    for (const auto& collection : collections_) {
        if (collection->id() == id) {
            return collection.get();
        }
    }
    return nullptr;
}

std::size_t FeatureStore::feature_count() const {
    std::size_t count = 0;
    for (const auto& collection : collections_) {
        count += collection->size();
    }
    return count;
}

}  // namespace regiomap
