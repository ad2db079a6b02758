#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/datetime.hpp"
#include "core/geometry.hpp"
#include "core/spatial_index.hpp"
#include "core/tiles/tile_layer.hpp"
#include "core/value.hpp"

namespace regiomap {

struct FieldDef {
    std::string name;
    FieldType type = FieldType::string;
    // What the source declares of the field's values (a GeoPackage's NOT
    // NULL, UNIQUE and field domains; a PostGIS table's NOT NULL and the
    // rules scripts/load-postgis keeps in regiomap.field_rules, which are
    // also its CHECK constraints): the collection's schema for editing.
    bool required = false;
    bool unique = false;
    std::vector<std::string> allowed{};  // a coded domain: the only values allowed
    std::optional<double> minimum{};     // a range domain, inclusive
    std::optional<double> maximum{};
};

// One feature in CRS84 (lon/lat). `properties` runs parallel to the
// collection's fields. An empty geometry is served as JSON null.
struct Feature {
    std::int64_t id = 0;
    Geometry geometry;
    std::vector<Value> properties;
};

// What the source says about a collection besides its features.
struct CollectionMeta {
    std::string id;  // URL-safe, unique in the store
    std::string title;
    std::string description;
    std::vector<FieldDef> fields;
    std::optional<GeometryType> geometry_type;  // nullopt: mixed or unknown
    // Where it comes from: the source's layer (table, view) and the column
    // whose values are the feature ids (empty: the source's own FIDs), for
    // reading changed features again.
    std::string source_layer{};
    std::string key_column{};
    std::string geometry_name = "geometry";  // the source's geometry column, for filters
};

struct PropertyFilter {
    std::size_t field = 0;  // index into CollectionMeta::fields
    Value value;
};

// A condition on features beyond boxes and equality (a CQL2 filter, a
// bbox given in a projected CRS). Used by one request at a time.
class FeaturePredicate {
public:
    virtual ~FeaturePredicate() = default;
    virtual bool matches(const Feature& feature) const = 0;
    // Boxes (CRS84) that the bounding box of every matching feature meets,
    // so that the spatial index can find the candidates; nullopt when the
    // condition implies none (then every feature is a candidate).
    virtual std::optional<std::vector<Box>> implied_boxes() const = 0;
};

// One key of `sortby`: a field, or the feature id when `field` is nullopt.
struct SortKey {
    std::optional<std::size_t> field;
    bool descending = false;
};

// A request for features, already validated (see api/ogc_params.hpp).
struct ItemQuery {
    std::vector<Box> boxes;                  // any of these; two when a bbox crosses the antimeridian
    std::optional<TimeInterval> datetime;    // on temporal_field(); ignored by a collection without one
    std::vector<PropertyFilter> properties;  // all must match
    std::vector<std::shared_ptr<const FeaturePredicate>> predicates;  // all must match
    std::vector<SortKey> sort;                                        // empty: collection order
    std::size_t offset = 0;
    std::size_t limit = 10;
};

struct QueryResult {
    std::vector<const Feature*> features;  // the requested page, in collection order
    std::size_t number_matched = 0;        // all matches, before offset/limit
};

// One layer of the source: immutable once built, read by all threads.
//
// A collection is a base — features with their indexes and tile layer, built
// once at load — and, after live updates, an overlay: the changed and added
// features with indexes and a tile layer of their own, and the base
// positions they hide (replaced or removed). An update then costs what it
// changes, not the collection: the base is shared by every snapshot since
// the load, and each update rebuilds only the overlay. Past a bound
// (kMaxOverlay) the collection is rebuilt whole (compacted).
//
// Positions: the base's features are 0 … base size − 1, the overlay's
// follow; a hidden position is no feature. Collection order is position
// order (a changed feature moves to the end until the next compaction).
class Collection {
public:
    Collection(CollectionMeta meta, std::vector<Feature> features, const GeneralisationOptions& generalisation = {});

    // Overlay features beyond which with_changes() rebuilds the whole
    // collection (one O(collection) rebuild per this many changed rows).
    static constexpr std::size_t kMaxOverlay = 4096;

    const CollectionMeta& meta() const { return meta_; }
    const std::string& id() const { return meta_.id; }
    std::size_t size() const { return base_->features.size() - hidden_count_ + overlay_size(); }

    // Every feature served, in collection order.
    template <typename Visit>
    void for_each(Visit&& visit) const {
        for (std::uint32_t position = 0; position < position_count(); ++position) {
            if (visible(position)) {
                visit(at(position));
            }
        }
    }
    std::uint32_t position_count() const { return static_cast<std::uint32_t>(base_->features.size() + overlay_size()); }
    bool visible(std::uint32_t position) const {
        return position >= base_->features.size() || hidden_.empty() || !hidden_[position];
    }
    const Feature& at(std::uint32_t position) const {
        const std::size_t base = base_->features.size();
        return position < base ? base_->features[position] : overlay_->features[position - base];
    }
    // Calls visit(position) for every visible feature whose CRS84 bounding
    // box meets `box`, in no particular order.
    template <typename Visit>
    void visit_index(const Box& box, Visit&& visit) const {
        base_->index.visit(box, [&](std::uint32_t position) {
            if (visible(position)) {
                visit(position);
            }
        });
        if (overlay_) {
            const auto base = static_cast<std::uint32_t>(base_->features.size());
            overlay_->index.visit(box, [&](std::uint32_t item) { visit(base + item); });
        }
    }
    // The base's features, as loaded: every feature only when has_overlay()
    // is false (a collection read from a source); with an overlay use
    // for_each(), at() or find().
    const std::vector<Feature>& features() const { return base_->features; }
    bool has_overlay() const { return overlay_ != nullptr; }

