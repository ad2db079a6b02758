#pragma once

#include <string>

#include "core/edit/source_writer.hpp"
#include "core/gdal_handles.hpp"

namespace regiomap::edit {

// Writes the source of record through GDAL: a GeoPackage or a PostGIS
// database, opened once for update. Each commit() is one GDAL transaction
// (SQLite or PostgreSQL) holding the feature's row and its row in the
// history table; both or neither are written, and commit() returns only
// after COMMIT. What differs between the two sources is how they are
// opened and where the history table lives (gpkg_writer.cpp,
// pg_writer.cpp); the writing is the same.
class OgrWriter final : public SourceWriter {
public:
    // `history`: the history layer of `dataset`, by the name SQL knows it
    // under (`history_sql_name`). `source_kind`: "the GeoPackage", "the
    // database", for messages.
    OgrWriter(gdal::DatasetPtr dataset, OGRLayer* history, std::string history_sql_name, std::string source_kind);
    ~OgrWriter() override;

    CommitResult commit(WriteRequest& request) override;
    std::vector<ChangeRecord> history(const std::string& collection, std::int64_t feature_id,
                                      std::size_t limit) override;
    std::vector<ChangeRecord> changes(std::int64_t after_change_id, std::optional<TimeMs> since,
                                      std::size_t limit) override;
    std::optional<ChangeRecord> last_change(const std::string& collection, std::int64_t feature_id) override;

private:
    OGRLayer& layer_of(const CollectionMeta& meta);
    std::vector<ChangeRecord> query(const std::string& where, const std::string& order, std::size_t limit);
    // The source's refusal of a row as the client's error where it is one
    // (a unique value taken: conflict; a CHECK constraint: unprocessable).
    [[noreturn]] void refused(const CollectionMeta& meta, const std::string& why) const;

    gdal::DatasetPtr dataset_;
    OGRLayer* history_ = nullptr;  // owned by dataset_
    std::string history_sql_name_;
    std::string source_kind_;
};

// The history table's field names, the same in every source.
namespace history_field {
inline constexpr const char* kCollection = "collection";
inline constexpr const char* kLayer = "layer";
inline constexpr const char* kFeatureId = "feature_id";
inline constexpr const char* kOperation = "operation";
inline constexpr const char* kAuthor = "author";
inline constexpr const char* kChangedAt = "changed_at";
inline constexpr const char* kReason = "reason";
inline constexpr const char* kFields = "fields";
inline constexpr const char* kBefore = "before";
inline constexpr const char* kAfter = "after";
}  // namespace history_field

// A GeoPackage opened for update (WAL, synchronous=FULL), its history in
// the attribute table regiomap_history (created on first use, registered
// in gpkg_contents so that QGIS shows it too).
std::unique_ptr<SourceWriter> open_gpkg_writer(const std::string& path, Logger& log);

// A PostGIS database ("PG:…") opened for update, its history in the table
// regiomap.history (created on first use). Errors name the database by its
// description, never by its connection string.
std::unique_ptr<SourceWriter> open_postgis_writer(const std::string& source, Logger& log);

}  // namespace regiomap::edit
