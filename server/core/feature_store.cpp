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

Collection::Part::Part(std::vector<Feature> part_features, const CollectionMeta& meta,
                       const GeneralisationOptions& generalisation)
    : features(std::move(part_features)) {
    std::vector<Box> boxes;
    boxes.reserve(features.size());
    for (const Feature& feature : features) {
        boxes.push_back(feature.geometry.bounds());
        extent.extend(boxes.back());
    }
    index = SpatialIndex::build(boxes);
    tile_layer = TileLayer(features, meta.fields.size(), generalisation);
    by_id.resize(features.size());
    for (std::uint32_t i = 0; i < by_id.size(); ++i) {
        by_id[i] = i;
    }
    std::sort(by_id.begin(), by_id.end(),
              [&](std::uint32_t a, std::uint32_t b) { return features[a].id < features[b].id; });
    // One id, one feature (feature_ids.hpp makes them so): /items/{id} and
    // MVT feature ids must never be ambiguous.
    const auto twice = std::adjacent_find(
        by_id.begin(), by_id.end(), [&](std::uint32_t a, std::uint32_t b) { return features[a].id == features[b].id; });
    if (twice != by_id.end()) {
        throw Error(ErrorKind::internal,
                    "collection " + meta.id + ": feature id " + std::to_string(features[*twice].id) + " used twice");
    }
}

std::optional<std::uint32_t> Collection::Part::position_of(std::int64_t id) const {
    auto it = std::lower_bound(by_id.begin(), by_id.end(), id,
                               [&](std::uint32_t pos, std::int64_t key) { return features[pos].id < key; });
    if (it == by_id.end() || features[*it].id != id) {
        return std::nullopt;
    }
    return *it;
}

Collection::Collection(CollectionMeta meta, std::vector<Feature> features, const GeneralisationOptions& generalisation)
    : meta_(std::move(meta)), generalisation_(generalisation) {
    base_ = std::make_shared<const Part>(std::move(features), meta_, generalisation_);
    extent_ = base_->extent;
    focus_ = focus_of_features(base_->features);
    find_temporal_field();
}

Collection::Collection(const Collection& base, std::shared_ptr<const Part> overlay, std::vector<bool> hidden)
    : meta_(base.meta_),
      generalisation_(base.generalisation_),
      base_(base.base_),
      overlay_(std::move(overlay)),
      hidden_(std::move(hidden)),
      extent_(base_->extent),
      focus_(base.focus_) {
    hidden_count_ = static_cast<std::size_t>(std::count(hidden_.begin(), hidden_.end(), true));
    // The extent may stay larger than the features after a removal: it is a
    // bound, and the next compaction makes it exact.
    extent_.extend(overlay_->extent);
    find_temporal_field();
}

void Collection::find_temporal_field() {
    for (std::size_t f = 0; f < meta_.fields.size(); ++f) {
        if (meta_.fields[f].type == FieldType::date || meta_.fields[f].type == FieldType::datetime) {
            temporal_field_ = f;
            break;
        }
    }
    if (!temporal_field_) {
        return;
    }
    auto extend = [&](const Feature& feature) {
        if (auto span = time_span(feature.properties[*temporal_field_])) {
            if (!temporal_extent_) {
                temporal_extent_ = *span;
            } else {
                temporal_extent_->begin = std::min(temporal_extent_->begin, span->begin);
                temporal_extent_->end = std::max(temporal_extent_->end, span->end);
            }
        }
    };
    if (overlay_) {
        // The base's extent, kept from its collection, and the overlay's.
        for (const Feature& feature : overlay_->features) {
            extend(feature);
        }
        return;
    }
    for (const Feature& feature : base_->features) {
        extend(feature);
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
    if (overlay_) {
        if (auto position = overlay_->position_of(feature_id)) {
            return &overlay_->features[*position];
        }
    }
    auto position = base_->position_of(feature_id);
    if (!position || base_hidden(*position)) {
        return nullptr;
    }
    return &base_->features[*position];
}

QueryResult Collection::query(const ItemQuery& query) const {
    return run_query(*this, query);
}

std::shared_ptr<const Collection> Collection::with_changes(std::vector<Feature> changed,
                                                           const std::vector<std::int64_t>& removed) const {
    std::vector<std::int64_t> gone = removed;
    for (const Feature& feature : changed) {
        gone.push_back(feature.id);
    }
    std::sort(gone.begin(), gone.end());
    gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
    // The overlay's features that stay, and the changed ones after them.
    std::vector<Feature> overlay;
    if (overlay_) {
        for (const Feature& feature : overlay_->features) {
            if (!std::binary_search(gone.begin(), gone.end(), feature.id)) {
                overlay.push_back(feature);
            }
        }
    }
    for (Feature& feature : changed) {
        overlay.push_back(std::move(feature));
    }
    std::vector<bool> hidden = hidden_.empty() ? std::vector<bool>(base_->features.size(), false) : hidden_;
    for (std::int64_t id : gone) {
        if (auto position = base_->position_of(id)) {
            hidden[*position] = true;
        }
    }
    auto next = std::shared_ptr<const Collection>(new Collection(
        *this, std::make_shared<const Part>(std::move(overlay), meta_, generalisation_), std::move(hidden)));
    if (next->overlay_size() > kMaxOverlay) {
        return next->compacted();
    }
    return next;
}

std::shared_ptr<const Collection> Collection::compacted() const {
    // A replaced feature takes its base feature's place; new ones go where a
    // reload would put them: in id order when the base is (the sources'
    // usual order), else at the end.
    std::vector<Feature> features;
    features.reserve(size());
    std::vector<bool> placed(overlay_size(), false);
    for (std::uint32_t position = 0; position < base_->features.size(); ++position) {
        const Feature& feature = base_->features[position];
        if (!base_hidden(position)) {
            features.push_back(feature);
        } else if (overlay_) {
            if (auto replacement = overlay_->position_of(feature.id)) {
                placed[*replacement] = true;
                features.push_back(overlay_->features[*replacement]);
            }
        }
    }
    const bool id_order = std::is_sorted(features.begin(), features.end(),
                                         [](const Feature& a, const Feature& b) { return a.id < b.id; });
    const std::size_t kept = features.size();
    for (std::size_t i = 0; i < overlay_size(); ++i) {
        if (!placed[i]) {
            features.push_back(overlay_->features[i]);
        }
    }
    if (id_order) {
        std::sort(features.begin() + static_cast<std::ptrdiff_t>(kept), features.end(),
                  [](const Feature& a, const Feature& b) { return a.id < b.id; });
        std::inplace_merge(features.begin(), features.begin() + static_cast<std::ptrdiff_t>(kept), features.end(),
                           [](const Feature& a, const Feature& b) { return a.id < b.id; });
    }
    return std::make_shared<const Collection>(meta_, std::move(features), generalisation_);
}

const Collection* FeatureStore::find(std::string_view id) const {
    for (const auto& collection : collections_) {
        if (collection->id() == id) {
            return collection.get();
        }
    }
    return nullptr;
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
    return std::make_shared<const FeatureStore>(source_name_, std::move(collections), attribution_, focus_);
}

Box FeatureStore::focus_of(const Collections& collections) {
    std::vector<double> xs, ys;
    for (const auto& collection : collections) {
        collection->for_each([&](const Feature& feature) {
            if (!feature.geometry.empty()) {
                Box b = feature.geometry.bounds();
                xs.push_back((b.min_x + b.max_x) / 2);
                ys.push_back((b.min_y + b.max_y) / 2);
            }
        });
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
