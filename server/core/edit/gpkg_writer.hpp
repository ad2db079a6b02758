#pragma once

#include <string>

#include "core/edit/source_writer.hpp"
#include "core/gdal_handles.hpp"

namespace regiomap::edit {

// Writes a GeoPackage through GDAL: the file opened once for update, in
// WAL mode with synchronous=FULL; each commit() one GDAL (SQLite)
// transaction holding the feature and its row in the attribute table
// regiomap_history (created on first use, registered in gpkg_contents so
// that QGIS shows it too).
class GpkgWriter final : public SourceWriter {
public:
    GpkgWriter(const std::string& path, Logger& log);
    ~GpkgWriter() override;

    CommitResult commit(WriteRequest& request) override;
    std::vector<ChangeRecord> history(const std::string& collection, std::int64_t feature_id,
                                      std::size_t limit) override;
    std::vector<ChangeRecord> changes(std::int64_t after_change_id, std::optional<TimeMs> since,
                                      std::size_t limit) override;
    std::optional<ChangeRecord> last_change(const std::string& collection, std::int64_t feature_id) override;

private:
    OGRLayer& layer_of(const CollectionMeta& meta);
    std::vector<ChangeRecord> query(const std::string& where, const std::string& order, std::size_t limit);

    Logger& log_;
    gdal::DatasetPtr dataset_;
    OGRLayer* history_ = nullptr;  // owned by dataset_
};

}  // namespace regiomap::edit
