#include "core/edit/ogr_writer.hpp"

#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/gdal_handles.hpp"
#include "core/secrets.hpp"

namespace regiomap::edit {

namespace {

using namespace history_field;

// "2020-06-10T08:00:00.000Z": always with milliseconds, so that text
// order is time order in SQL comparisons.
std::string sortable_time(TimeMs ms) {
    const TimeMs millis = ((ms % 1000) + 1000) % 1000;
    std::string text = format_datetime(ms - millis);
    text.pop_back();  // 'Z'
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(millis));
    return text + fraction;
}

std::string escape_sql(std::string_view text) {
    std::string out;
    for (char c : text) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out;
}

struct CivilDate {
    int year = 1970;
    int month = 1;
    int day = 1;
};

CivilDate civil_date(std::int32_t days) {
    CivilDate date;
    std::sscanf(format_date(days).c_str(), "%d-%d-%d", &date.year, &date.month, &date.day);
    return date;
}

void set_value(OGRFeature& target, int index, const Value& value) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                target.SetFieldNull(index);
            } else if constexpr (std::is_same_v<T, bool>) {
                target.SetField(index, v ? 1 : 0);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                target.SetField(index, static_cast<GIntBig>(v));
            } else if constexpr (std::is_same_v<T, double>) {
                target.SetField(index, v);
            } else if constexpr (std::is_same_v<T, std::string>) {
                target.SetField(index, v.c_str());
            } else if constexpr (std::is_same_v<T, Date>) {
                const CivilDate date = civil_date(v.days);
                target.SetField(index, date.year, date.month, date.day);
            } else if constexpr (std::is_same_v<T, DateTime>) {
                const std::int32_t days = static_cast<std::int32_t>(std::floor(static_cast<double>(v.ms) / kDayMs));
                const CivilDate date = civil_date(days);
                const TimeMs in_day = v.ms - static_cast<TimeMs>(days) * kDayMs;
                target.SetField(index, date.year, date.month, date.day, static_cast<int>(in_day / 3'600'000),
                                static_cast<int>(in_day / 60'000 % 60), static_cast<float>(in_day % 60'000) / 1000.0f,
                                100);
            }
        },
        value);
}

ChangeRecord record_of(OGRFeature& row) {
    ChangeRecord record;
    record.change_id = row.GetFID();
    record.collection = row.GetFieldAsString(kCollection);
    record.feature_id = row.GetFieldAsInteger64(kFeatureId);
    record.kind = change_kind_from_name(row.GetFieldAsString(kOperation)).value_or(ChangeKind::update);
    record.author = row.GetFieldAsString(kAuthor);
    if (auto at = parse_rfc3339(row.GetFieldAsString(kChangedAt))) {
        record.at = at->span.begin;
    }
    record.reason = row.GetFieldAsString(kReason);
    auto parse = [](const char* text) {
        auto value = nlohmann::json::parse(text ? text : "", nullptr, false);
        return value.is_discarded() ? nlohmann::json() : value;
    };
    const auto fields = parse(row.GetFieldAsString(kFields));
    if (fields.is_array()) {
        for (const auto& name : fields) {
            record.fields.push_back(name.get<std::string>());
        }
    }
    record.before = parse(row.GetFieldAsString(kBefore));
    record.after = parse(row.GetFieldAsString(kAfter));
    return record;
}

// Rolls the transaction back unless committed: an exception between
// StartTransaction and CommitTransaction leaves nothing half-written.
class Transaction {
public:
    Transaction(GDALDataset& dataset, const std::string& source_kind) : dataset_(dataset), source_kind_(source_kind) {
        if (dataset_.StartTransaction(FALSE) != OGRERR_NONE) {
            throw Error::data_source(source_kind_ + " cannot start a transaction");
        }
    }
    ~Transaction() {
        if (!done_) {
            dataset_.RollbackTransaction();
        }
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        done_ = true;
        if (dataset_.CommitTransaction() != OGRERR_NONE) {
            throw Error::data_source(source_kind_ + " did not commit the change: " + std::string(CPLGetLastErrorMsg()));
        }
    }

private:
    GDALDataset& dataset_;
    const std::string& source_kind_;
    bool done_ = false;
};

}  // namespace

OgrWriter::OgrWriter(gdal::DatasetPtr dataset, OGRLayer* history, std::string history_sql_name, std::string source_kind)
    : dataset_(std::move(dataset)),
      history_(history),
      history_sql_name_(std::move(history_sql_name)),
      source_kind_(std::move(source_kind)) {}

OgrWriter::~OgrWriter() = default;

OGRLayer& OgrWriter::layer_of(const CollectionMeta& meta) {
    OGRLayer* layer = dataset_->GetLayerByName(meta.source_layer.c_str());
    if (!layer) {
        throw Error::data_source("collection " + meta.id + ": its layer " + meta.source_layer + " is not in " +
                                 source_kind_ + " any more");
    }
    return *layer;
}

