#include "core/loader.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "core/clean_geometry.hpp"
#include "core/edit/source_writer.hpp"
#include "core/error.hpp"
#include "core/feature_ids.hpp"
#include "core/gdal_handles.hpp"
#include "core/ogr_geometry.hpp"
#include "core/postgis/pg_connection.hpp"
#include "core/postgis/pg_dataset.hpp"
#include "core/postgis/pg_source.hpp"
#include "core/secrets.hpp"
#include "core/utf8.hpp"

namespace regiomap {

namespace {

// Where GDAL's own messages go while a source is read: the server's log,
// with any password of the connection string masked (drivers echo it).
struct GdalMessages {
    Logger& log;
    const SecretRedactor& redactor;
};

void log_gdal_message(void* context, CPLErr level, const char* message) {
    auto& messages = *static_cast<GdalMessages*>(context);
    if (level == CE_Warning) {
        messages.log.warning("gdal: " + messages.redactor.redact(message));
    } else if (level == CE_Failure || level == CE_Fatal) {
        messages.log.error("gdal: " + messages.redactor.redact(message));
    }
}

FieldType field_type_of(const OGRFieldDefn& field) {
    switch (field.GetType()) {
        case OFTInteger:
            return field.GetSubType() == OFSTBoolean ? FieldType::boolean : FieldType::integer;
        case OFTInteger64:
            return FieldType::integer;
        case OFTReal:
            return FieldType::real;
        case OFTDate:
            return FieldType::date;
        case OFTDateTime:
            return FieldType::datetime;
        default:  // strings, times, lists, binary: kept as OGR's text form
            return FieldType::string;
    }
}

std::optional<GeometryType> geometry_type_of(OGRwkbGeometryType type) {
    switch (wkbFlatten(type)) {
        case wkbPoint:
            return GeometryType::point;
        case wkbLineString:
        case wkbCircularString:
        case wkbCompoundCurve:
            return GeometryType::line_string;
        case wkbPolygon:
        case wkbCurvePolygon:
            return GeometryType::polygon;
        case wkbMultiPoint:
            return GeometryType::multi_point;
        case wkbMultiLineString:
        case wkbMultiCurve:
            return GeometryType::multi_line_string;
        case wkbMultiPolygon:
        case wkbMultiSurface:
            return GeometryType::multi_polygon;
        default:
            return std::nullopt;
    }
}

// Milliseconds since the epoch in UTC from OGR's broken-down date-time;
// OGR's time-zone flag is 0 (unknown), 1 (local) or 100 + quarter hours
// from GMT. Unknown and local times are taken as UTC: there is no better
// guess on a server.
TimeMs utc_ms(int y, int m, int d, int hh, int mm, float ss, int tz_flag) {
    TimeMs day_ms =
        static_cast<TimeMs>(days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d))) * kDayMs;
    auto ms = static_cast<TimeMs>(std::llround(static_cast<double>(ss) * 1000.0));
    TimeMs t = day_ms + (hh * 3600LL + mm * 60LL) * 1000 + ms;
    if (tz_flag > 1) {
        t -= (tz_flag - 100) * 15LL * 60'000;
    }
    return t;
}

// A date or date-time as the source wrote it, for a value that is no
// instant RFC 3339 can write (kept as text rather than shifted).
std::string date_text(int y, int m, int d, int hh, int mm, float ss, int tz_flag, bool with_time) {
    char text[96];
    std::snprintf(text, sizeof text, "%s%04d-%02d-%02d", y < 0 ? "-" : "", std::abs(y), m, d);
    std::string out = text;
    if (with_time) {
        if (ss == std::floor(ss)) {
            std::snprintf(text, sizeof text, "T%02d:%02d:%02d", hh, mm, static_cast<int>(ss));
        } else {
            std::snprintf(text, sizeof text, "T%02d:%02d:%06.3f", hh, mm, static_cast<double>(ss));
        }
        out += text;
        if (tz_flag == 100) {
            out += 'Z';
        } else if (tz_flag > 1) {
            const int minutes = std::abs(tz_flag - 100) * 15;
            std::snprintf(text, sizeof text, "%c%02d:%02d", tz_flag > 100 ? '+' : '-', minutes / 60, minutes % 60);
            out += text;
        }
    }
    return out;
}

