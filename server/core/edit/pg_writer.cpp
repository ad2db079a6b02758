#include "core/edit/ogr_writer.hpp"

#include "core/error.hpp"
#include "core/postgis/pg_source.hpp"
#include "core/secrets.hpp"

namespace regiomap::edit {

namespace {

// The history of every change made through the API, beside the data
// (scripts/load-postgis keeps its own tables in the same schema). Text
// columns as in the GeoPackage, so that both sources read back the same.
constexpr const char* kCreateHistory =
    "CREATE SCHEMA IF NOT EXISTS regiomap; "
    "CREATE TABLE IF NOT EXISTS regiomap.history ("
    " change_id bigserial PRIMARY KEY,"
    " collection text NOT NULL, layer text NOT NULL, feature_id bigint NOT NULL, operation text NOT NULL,"
    " author text NOT NULL, changed_at text NOT NULL, reason text, fields text NOT NULL, before text, after text); "
    "CREATE INDEX IF NOT EXISTS history_feature ON regiomap.history (collection, feature_id); "
    "COMMENT ON TABLE regiomap.history IS 'regiomap: every change made through the API'";

}  // namespace

std::unique_ptr<SourceWriter> open_postgis_writer(const std::string& source, Logger& log) {
    const SecretRedactor redactor(source);
    const std::string name = pg::display_source(source);
    GDALAllRegister();
    const char* const drivers[] = {"PostgreSQL", nullptr};
    gdal::DatasetPtr dataset{GDALDataset::Open(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers)};
    if (!dataset) {
        throw Error::data_source("editing: cannot open " + name +
                                 " for writing: " + redactor.redact(CPLGetLastErrorMsg()));
    }
    CPLErrorReset();
    if (OGRLayer* result = dataset->ExecuteSQL(kCreateHistory, nullptr, nullptr)) {
        dataset->ReleaseResultSet(result);
    }
    if (CPLGetLastErrorType() >= CE_Failure) {
        throw Error::data_source(
            "cannot create the history table regiomap.history in " + name +
            " (the server's database user needs CREATE on the database): " + redactor.redact(CPLGetLastErrorMsg()));
    }
    OGRLayer* history = dataset->GetLayerByName("regiomap.history");
    if (!history) {
        throw Error::data_source("cannot read the history table regiomap.history in " + name + ": " +
                                 redactor.redact(CPLGetLastErrorMsg()));
    }
    log.info("editing writes to " + name + ", its history to regiomap.history");
    return std::make_unique<OgrWriter>(std::move(dataset), history, "regiomap.history", "the database");
}

}  // namespace regiomap::edit