CommitResult OgrWriter::commit(WriteRequest& request) {
    const CollectionMeta& meta = *request.meta;
    OGRLayer& layer = layer_of(meta);
    Transaction transaction(*dataset_, source_kind_);
    CommitResult result;
    result.feature_id = request.feature_id;
    if (request.kind == ChangeKind::remove) {
        if (layer.DeleteFeature(request.feature_id) != OGRERR_NONE) {
            throw Error::not_found("feature " + std::to_string(request.feature_id) + " is not in " + meta.id);
        }
    } else {
        gdal::FeaturePtr row;
        if (request.kind == ChangeKind::create) {
            row.reset(new OGRFeature(layer.GetLayerDefn()));
        } else {
            row.reset(layer.GetFeature(request.feature_id));
            if (!row) {
                throw Error::not_found("feature " + std::to_string(request.feature_id) + " is not in " + meta.id);
            }
        }
        for (std::size_t i = 0; i < meta.fields.size(); ++i) {
            const int index = row->GetFieldIndex(meta.fields[i].name.c_str());
            if (index >= 0) {
                set_value(*row, index, request.feature->properties[i]);
            }
        }
        gdal::GeometryPtr geometry{request.geometry->clone()};
        if (const OGRSpatialReference* layer_srs = layer.GetSpatialRef()) {
            OGRSpatialReference crs84;
            crs84.SetWellKnownGeogCS("WGS84");
            crs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            OGRSpatialReference target(*layer_srs);
            target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            if (!target.IsSame(&crs84)) {
                gdal::TransformPtr transform{OGRCreateCoordinateTransformation(&crs84, &target)};
                if (!transform || geometry->transform(transform.get()) != OGRERR_NONE) {
                    throw Error(ErrorKind::unprocessable, "the geometry cannot be transformed to the CRS of " + meta.id,
                                {{"geometry", "cannot be transformed to the collection's CRS"}});
                }
            }
        }
        // Polygons and lines of a multi layer are stored as they came (the
        // type was checked against the collection's).
        row->SetGeometryDirectly(geometry.release());
        const OGRErr written =
            request.kind == ChangeKind::create ? layer.CreateFeature(row.get()) : layer.SetFeature(row.get());
        if (written != OGRERR_NONE) {
            refused(meta, CPLGetLastErrorMsg());
        }
        result.feature_id = row->GetFID();
    }
    ChangeRecord& record = request.record;
    record.feature_id = result.feature_id;
    if (record.after.is_object()) {
        record.after["id"] = result.feature_id;
    }
    gdal::FeaturePtr history_row{new OGRFeature(history_->GetLayerDefn())};
    history_row->SetField(kCollection, record.collection.c_str());
    history_row->SetField(kLayer, meta.source_layer.c_str());
    history_row->SetField(kFeatureId, static_cast<GIntBig>(record.feature_id));
    history_row->SetField(kOperation, std::string(change_kind_name(record.kind)).c_str());
    history_row->SetField(kAuthor, record.author.c_str());
    history_row->SetField(kChangedAt, sortable_time(record.at).c_str());
    if (!record.reason.empty()) {
        history_row->SetField(kReason, record.reason.c_str());
    }
    history_row->SetField(kFields, nlohmann::json(record.fields).dump().c_str());
    if (!record.before.is_null()) {
        history_row->SetField(kBefore, record.before.dump().c_str());
    }
    if (!record.after.is_null()) {
        history_row->SetField(kAfter, record.after.dump().c_str());
    }
    if (history_->CreateFeature(history_row.get()) != OGRERR_NONE) {
        throw Error::data_source(source_kind_ + " refused the history record: " + std::string(CPLGetLastErrorMsg()));
    }
    transaction.commit();
    result.change_id = history_row->GetFID();
    record.change_id = result.change_id;
    return result;
}

void OgrWriter::refused(const CollectionMeta& meta, const std::string& why) const {
    // SQLite says "UNIQUE constraint failed", PostgreSQL "duplicate key value
    // violates unique constraint" and "violates check constraint".
    if (why.find("UNIQUE") != std::string::npos || why.find("duplicate key") != std::string::npos) {
        throw Error(ErrorKind::conflict, meta.id + ": a unique value of this feature is taken by another one");
    }
    if (why.find("check constraint") != std::string::npos || why.find("CHECK constraint") != std::string::npos) {
        throw Error(ErrorKind::unprocessable, meta.id + ": " + source_kind_ + " refused a value (" + why + ")",
                    {{"properties", "a value breaks a rule of " + source_kind_ + ": " + why}});
    }
    throw Error::data_source(source_kind_ + " refused the change to " + meta.id + ": " + why);
}

std::vector<ChangeRecord> OgrWriter::query(const std::string& where, const std::string& order, std::size_t limit) {
    const std::string sql = "SELECT * FROM " + history_sql_name_ + " WHERE " + where + " ORDER BY change_id " + order +
                            " LIMIT " + std::to_string(limit);
    std::vector<ChangeRecord> records;
    OGRLayer* result = dataset_->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (!result) {
        throw Error::data_source("cannot read the history: " + std::string(CPLGetLastErrorMsg()));
    }
    while (gdal::FeaturePtr row{result->GetNextFeature()}) {
        records.push_back(record_of(*row));
    }
    dataset_->ReleaseResultSet(result);
    return records;
}

std::vector<ChangeRecord> OgrWriter::history(const std::string& collection, std::int64_t feature_id,
                                             std::size_t limit) {
    return query("collection = '" + escape_sql(collection) + "' AND feature_id = " + std::to_string(feature_id), "DESC",
                 limit);
}

std::vector<ChangeRecord> OgrWriter::changes(std::int64_t after_change_id, std::optional<TimeMs> since,
                                             std::size_t limit) {
    std::string where = "change_id > " + std::to_string(after_change_id);
    if (since) {
        where += " AND changed_at >= '" + escape_sql(sortable_time(*since)) + "'";
    }
    return query(where, "ASC", limit);
}

std::optional<ChangeRecord> OgrWriter::last_change(const std::string& collection, std::int64_t feature_id) {
    auto records = history(collection, feature_id, 1);
    if (records.empty()) {
        return std::nullopt;
    }
    return std::move(records.front());
}

}  // namespace regiomap::edit