// A field value; `note` says why a value was not kept as its field's type.
Value read_value(OGRFeature& feature, int i, const FieldDef& field, std::string& note) {
    if (!feature.IsFieldSetAndNotNull(i)) {
        return std::monostate{};
    }
    switch (field.type) {
        case FieldType::integer:
            return static_cast<std::int64_t>(feature.GetFieldAsInteger64(i));
        case FieldType::real: {
            double number = feature.GetFieldAsDouble(i);
            return std::isfinite(number) ? Value{number} : Value{std::monostate{}};
        }
        case FieldType::boolean:
            return feature.GetFieldAsInteger(i) != 0;
        case FieldType::string:
            return repair_utf8(feature.GetFieldAsString(i));
        case FieldType::date:
        case FieldType::datetime: {
            int y = 0, m = 0, d = 0, hh = 0, mm = 0, tz = 0;
            float ss = 0;
            if (!feature.GetFieldAsDateTime(i, &y, &m, &d, &hh, &mm, &ss, &tz)) {
                return std::monostate{};
            }
            const bool with_time = field.type == FieldType::datetime;
            // A day that is not in the calendar (2020-02-30) would silently
            // become another (2020-03-01), a year RFC 3339 cannot write
            // (-0001) would be served malformed: keep what the source says, as text.
            std::optional<TimeMs> instant;
            if (is_calendar_date(y, m, d) && hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59 && ss >= 0 && ss < 61) {
                instant = with_time
                              ? utc_ms(y, m, d, hh, mm, ss, tz)
                              : TimeMs{days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d))} * kDayMs;
            }
            if (!instant || !writable_as_rfc3339(*instant)) {
                std::string text = date_text(y, m, d, hh, mm, ss, tz, with_time);
                note = "field '" + field.name + "' holds " + text + ", which is not a " +
                       (with_time ? "date-time" : "date") + " RFC 3339 can write; kept as text";
                return text;
            }
            if (!with_time) {
                return Date{days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d))};
            }
            return DateTime{*instant};
        }
    }
    return std::monostate{};
}

// A layer that is left out (the others are served), with the reason.
class LayerSkipped : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Per-feature notes (repairs, values kept as text, ids changed) are logged
// one line per feature, up to this many per collection; the summary line
// counts them all.
constexpr std::size_t kMaxNotesPerCollection = 1000;

// The declared allowed values of a layer's fields: a GeoPackage's field
// domains (through GDAL), or for PostGIS the rules scripts/load-postgis
// keeps in regiomap.field_rules.
struct DeclaredRules {
    GDALDataset* dataset = nullptr;                                 // field domains
    const std::map<std::string, pg::FieldRule>* columns = nullptr;  // PostGIS, by column

    void apply(const OGRFieldDefn& field, FieldDef& def) const {
        def.required = !field.IsNullable();
        def.unique = field.IsUnique();
        if (columns) {
            if (auto rule = columns->find(field.GetNameRef()); rule != columns->end()) {
                def.allowed = rule->second.allowed;
                def.minimum = rule->second.minimum;
                def.maximum = rule->second.maximum;
            }
            return;
        }
        const std::string& domain_name = field.GetDomainName();
        const OGRFieldDomain* domain = dataset && !domain_name.empty() ? dataset->GetFieldDomain(domain_name) : nullptr;
        if (!domain) {
            return;
        }
        if (domain->GetDomainType() == OFDT_CODED) {
            for (const OGRCodedValue* code = static_cast<const OGRCodedFieldDomain*>(domain)->GetEnumeration();
                 code && code->pszCode; ++code) {
                def.allowed.push_back(repair_utf8(code->pszCode));
            }
        } else if (domain->GetDomainType() == OFDT_RANGE) {
            const auto& range = *static_cast<const OGRRangeFieldDomain*>(domain);
            bool inclusive = true;
            const OGRField& min = range.GetMin(inclusive);
            const OGRField& max = range.GetMax(inclusive);
            const bool real = domain->GetFieldType() == OFTReal;
            if (!OGR_RawField_IsUnset(&min) && !OGR_RawField_IsNull(&min)) {
                def.minimum = real ? min.Real : static_cast<double>(min.Integer64);
            }
            if (!OGR_RawField_IsUnset(&max) && !OGR_RawField_IsNull(&max)) {
                def.maximum = real ? max.Real : static_cast<double>(max.Integer64);
            }
        }
    }
};

