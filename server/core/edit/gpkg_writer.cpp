#include "core/edit/ogr_writer.hpp"

#include "core/error.hpp"
#include "core/secrets.hpp"

namespace regiomap::edit {

std::unique_ptr<SourceWriter> open_gpkg_writer(const std::string& path, Logger& log) {
    GDALAllRegister();
    const char* const drivers[] = {"GPKG", nullptr};
    gdal::DatasetPtr dataset{GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers)};
    if (!dataset) {
        throw Error::data_source(
            "cannot open " + SecretRedactor(path).display_name() +
            " for writing (edits need a GeoPackage the server may write): " + CPLGetLastErrorMsg());
    }
    // WAL: readers (a reload, a restart) never block on the writer, and a
    // commit is one append to the log. synchronous=FULL: a commit is on
    // disk before it is acknowledged, even if the machine loses power.
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"}) {
        if (OGRLayer* result = dataset->ExecuteSQL(pragma, nullptr, nullptr)) {
            dataset->ReleaseResultSet(result);
        }
    }
    using namespace history_field;
    const std::string table(kHistoryTable);
    OGRLayer* history = dataset->GetLayerByName(table.c_str());
    if (!history) {
        char** options = nullptr;
        options = CSLSetNameValue(options, "ASPATIAL_VARIANT", "GPKG_ATTRIBUTES");
        options = CSLSetNameValue(options, "FID", "change_id");
        options = CSLSetNameValue(options, "DESCRIPTION", "regiomap: every change made through the API");
        history = dataset->CreateLayer(table.c_str(), nullptr, wkbNone, options);
        CSLDestroy(options);
        if (!history) {
            throw Error::data_source("cannot create the history table in the GeoPackage: " +
                                     std::string(CPLGetLastErrorMsg()));
        }
        for (const char* name :
             {kCollection, kLayer, kFeatureId, kOperation, kAuthor, kChangedAt, kReason, kFields, kBefore, kAfter}) {
            OGRFieldDefn field(name, name == std::string_view(kFeatureId) ? OFTInteger64 : OFTString);
            if (name != std::string_view(kReason) && name != std::string_view(kBefore) &&
                name != std::string_view(kAfter)) {
                field.SetNullable(FALSE);
            }
            history->CreateField(&field);
        }
        if (OGRLayer* result = dataset->ExecuteSQL(
                "CREATE INDEX IF NOT EXISTS regiomap_history_feature ON regiomap_history (collection, feature_id)",
                nullptr, nullptr)) {
            dataset->ReleaseResultSet(result);
        }
        log.info("created the history table regiomap_history in the GeoPackage");
    }
    return std::make_unique<OgrWriter>(std::move(dataset), history, table, "the GeoPackage");
}

}  // namespace regiomap::edit