    Box extent() const { return extent_; }  // empty when no feature has a geometry
    // The first date or date-time field: what `datetime` filters on.
    std::optional<std::size_t> temporal_field() const { return temporal_field_; }
    std::optional<TimeInterval> temporal_extent() const { return temporal_extent_; }
    std::optional<std::size_t> field_index(std::string_view name) const;

    const Feature* find(std::int64_t feature_id) const;
    // This collection with `changed` features put in (replacing those of
    // their ids, or added) and the features of `removed` ids taken out:
    // what a live update of a few rows publishes. Costs O(overlay), the
    // base shared, until the overlay outgrows kMaxOverlay: then the whole
    // collection is rebuilt. This one is unchanged.
    std::shared_ptr<const Collection> with_changes(std::vector<Feature> changed,
                                                   const std::vector<std::int64_t>& removed) const;
    // The same collection rebuilt whole, without an overlay.
    std::shared_ptr<const Collection> compacted() const;
    // See core/item_query.hpp.
    QueryResult query(const ItemQuery& query) const;

    // The tiler's data: geometries in EPSG:3857, their R-tree and ranks; of
    // the base (slots skip hidden positions: base_hidden) and of the overlay.
    const TileLayer& tile_layer() const { return base_->tile_layer; }
    const TileLayer* overlay_tile_layer() const { return overlay_ ? &overlay_->tile_layer : nullptr; }
    bool base_hidden(std::uint32_t base_position) const { return !hidden_.empty() && hidden_[base_position]; }
    // Where most of the features are: the box spanning the 10th to 90th
    // percentiles of their bounding-box centres (CRS84), so that a few
    // far-off features do not pull a map's first view away from the many
    // that are together. Empty when no feature has a geometry. Of the
    // base: an overlay does not move it.
    Box focus() const { return focus_; }

private:
    // Features with what is built from them: the base, or an overlay.
    struct Part {
        Part(std::vector<Feature> features, const CollectionMeta& meta, const GeneralisationOptions& generalisation);
        std::vector<Feature> features;
        std::vector<std::uint32_t> by_id;  // positions sorted by id
        SpatialIndex index;                // CRS84 boxes (item = position in the part)
        Box extent;
        TileLayer tile_layer;
        std::optional<std::uint32_t> position_of(std::int64_t id) const;
    };

    Collection(const Collection& base, std::shared_ptr<const Part> overlay, std::vector<bool> hidden);
    std::size_t overlay_size() const { return overlay_ ? overlay_->features.size() : 0; }
    void find_temporal_field();

    CollectionMeta meta_;
    GeneralisationOptions generalisation_;  // kept for with_changes()
    std::shared_ptr<const Part> base_;
    std::shared_ptr<const Part> overlay_;  // null: none
    std::vector<bool> hidden_;             // by base position; empty: none hidden
    std::size_t hidden_count_ = 0;
    Box extent_;
    Box focus_;
    std::optional<std::size_t> temporal_field_;
    std::optional<TimeInterval> temporal_extent_;
};

// Every collection of one data source, in source order. Collections are
// shared between snapshots: a live update makes a new store with one
// collection replaced (with_collection) and the others the same objects.
class FeatureStore {
public:
    using Collections = std::vector<std::shared_ptr<const Collection>>;

    FeatureStore(std::string source_name, Collections collections, std::string attribution = {})
        : source_name_(std::move(source_name)),
          collections_(std::move(collections)),
          attribution_(std::move(attribution)),
          focus_(focus_of(collections_)) {}
    // With a focus given (with_collection keeps the old one: computing it
    // visits every feature, and an edit hardly moves it).
    FeatureStore(std::string source_name, Collections collections, std::string attribution, Box focus)
        : source_name_(std::move(source_name)),
          collections_(std::move(collections)),
          attribution_(std::move(attribution)),
          focus_(focus) {}
    FeatureStore(std::string source_name, std::vector<std::unique_ptr<Collection>> collections,
                 std::string attribution = {})
        : FeatureStore(
              std::move(source_name),
              Collections(std::make_move_iterator(collections.begin()), std::make_move_iterator(collections.end())),
              std::move(attribution)) {}

    // This store with the collection of `replacement`'s id replaced by it
    // (every other collection shared, not copied). Throws when there is no
    // such collection.
    std::shared_ptr<const FeatureStore> with_collection(std::shared_ptr<const Collection> replacement) const;

    // The data source's name as it may be shown: passwords masked.
    const std::string& source_name() const { return source_name_; }
    // The data set's attribution (dataset metadata item ATTRIBUTION), if any.
    const std::string& attribution() const { return attribution_; }
    const Collections& collections() const { return collections_; }
    const Collection* find(std::string_view id) const;
    std::size_t feature_count() const;
    // Collection::focus() over every collection's features.
    Box focus() const { return focus_; }

private:
    std::string source_name_;
    Collections collections_;
    std::string attribution_;
    Box focus_;

    static Box focus_of(const Collections& collections);
};

}  // namespace regiomap