class LayerReader {
public:
    // `key_column`: a field whose integer values are the feature ids (and
    // which is then not a property); empty: the source's FIDs.
    LayerReader(OGRLayer& layer, std::string id, const std::string& key_column,
                const GeneralisationOptions& generalisation, Logger& log, const DeclaredRules& rules = {})
        : layer_(layer), generalisation_(generalisation), log_(log) {
        meta_.id = std::move(id);
        const char* identifier = layer.GetMetadataItem("IDENTIFIER");
        const char* description = layer.GetMetadataItem("DESCRIPTION");
        meta_.title = repair_utf8(identifier && *identifier ? identifier : layer.GetName());
        meta_.description = repair_utf8(description ? description : "");
        meta_.geometry_type = geometry_type_of(layer.GetGeomType());
        meta_.source_layer = layer.GetName();
        meta_.key_column = key_column.empty() ? layer.GetFIDColumn() : key_column;
        if (const char* column = layer.GetGeometryColumn(); column && *column) {
            meta_.geometry_name = repair_utf8(column);
        }
        OGRFeatureDefn& definition = *layer.GetLayerDefn();
        for (int i = 0; i < definition.GetFieldCount(); ++i) {
            const OGRFieldDefn& field = *definition.GetFieldDefn(i);
            if (!key_column.empty() && key_column == field.GetNameRef()) {
                if (field.GetType() != OFTInteger && field.GetType() != OFTInteger64) {
                    throw Error::data_source("collection " + meta_.id + ": key column '" + key_column +
                                             "' is not an integer column");
                }
                key_field_ = i;
                continue;
            }
            FieldDef def{repair_utf8(field.GetNameRef()), field_type_of(field)};
            rules.apply(field, def);
            meta_.fields.push_back(std::move(def));
            source_fields_.push_back(i);
        }
        if (!key_column.empty() && key_field_ < 0) {
            throw Error::data_source("collection " + meta_.id + ": no column '" + key_column + "' for its key");
        }
        set_up_transform();
    }

    // Throws LayerSkipped for a layer of unknown CRS whose coordinates are
    // not lon/lat.
    std::unique_ptr<Collection> read() {
        std::vector<Feature> features;
        std::vector<std::optional<std::int64_t>> source_ids;
        if (auto count = layer_.GetFeatureCount(false); count > 0) {
            features.reserve(static_cast<std::size_t>(count));
            source_ids.reserve(static_cast<std::size_t>(count));
        }
        layer_.ResetReading();
        while (gdal::FeaturePtr source{layer_.GetNextFeature()}) {
            features.push_back(convert(*source, features.size(), source_ids));
        }
        if (key_field_ >= 0) {
            refuse_duplicate_keys(features);  // a key column names rows: no id of its own to replace
        }
        give_unique_ids(features, source_ids);
        log_notes(features, source_ids);
        settle_geometry_type(features);
        return std::make_unique<Collection>(std::move(meta_), std::move(features), generalisation_);
    }

    // The features the attribute filter `where` (the source's SQL, e.g.
    // "fid" IN (1,2)) selects, with the source's ids as they are: what a
    // live update reads again. Throws when reading fails part way (a lost
    // connection must not look like rows that are gone).
    std::vector<Feature> read_matching(const std::string& where) {
        std::vector<Feature> features;
        std::vector<std::optional<std::int64_t>> source_ids;
        CPLErrorReset();
        if (layer_.SetAttributeFilter(where.c_str()) != OGRERR_NONE) {
            throw Error::data_source("collection " + meta_.id +
                                     ": cannot select changed rows: " + CPLGetLastErrorMsg());
        }
        layer_.ResetReading();
        while (gdal::FeaturePtr source{layer_.GetNextFeature()}) {
            features.push_back(convert(*source, features.size(), source_ids));
        }
        const bool failed = CPLGetLastErrorType() >= CE_Failure;
        const std::string why = CPLGetLastErrorMsg();
        layer_.SetAttributeFilter(nullptr);
        if (failed) {
            throw Error::data_source("collection " + meta_.id + ": reading changed rows failed: " + why);
        }
        for (std::size_t i = 0; i < features.size(); ++i) {
            if (!source_ids[i]) {
                throw Error::data_source("collection " + meta_.id + ": a changed row without a key");
            }
            features[i].id = *source_ids[i];
        }
        log_notes(features, source_ids);
        return features;
    }

    const CollectionMeta& meta() const { return meta_; }

    void set_title(const std::string& title) { meta_.title = title; }
    void set_description(const std::string& description) { meta_.description = description; }

