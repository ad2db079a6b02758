#include "core/feature_store.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/item_query.hpp"

namespace regiomap {

namespace {

void add_centres(const std::vector<Feature>& features, std::vector<double>& xs, std::vector<double>& ys) {
    for (const Feature& feature : features) {
        if (!feature.geometry.empty()) {
            Box b = feature.geometry.bounds();
            xs.push_back((b.min_x + b.max_x) / 2);
            ys.push_back((b.min_y + b.max_y) / 2);
        }
    }
}

// The box from the 10th to the 90th percentile of the centres, per axis.
Box percentile_box(std::vector<double>& xs, std::vector<double>& ys) {
    if (xs.empty()) {
        return {};
    }
    const std::size_t low = xs.size() / 10;
    const std::size_t high = xs.size() - 1 - low;
    auto nth = [](std::vector<double>& values, std::size_t n) {
        std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(n), values.end());
        return values[n];
    };
    return {nth(xs, low), nth(ys, low), nth(xs, high), nth(ys, high)};
}

Box focus_of_features(const std::vector<Feature>& features) {
    std::vector<double> xs, ys;
    add_centres(features, xs, ys);
    return percentile_box(xs, ys);
}

}  // namespace

Collection::Collection(CollectionMeta meta, std::vector<Feature> features, const GeneralisationOptions& generalisation)
    : meta_(std::move(meta)), features_(std::move(features)), generalisation_(generalisation) {
    {
        std::vector<Box> boxes;
        boxes.reserve(features_.size());
        for (const Feature& feature : features_) {
            boxes.push_back(feature.geometry.bounds());
            extent_.extend(boxes.back());
        }
        index_ = SpatialIndex::build(boxes);
    }

    tile_layer_ = TileLayer(features_, meta_.fields.size(), generalisation);
    focus_ = focus_of_features(features_);

    by_id_.resize(features_.size());
    for (std::uint32_t i = 0; i < by_id_.size(); ++i) {
        by_id_[i] = i;
    }
    std::sort(by_id_.begin(), by_id_.end(),
              [&](std::uint32_t a, std::uint32_t b) { return features_[a].id < features_[b].id; });
    // One id, one feature (feature_ids.hpp makes them so): /items/{id} and
    // MVT feature ids must never be ambiguous.
    const auto twice = std::adjacent_find(by_id_.begin(), by_id_.end(), [&](std::uint32_t a, std::uint32_t b) {
        return features_[a].id == features_[b].id;
    });
    if (twice != by_id_.end()) {
        throw Error(ErrorKind::internal,
                    "collection " + meta_.id + ": feature id " + std::to_string(features_[*twice].id) + " used twice");
    }

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

const Feature* Collection::find(std::int64_t feature_id) const {
    auto it = std::lower_bound(by_id_.begin(), by_id_.end(), feature_id,
                               [&](std::uint32_t pos, std::int64_t id) { return features_[pos].id < id; });
    if (it == by_id_.end() || features_[*it].id != feature_id) {
        return nullptr;
    }
    return &features_[*it];
}

QueryResult Collection::query(const ItemQuery& query) const {
    return run_query(*this, query);
}

const Collection* FeatureStore::find(std::string_view id) const {
    for (const auto& collection : collections_) {
        if (collection->id() == id) {
            return collection.get();
        }
    }
    return nullptr;
}

std::shared_ptr<const Collection> Collection::with_changes(std::vector<Feature> changed,
                                                           const std::vector<std::int64_t>& removed) const {
    std::vector<std::int64_t> gone = removed;
    std::sort(gone.begin(), gone.end());
    std::sort(changed.begin(), changed.end(), [](const Feature& a, const Feature& b) { return a.id < b.id; });
    auto changed_of = [&](std::int64_t id) -> Feature* {
        auto it = std::lower_bound(changed.begin(), changed.end(), id,
                                   [](const Feature& f, std::int64_t key) { return f.id < key; });
        return it != changed.end() && it->id == id ? &*it : nullptr;
    };
    // A changed feature keeps its place; new ones go where a reload would
    // put them: in id order when the collection is in id order (the
    // sources' usual order), else at the end.
    std::vector<Feature> features;
    features.reserve(features_.size() + changed.size());
    std::vector<bool> placed(changed.size(), false);
    for (const Feature& feature : features_) {
        if (std::binary_search(gone.begin(), gone.end(), feature.id)) {
            continue;
        }
        if (Feature* replacement = changed_of(feature.id)) {
            placed[static_cast<std::size_t>(replacement - changed.data())] = true;
            features.push_back(std::move(*replacement));
        } else {
            features.push_back(feature);
        }
    }
    const bool id_order = std::is_sorted(features.begin(), features.end(),
                                         [](const Feature& a, const Feature& b) { return a.id < b.id; });
    const std::size_t kept = features.size();
    for (std::size_t i = 0; i < changed.size(); ++i) {
        if (!placed[i]) {
            features.push_back(std::move(changed[i]));
        }
    }
    if (id_order) {
        std::inplace_merge(features.begin(), features.begin() + static_cast<std::ptrdiff_t>(kept), features.end(),
                           [](const Feature& a, const Feature& b) { return a.id < b.id; });
    }
    return std::make_shared<const Collection>(meta_, std::move(features), generalisation_);
}

std::shared_ptr<const FeatureStore> FeatureStore::with_collection(std::shared_ptr<const Collection> replacement) const {
    Collections collections = collections_;
    bool replaced = false;
    for (auto& collection : collections) {
        if (collection->id() == replacement->id()) {
            collection = replacement;
            replaced = true;
        }
    }
    if (!replaced) {
        throw Error(ErrorKind::internal, "no collection " + replacement->id() + " to replace");
    }
    return std::make_shared<const FeatureStore>(source_name_, std::move(collections), attribution_);
}

Box FeatureStore::focus_of(const Collections& collections) {
    std::vector<double> xs, ys;
    for (const auto& collection : collections) {
        add_centres(collection->features(), xs, ys);
    }
    return percentile_box(xs, ys);
}

std::size_t FeatureStore::feature_count() const {
    std::size_t count = 0;
    for (const auto& collection : collections_) {
        count += collection->size();
    }
    return count;
}

}  // namespace regiomap
