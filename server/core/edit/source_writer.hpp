#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/datetime.hpp"
#include "core/feature_store.hpp"
#include "core/log.hpp"

class OGRGeometry;

namespace regiomap::edit {

enum class ChangeKind { create, replace, update, remove };
std::string_view change_kind_name(ChangeKind kind);  // "create", "replace", "update", "delete"
std::optional<ChangeKind> change_kind_from_name(std::string_view name);

// One row of the history the source of record keeps of every change made
// through the API: who, when, which fields, the feature before and after
// (GeoJSON; null before a create and after a delete), and why.
struct ChangeRecord {
    std::int64_t change_id = 0;  // increasing; assigned by the source at commit
    std::string collection;      // collection id
    std::int64_t feature_id = 0;
    ChangeKind kind = ChangeKind::update;
    std::string author;
    TimeMs at = 0;
    std::string reason;
    std::vector<std::string> fields;  // property names, and "geometry", that differ
    nlohmann::json before;
    nlohmann::json after;
};

// One change to write: the new state of a feature (none for a delete), in
// CRS84, with its geometry for the source, and the history record.
struct WriteRequest {
    const CollectionMeta* meta = nullptr;
    ChangeKind kind = ChangeKind::update;
    std::int64_t feature_id = 0;  // 0 for a create: the source assigns it
    const Feature* feature = nullptr;
    const OGRGeometry* geometry = nullptr;  // CRS84
    ChangeRecord record;                    // change_id and, for a create, feature_id filled in by commit()
};

struct CommitResult {
    std::int64_t feature_id = 0;
    std::int64_t change_id = 0;
};

// The source of record, written to. Each commit() is one transaction —
// the feature's row and its history row, both or neither — and returns
// only after COMMIT. Not thread-safe: the caller serialises writes (a
// GeoPackage has one writer at a time anyway). Errors are Error: conflict
// for a unique value taken, data_source when the source refuses the
// write (the message names the collection, never a password).
class SourceWriter {
public:
    virtual ~SourceWriter() = default;
    virtual CommitResult commit(WriteRequest& request) = 0;
    // A feature's changes, newest first.
    virtual std::vector<ChangeRecord> history(const std::string& collection, std::int64_t feature_id,
                                              std::size_t limit) = 0;
    // Changes after `after_change_id` (or at or after `since` when given), oldest first.
    virtual std::vector<ChangeRecord> changes(std::int64_t after_change_id, std::optional<TimeMs> since,
                                              std::size_t limit) = 0;
    // The last change of each of `feature_ids` in a collection (for popups).
    virtual std::optional<ChangeRecord> last_change(const std::string& collection, std::int64_t feature_id) = 0;
};

// The name of the history table in a source (GeoPackage attribute table;
// regiomap.history in PostGIS): never a collection.
inline constexpr std::string_view kHistoryTable = "regiomap_history";

// A writer for `source`: a GeoPackage file (opened for update, WAL) or a
// PostGIS database ("PG:…"). Throws Error(data_source) for sources that
// cannot be written (GeoJSON, Shapefile, a read-only file).
std::unique_ptr<SourceWriter> open_source_writer(const std::string& source, Logger& log);

}  // namespace regiomap::edit