    std::size_t repaired() const { return repaired_; }
    std::size_t without_geometry() const { return without_geometry_; }
    std::size_t ids_changed() const { return ids_changed_; }

private:
    // One source row as a feature; its source id (key or FID) is appended
    // to `source_ids`, notes about it are kept for log_notes().
    Feature convert(OGRFeature& source, std::size_t position, std::vector<std::optional<std::int64_t>>& source_ids) {
        Feature feature;
        std::vector<std::string> notes;
        const GIntBig fid = source.GetFID();
        if (key_field_ >= 0) {
            if (!source.IsFieldSetAndNotNull(key_field_)) {
                throw Error::data_source("collection " + meta_.id + ": a row without a key (" +
                                         layer_.GetLayerDefn()->GetFieldDefn(key_field_)->GetNameRef() + " is null)");
            }
            feature.id = source.GetFieldAsInteger64(key_field_);
            source_ids.push_back(feature.id);
        } else {
            source_ids.push_back(fid == OGRNullFID ? std::nullopt : std::optional<std::int64_t>(fid));
        }
        feature.properties.reserve(meta_.fields.size());
        for (std::size_t i = 0; i < meta_.fields.size(); ++i) {
            std::string note;
            feature.properties.push_back(read_value(source, source_fields_[i], meta_.fields[i], note));
            if (!note.empty()) {
                notes.push_back(std::move(note));
            }
        }
        read_geometry(gdal::GeometryPtr{source.StealGeometry()}, feature, source_ids.back(), notes);
        if (!notes.empty()) {
            notes_.emplace_back(position, std::move(notes));
        }
        return feature;
    }

    void set_up_transform() {
        if (layer_.GetGeomType() == wkbNone) {
            return;
        }
        const OGRSpatialReference* source_srs = layer_.GetSpatialRef();
        if (!source_srs) {
            unknown_crs_ = "no CRS declared";
        } else if (source_srs->IsLocal() ||
                   std::string_view(source_srs->GetName() ? source_srs->GetName() : "") == "Undefined geographic SRS") {
            // GeoPackage's "Undefined Cartesian SRS" (srs_id -1) and
            // "Undefined geographic SRS" (0) say as little as no CRS at all.
            unknown_crs_ = std::string("its CRS is '") + (source_srs->GetName() ? source_srs->GetName() : "") + "'";
        } else {
            OGRSpatialReference crs84;
            crs84.SetWellKnownGeogCS("WGS84");
            crs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            OGRSpatialReference source_copy(*source_srs);
            source_copy.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            if (source_copy.IsSame(&crs84)) {
                return;
            }
            transform_.reset(OGRCreateCoordinateTransformation(&source_copy, &crs84));
            if (!transform_) {
                unknown_crs_ = std::string("there is no transformation from its CRS '") +
                               (source_srs->GetName() ? source_srs->GetName() : "") + "' to CRS84";
            }
        }
        if (!unknown_crs_.empty()) {
            log_.warning("collection " + meta_.id + ": " + unknown_crs_ +
                         "; served as CRS84 lon/lat if every coordinate is one");
        }
    }

    void read_geometry(gdal::GeometryPtr geometry, Feature& feature, std::optional<std::int64_t> source_id,
                       std::vector<std::string>& notes) {
        if (!geometry && layer_.GetGeomType() == wkbNone) {
            ++without_geometry_;
            return;  // a table without geometry: null is all it can be
        }
        CleanGeometry clean = clean_geometry(std::move(geometry), transform_.get());
        if (!unknown_crs_.empty() && clean.rejection == GeometryRejection::outside_crs84) {
            throw LayerSkipped("collection " + meta_.id + " skipped: " + unknown_crs_ + " and feature " +
                               (source_id ? std::to_string(*source_id) : std::string("without id")) + " has a " +
                               clean.problem + ", so its coordinates are not lon/lat");
        }
        if (clean.geometry) {
            if (!clean.repairs.empty()) {
                ++repaired_;
            }
            feature.geometry = std::move(*clean.geometry);
        } else {
            ++without_geometry_;
            clean.repairs.push_back(clean.problem + ", served as null");
        }
        for (auto& repair : clean.repairs) {
            notes.push_back(std::move(repair));
        }
    }

    // Two features under one id would make one of them unreachable (and
    // both ambiguous in tiles): see feature_ids.hpp for the rule.
    void give_unique_ids(std::vector<Feature>& features, const std::vector<std::optional<std::int64_t>>& source_ids) {
        UniqueIds unique = assign_unique_ids(source_ids);
        for (std::size_t i = 0; i < features.size(); ++i) {
            features[i].id = unique.ids[i];
        }
        ids_changed_ = unique.changes.size();
        std::size_t without_id = 0;
        for (const IdChange& change : unique.changes) {
            if (!change.source_id) {
                ++without_id;  // the usual case for some drivers: one summary line
                continue;
            }
            notes_.emplace_back(
                change.position,
                std::vector<std::string>{"id " + std::to_string(*change.source_id) +
                                         " is taken by an earlier feature; served as id " + std::to_string(change.id)});
        }
        if (without_id > 0) {
            log_.info("collection " + meta_.id + ": " + std::to_string(without_id) +
                      " features without an id (or with id -1, which GDAL reads as none) numbered after the "
                      "largest id");
        }
    }

    void log_notes(const std::vector<Feature>& features, const std::vector<std::optional<std::int64_t>>& source_ids) {
        std::stable_sort(notes_.begin(), notes_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        std::size_t logged = 0;
        for (std::size_t k = 0; k < notes_.size(); ++k) {
            const std::size_t position = notes_[k].first;
            std::string line = "collection " + meta_.id + " feature " + std::to_string(features[position].id);
            if (source_ids[position] != features[position].id) {
                line += source_ids[position] ? " (source id " + std::to_string(*source_ids[position]) + ")"
                                             : std::string(" (no source id)");
            }
            line += ": ";
            bool first = true;
            // One line per feature: a feature's notes may come in two groups.
            for (; k < notes_.size() && notes_[k].first == position; ++k) {
                for (const std::string& note : notes_[k].second) {
                    line += (first ? "" : "; ") + note;
                    first = false;
                }
            }
            --k;
            if (++logged > kMaxNotesPerCollection) {
                log_.warning("collection " + meta_.id + ": more than " + std::to_string(kMaxNotesPerCollection) +
                             " features with notes; the rest are not logged one by one");
                break;
            }
            log_.warning(line);
        }
        notes_.clear();
    }

    void refuse_duplicate_keys(const std::vector<Feature>& features) const {
        std::vector<std::int64_t> ids;
        ids.reserve(features.size());
        for (const Feature& feature : features) {
            ids.push_back(feature.id);
        }
        std::sort(ids.begin(), ids.end());
        if (auto twice = std::adjacent_find(ids.begin(), ids.end()); twice != ids.end()) {
            throw Error::data_source("collection " + meta_.id + ": its key column is not unique (" +
                                     std::to_string(*twice) + " more than once)");
        }
    }

    // A layer that declares no geometry type (GeoJSON, some PG views) takes
    // the type its features share; repairs may have turned a polygon into a
    // multipolygon, so a declared single type widens to its multi type.
    void settle_geometry_type(const std::vector<Feature>& features) {
        std::set<GeometryType> seen;
        for (const Feature& feature : features) {
            if (!feature.geometry.empty()) {
                seen.insert(feature.geometry.type);
            }
        }
        if (seen.size() == 1) {
            meta_.geometry_type = *seen.begin();
        } else if (seen == std::set{GeometryType::polygon, GeometryType::multi_polygon}) {
            meta_.geometry_type = GeometryType::multi_polygon;
        } else if (seen == std::set{GeometryType::line_string, GeometryType::multi_line_string}) {
            meta_.geometry_type = GeometryType::multi_line_string;
        } else if (seen == std::set{GeometryType::point, GeometryType::multi_point}) {
            meta_.geometry_type = GeometryType::multi_point;
        } else if (!seen.empty()) {
            meta_.geometry_type = std::nullopt;
        }
    }

    OGRLayer& layer_;
    const GeneralisationOptions& generalisation_;
    Logger& log_;
    CollectionMeta meta_;
    std::vector<int> source_fields_;  // the OGR field index of each of meta_.fields
    int key_field_ = -1;              // OGR field index of the key column, or -1: FIDs
    gdal::TransformPtr transform_;
    std::string unknown_crs_;  // why the layer's CRS is unknown; empty when it is known
    std::vector<std::pair<std::size_t, std::vector<std::string>>> notes_;  // by feature position
    std::size_t repaired_ = 0;
    std::size_t without_geometry_ = 0;
    std::size_t ids_changed_ = 0;
};

}  // namespace

std::string collection_id_from_layer_name(const std::string& name) {
    std::string id;
    for (char c : name) {
        bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
        id += safe ? c : '_';
    }
    if (id.empty() || id == "." || id == "..") {
        id = "layer";
    }
    return id;
}

namespace {

// A layer to read and the collection it becomes.
struct PlannedLayer {
    OGRLayer* layer = nullptr;
    std::string id;
    bool chosen = false;  // named in SourceOptions::collections
};

std::string layer_names(GDALDataset& dataset) {
    std::string names;
    for (OGRLayer* layer : dataset.GetLayers()) {
        names += (names.empty() ? "" : ", ") + std::string(layer->GetName());
    }
    return names.empty() ? "none" : names;
}

std::vector<PlannedLayer> plan_layers(GDALDataset& dataset, const SourceOptions& options) {
    std::vector<PlannedLayer> planned;
    std::set<std::string> ids;
    if (options.collections.empty()) {
        for (OGRLayer* layer : dataset.GetLayers()) {
            if (layer->GetName() == edit::kHistoryTable) {
                continue;  // the record of changes made through the API, not data
            }
            std::string id = collection_id_from_layer_name(layer->GetName());
            for (int n = 2; ids.count(id) > 0; ++n) {
                id = collection_id_from_layer_name(layer->GetName()) + "_" + std::to_string(n);
            }
            ids.insert(id);
            planned.push_back({layer, id, false});
        }
        return planned;
    }
    for (const CollectionChoice& choice : options.collections) {
        OGRLayer* layer = dataset.GetLayerByName(choice.layer.c_str());
        if (!layer) {
            throw Error::data_source("no layer, table or view '" + choice.layer + "' in the data source; it has " +
                                     layer_names(dataset));
        }
        std::string id = choice.id.empty() ? collection_id_from_layer_name(choice.layer) : choice.id;
        if (collection_id_from_layer_name(id) != id) {
            throw Error::data_source("collection id '" + id + "' (for " + choice.layer +
                                     ") may hold only letters, digits, '-', '_' and '.'");
        }
        if (!ids.insert(id).second) {
            throw Error::data_source("collection id '" + id + "' is given twice");
        }
        planned.push_back({layer, id, true});
    }
    return planned;
}

void check_named_collections(const std::map<std::string, std::string>& settings, const char* what,
                             const std::set<std::string>& ids) {
    for (const auto& [id, value] : settings) {
        if (ids.count(id) == 0) {
            std::string known;
            for (const std::string& name : ids) {
                known += (known.empty() ? "" : ", ") + name;
            }
            throw Error::data_source(std::string(what) + " is given for '" + id +
                                     "', which is not a collection; the collections are " + known);
        }
    }
}

// A GeoPackage needs only GDAL's GeoPackage driver: registering that one
// instead of all ~220 (GDALAllRegister, ~7 ms) is a twentieth of exporting
// the Beichen data, and of every start. Any other source, or a .gpkg that
// driver refuses, is opened with every driver registered, as GDAL would.
gdal::DatasetPtr open_read_only(const std::string& source) {
    constexpr unsigned kFlags = GDAL_OF_VECTOR | GDAL_OF_READONLY;
    std::string extension = std::filesystem::path(source).extension().string();
    std::ranges::transform(extension, extension.begin(), [](unsigned char c) { return std::tolower(c); });
    if (extension == ".gpkg") {
        RegisterOGRGeoPackage();  // idempotent, as is GDALAllRegister
        const char* const gpkg_only[] = {"GPKG", nullptr};
        gdal::ScopedErrorHandler quiet([](void*, CPLErr, const char*) {}, nullptr);  // the retry says why
        if (gdal::DatasetPtr dataset{GDALDataset::Open(source.c_str(), kFlags, gpkg_only)}) {
            return dataset;
        }
    }
    GDALAllRegister();
    CPLErrorReset();
    return gdal::DatasetPtr{GDALDataset::Open(source.c_str(), kFlags)};
}

// GDAL says nothing when no driver recognises a file, or when it is missing.
std::string why_not_opened(const std::string& source, const SecretRedactor& redactor) {
    if (const std::string said = CPLGetLastErrorMsg(); !said.empty()) {
        return redactor.redact(said);
    }
    // A connection string ("PG:…", "WFS:…") is not a file to look for.
    const bool path = source.starts_with('/') || source.find(':') == std::string::npos;
    VSIStatBufL stat;
    if (path && VSIStatL(source.c_str(), &stat) != 0) {
        return "no such file";
    }
    return "not a vector data source GDAL can read";
}

}  // namespace

std::shared_ptr<const FeatureStore> load_store(const std::string& source, Logger& log,
                                               const GeneralisationOptions& generalisation) {
    SourceOptions options;
    options.generalisation = generalisation;
    return load_store(source, log, options);
}

// An opened source: the GDAL dataset, what the database declares beside it
// (PostGIS field rules, attribution) and the layers planned as collections.
struct SourceReader::Impl {
    Impl(const std::string& source, const SourceOptions& source_options, Logger& logger)
        : redactor(source),
          shown(pg::is_pg_source(source) ? pg::display_source(source) : redactor.display_name()),
          options(source_options),
          log(logger),
          messages{log, redactor},
          postgis(pg::is_pg_source(source)) {
        gdal::ScopedErrorHandler gdal_errors(&log_gdal_message, &messages);
        if (postgis) {
            // libpq first: a clear error that names the database (never the
            // password) when it is down or refuses us, before GDAL's.
            pg::Connection connection(pg::parse_pg_source(source), "regiomap loader");
            database_attribution = pg::read_dataset_info(connection).attribution;
            database_rules = pg::read_field_rules(connection);
        }
        dataset = open_read_only(source);
        if (!dataset) {
            throw Error::data_source("cannot open data source " + shown + ": " + why_not_opened(source, redactor));
        }
        planned = plan_layers(*dataset, source_options);
    }

    std::string key_column(const PlannedLayer& layer) const {
        const auto key = options.key_columns.find(layer.id);
        return key == options.key_columns.end() ? "" : key->second;
    }

    // Why a PostGIS layer cannot be a collection (no key), or empty.
    std::string refusal(const PlannedLayer& layer) const {
        if (postgis && key_column(layer).empty() && std::string_view(layer.layer->GetFIDColumn()).empty()) {
            return std::string(layer.layer->GetName()) +
                   " has no key: give the table an integer primary key, or name a view's key column with "
                   "--collection-key " +
                   layer.id + "=COLUMN";
        }
        return {};
    }

    std::unique_ptr<LayerReader> reader_for(const PlannedLayer& layer) {
        DeclaredRules rules;
        if (postgis) {
            rules.columns = &database_rules[layer.layer->GetName()];
        } else {
            rules.dataset = dataset.get();
        }
        auto reader = std::make_unique<LayerReader>(*layer.layer, layer.id, key_column(layer), options.generalisation,
                                                    log, rules);
        if (auto title = options.titles.find(layer.id); title != options.titles.end()) {
            reader->set_title(title->second);
        }
        if (auto text = options.descriptions.find(layer.id); text != options.descriptions.end()) {
            reader->set_description(text->second);
        }
        return reader;
    }

    const PlannedLayer& planned_layer(const std::string& id) const {
        for (const PlannedLayer& layer : planned) {
            if (layer.id == id) {
                return layer;
            }
        }
        throw Error::data_source("collection " + id + " is no longer in " + shown);
    }

    const SecretRedactor redactor;
    const std::string shown;  // the source's name as it may be shown: no password
    const SourceOptions options;
    Logger& log;
    GdalMessages messages;
    const bool postgis;
    std::string database_attribution;
    pg::FieldRules database_rules;
    gdal::DatasetPtr dataset;
    std::vector<PlannedLayer> planned;
    // Readers kept for reading changed rows again: made once per collection
    // (a reader sets up the layer's CRS transformation).
    std::map<std::string, std::unique_ptr<LayerReader>> row_readers;
};

SourceReader::SourceReader(const std::string& source, const SourceOptions& options, Logger& log)
    : impl_(std::make_unique<Impl>(source, options, log)) {}

SourceReader::~SourceReader() = default;

std::shared_ptr<const Collection> SourceReader::read_collection(const std::string& id) {
    gdal::ScopedErrorHandler gdal_errors(&log_gdal_message, &impl_->messages);
    const PlannedLayer& layer = impl_->planned_layer(id);
    if (std::string why = impl_->refusal(layer); !why.empty()) {
        throw Error::data_source("refused " + why);
    }
    impl_->row_readers.erase(id);
    return impl_->reader_for(layer)->read();
}

std::vector<Feature> SourceReader::read_features(const CollectionMeta& meta, const std::vector<std::int64_t>& keys) {
    if (keys.empty()) {
        return {};
    }
    gdal::ScopedErrorHandler gdal_errors(&log_gdal_message, &impl_->messages);
    auto& reader = impl_->row_readers[meta.id];
    if (!reader) {
        reader = impl_->reader_for(impl_->planned_layer(meta.id));
    }
    const CollectionMeta& now = reader->meta();
    bool same = now.fields.size() == meta.fields.size() && now.key_column == meta.key_column;
    for (std::size_t i = 0; same && i < now.fields.size(); ++i) {
        same = now.fields[i].name == meta.fields[i].name && now.fields[i].type == meta.fields[i].type;
    }
    if (!same) {
        throw SchemaChanged("collection " + meta.id + ": its columns changed");
    }
    // The key column by name, quoted as SQL (PostgreSQL, SQLite); a source
    // without one (a GeoJSON file) is selected by OGR's own FID.
    std::string column = "FID";
    if (!meta.key_column.empty()) {
        column.assign(1, '"');
        for (char c : meta.key_column) {
            if (c == '"') {
                column.push_back('"');
            }
            column.push_back(c);
        }
        column.push_back('"');
    }
    std::vector<Feature> features;
    constexpr std::size_t kKeysPerQuery = 500;
    for (std::size_t first = 0; first < keys.size(); first += kKeysPerQuery) {
        std::string where = column + " IN (";
        for (std::size_t i = first; i < std::min(keys.size(), first + kKeysPerQuery); ++i) {
            if (i != first) {
                where.push_back(',');
            }
            where += std::to_string(keys[i]);
        }
        where += ')';
        for (Feature& feature : reader->read_matching(where)) {
            features.push_back(std::move(feature));
        }
    }
    return features;
}

std::shared_ptr<const FeatureStore> load_store(const std::string& source, Logger& log, const SourceOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    SourceReader::Impl opened(source, options, log);
    gdal::ScopedErrorHandler gdal_errors(&log_gdal_message, &opened.messages);
    const std::string& shown = opened.shown;
    std::vector<std::unique_ptr<Collection>> collections;
    std::set<std::string> ids;
    std::size_t skipped_layers = 0;
    for (const PlannedLayer& planned : opened.planned) {
        if (std::string why = opened.refusal(planned); !why.empty()) {
            if (planned.chosen) {
                throw Error::data_source("refused " + why);
            }
            log.warning("not served: " + why);
            continue;
        }
        ids.insert(planned.id);
        const auto layer_started = std::chrono::steady_clock::now();
        auto reader = opened.reader_for(planned);
        try {
            collections.push_back(reader->read());
        } catch (const LayerSkipped& skipped) {
            log.warning(std::string(skipped.what()) + "; the other layers are served");
            ++skipped_layers;
            continue;
        }
        const Collection& loaded = *collections.back();
        std::ostringstream line;
        line << "loaded collection " << loaded.id() << ": " << loaded.size() << " features, "
             << loaded.meta().fields.size() << " fields";
        if (reader->repaired() > 0) {
            line << ", " << reader->repaired() << " geometries repaired";
        }
        if (reader->without_geometry() > 0) {
            line << ", " << reader->without_geometry() << " without geometry";
        }
        if (reader->ids_changed() > 0) {
            line << ", " << reader->ids_changed() << " given new ids";
        }
        line << " in "
             << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - layer_started)
                    .count()
             << " ms";
        log.info(line.str());
    }
    if (collections.empty()) {
        throw Error::data_source("data source " + shown + " has no vector layer to serve" +
                                 (skipped_layers > 0 ? " (see the warnings above for the layers skipped)" : ""));
    }
    check_named_collections(options.titles, "a title", ids);
    check_named_collections(options.descriptions, "a description", ids);
    check_named_collections(options.key_columns, "a key column", ids);
    const char* dataset_attribution = opened.dataset->GetMetadataItem("ATTRIBUTION");
    std::string attribution = !options.attribution.empty() ? options.attribution
                              : dataset_attribution        ? repair_utf8(dataset_attribution)
                                                           : repair_utf8(opened.database_attribution);
    auto store = std::make_shared<const FeatureStore>(shown, std::move(collections), std::move(attribution));
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    log.info("loaded " + std::to_string(store->collections().size()) + " collections, " +
             std::to_string(store->feature_count()) + " features from " + shown + " in " +
             std::to_string(elapsed.count()) + " ms");
    return store;
}

}  // namespace regiomap
