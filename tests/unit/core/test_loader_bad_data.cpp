// The loader fed nasty but plausible sources (issue 12): GeoPackages written
// here with GDAL, row by row, the way real-world files come. Each test is a
// regression test for one defect of that issue.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include "core/error.hpp"
#include "core/gdal_handles.hpp"
#include "core/loader.hpp"

namespace regiomap {
namespace {

struct Row {
    std::int64_t fid = OGRNullFID;  // OGRNullFID: let GDAL number it
    std::string wkt;                // empty: no geometry
    std::string note;               // the text field "note", to tell features apart
};

enum class Crs { lon_lat, none, undefined_cartesian, utm50n };

// A GeoPackage in a scratch directory, written layer by layer.
class ScratchGpkg {
public:
    explicit ScratchGpkg(const std::string& name) {
        GDALAllRegister();
        path_ = std::filesystem::path(::testing::TempDir()) / ("regiomap-" + name + ".gpkg");
        std::filesystem::remove(path_);
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
        dataset_.reset(driver->Create(path_.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!dataset_) {
            throw std::runtime_error("cannot create " + path_.string());
        }
    }

    // `extra_sql` runs after the rows are written (to set what GDAL's API
    // will not: fid -1, srs_id -1).
    void add_layer(const std::string& name, Crs crs, const std::vector<Row>& rows,
                   OGRwkbGeometryType type = wkbUnknown) {
        OGRSpatialReference srs;
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        srs.importFromEPSG(crs == Crs::utm50n ? 32650 : 4326);
        const bool with_srs = crs == Crs::lon_lat || crs == Crs::utm50n;
        OGRLayer* layer = dataset_->CreateLayer(name.c_str(), with_srs ? &srs : nullptr, type, nullptr);
        OGRFieldDefn note("note", OFTString);
        layer->CreateField(&note);
        for (const Row& row : rows) {
            gdal::FeaturePtr feature{OGRFeature::CreateFeature(layer->GetLayerDefn())};
            feature->SetFID(row.fid);
            feature->SetField("note", row.note.c_str());
            if (!row.wkt.empty()) {
                OGRGeometry* geometry = nullptr;
                if (OGRGeometryFactory::createFromWkt(row.wkt.c_str(), nullptr, &geometry) != OGRERR_NONE) {
                    throw std::runtime_error("bad WKT in the test: " + row.wkt);
                }
                feature->SetGeometryDirectly(geometry);
            }
            if (layer->CreateFeature(feature.get()) != OGRERR_NONE) {
                throw std::runtime_error("cannot write a row of " + name);
            }
        }
        if (crs == Crs::undefined_cartesian) {
            sql("UPDATE gpkg_geometry_columns SET srs_id = -1 WHERE table_name = '" + name + "'");
            sql("UPDATE gpkg_contents SET srs_id = -1 WHERE table_name = '" + name + "'");
        }
    }

    void sql(const std::string& statement) {
        dataset_->ReleaseResultSet(dataset_->ExecuteSQL(statement.c_str(), nullptr, nullptr));
    }

    // Closes the file and loads it; the log goes to `log`.
    std::shared_ptr<const FeatureStore> load(std::ostringstream& log) {
        dataset_.reset();
        Logger logger(log, LogLevel::debug);
        return load_store(path_.string(), logger);
    }

private:
    std::filesystem::path path_;
    gdal::DatasetPtr dataset_;
};

std::string circle_wkt(double cx, double cy, double r, int n) {
    std::ostringstream ring;
    ring.precision(12);
    for (int i = 0; i <= n; ++i) {
        const double angle = 2 * M_PI * (i % n) / n;
        ring << (i ? "," : "") << cx + r * std::cos(angle) << " " << cy + r * std::sin(angle);
    }
    return ring.str();
}

const Feature& by_note(const Collection& collection, const std::string& note) {
    const auto field = *collection.field_index("note");
    for (const Feature& feature : collection.features()) {
        if (feature.properties[field] == Value{note}) {
            return feature;
        }
    }
    throw std::runtime_error("no feature noted " + note);
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
        ++n;
    }
    return n;
}

// Defect 2: empty members of multi-geometries (and empty rings) were kept
// and written as [] (invalid GeoJSON), and a polygon without rings reached
// the tiler (defect 1's crash).
TEST(LoaderBadData, EmptyMembersAreDroppedAndWhatBecomesEmptyIsNull) {
    ScratchGpkg gpkg("empty-members");
    const std::string ring = circle_wkt(117, 39, 0.5, 100);
    gpkg.add_layer("parts", Crs::lon_lat,
                   {{1, "MULTIPOLYGON(((" + ring + ")),EMPTY)", "polygon-then-empty"},
                    {2, "MULTIPOLYGON(EMPTY,((117 39,117.1 39,117.1 39.1,117 39)))", "empty-then-polygon"},
                    {3, "POLYGON((117 39,118 39,118 40,117 40,117 39),EMPTY)", "empty-hole"},
                    {4, "MULTILINESTRING((117 39,118 40),EMPTY)", "line-then-empty"},
                    {5, "MULTIPOINT((117 39),EMPTY)", "point-then-empty"},
                    {6, "MULTIPOLYGON(EMPTY,EMPTY)", "only-empty"},
                    {7, "MULTILINESTRING((117 39),(117 39,118 39))", "one-position-line"}});
    std::ostringstream log;
    auto store = gpkg.load(log);
    const Collection& parts = *store->find("parts");

    const Feature& first = by_note(parts, "polygon-then-empty");
    EXPECT_EQ(first.geometry.polygon_ends, (std::vector<std::uint32_t>{1}));
    EXPECT_EQ(first.geometry.coords.size(), 101u);
    EXPECT_EQ(by_note(parts, "empty-then-polygon").geometry.polygon_ends, (std::vector<std::uint32_t>{1}));
    const Feature& holed = by_note(parts, "empty-hole");
    EXPECT_EQ(holed.geometry.path_ends, (std::vector<std::uint32_t>{5}));
    EXPECT_EQ(by_note(parts, "line-then-empty").geometry.path_ends, (std::vector<std::uint32_t>{2}));
    EXPECT_EQ(by_note(parts, "point-then-empty").geometry.path_ends, (std::vector<std::uint32_t>{1}));
    EXPECT_TRUE(by_note(parts, "only-empty").geometry.empty());
    EXPECT_EQ(by_note(parts, "one-position-line").geometry.path_ends, (std::vector<std::uint32_t>{2}));

    const std::string text = log.str();
    EXPECT_NE(text.find("collection parts feature 1: dropped 1 empty member"), std::string::npos) << text;
    EXPECT_NE(text.find("collection parts feature 6: dropped 2 empty members; nothing left, served as null"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("collection parts feature 7: dropped 1 line of fewer than 2 positions"), std::string::npos)
        << text;
    EXPECT_EQ(count_of(text, "collection parts feature 1:"), 1u) << "one line per feature\n" << text;
}

// Defect 3: two features under one id (GeoJSON "id": 5 twice; a
// GeoPackage row with fid -1, which GDAL reads as "no FID" and the loader
// numbered by its row, colliding with a real fid).
TEST(LoaderBadData, FeatureIdsAreUniqueInACollection) {
    const auto dir = std::filesystem::path(::testing::TempDir());
    const auto geojson = (dir / "regiomap-duplicate-ids.geojson").string();
    {
        std::ofstream out(geojson);
        out << R"({"type":"FeatureCollection","features":[
            {"type":"Feature","id":5,"properties":{"note":"first five"},"geometry":{"type":"Point","coordinates":[117,39]}},
            {"type":"Feature","id":5,"properties":{"note":"second five"},"geometry":{"type":"Point","coordinates":[117.1,39]}},
            {"type":"Feature","id":9,"properties":{"note":"nine"},"geometry":{"type":"Point","coordinates":[117.2,39]}}]})";
    }
    std::ostringstream log;
    Logger logger(log);
    auto store = load_store(geojson, logger);
    const Collection& points = *store->collections().front();
    ASSERT_EQ(points.size(), 3u);
    std::set<std::int64_t> ids;
    for (const Feature& feature : points.features()) {
        ids.insert(feature.id);
        EXPECT_EQ(points.find(feature.id), &feature) << "id " << feature.id << " reaches another feature";
    }
    EXPECT_EQ(ids.size(), 3u);
    EXPECT_EQ(by_note(points, "first five").id, 5);
    EXPECT_EQ(by_note(points, "nine").id, 9);
    EXPECT_EQ(by_note(points, "second five").id, 10);  // above the largest id
    EXPECT_NE(log.str().find("id 5 is taken by an earlier feature; served as id 10"), std::string::npos) << log.str();

    // fid -1 is what GDAL calls "no FID": the loader numbered such a row by
    // its position, here 1, which is the next row's real fid.
    ScratchGpkg gpkg("fid-minus-one");
    gpkg.add_layer(
        "rows", Crs::lon_lat,
        {{1, "POINT(117 39)", "row one"}, {2, "POINT(117 39)", "row two"}, {7, "POINT(117 39)", "row seven"}});
    gpkg.sql("UPDATE rows SET fid = -1 WHERE fid = 7");
    std::ostringstream gpkg_log;
    auto rows_store = gpkg.load(gpkg_log);
    const Collection& rows = *rows_store->find("rows");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows.find(1), &by_note(rows, "row one"));
    EXPECT_EQ(rows.find(2), &by_note(rows, "row two"));
    EXPECT_EQ(by_note(rows, "row seven").id, 3);
    EXPECT_EQ(rows.find(3), &by_note(rows, "row seven"));
}

// Defect 4 (its loader half) and defect 6: coordinates that are no lon/lat.
// In a layer with a CRS they are invalid geometry (null); a layer of unknown
// CRS (none, GeoPackage's undefined ones) is served only when all its
// coordinates are lon/lat, else skipped with a warning — the rest of the
// source is served either way.
TEST(LoaderBadData, CoordinatesThatAreNoLonLatAreInvalidOrSkipTheirLayer) {
    ScratchGpkg gpkg("crs-rule");
    gpkg.add_layer("sentinels", Crs::lon_lat,
                   {{1, "POINT(117 39)", "fine"},
                    {2, "POINT(-9999 -9999)", "sentinel"},
                    {3, "LINESTRING(117 39,3.4e38 3.4e38)", "float max"}});
    gpkg.add_layer("cartesian_metres", Crs::undefined_cartesian,
                   {{1, "POINT(511226.5 4342935.9)", "metres"}, {2, "POINT(511300 4343000)", "metres"}});
    gpkg.add_layer("cartesian_degrees", Crs::undefined_cartesian, {{1, "POINT(117.2 39.1)", "degrees"}});
    gpkg.add_layer("nocrs_metres", Crs::none, {{1, "POINT(511226.5 4342935.9)", "metres"}});
    gpkg.add_layer("nocrs_degrees", Crs::none, {{1, "POINT(117.2 39.1)", "degrees"}});
    gpkg.add_layer("utm", Crs::utm50n, {{1, "POINT(511226.5 4342935.9)", "metres with a CRS"}});
    std::ostringstream log;
    auto store = gpkg.load(log);
    const std::string text = log.str();

    const Collection& sentinels = *store->find("sentinels");
    EXPECT_FALSE(by_note(sentinels, "fine").geometry.empty());
    EXPECT_TRUE(by_note(sentinels, "sentinel").geometry.empty());
    EXPECT_TRUE(by_note(sentinels, "float max").geometry.empty());
    const Box extent = sentinels.extent();
    EXPECT_EQ(extent.min_x, 117);
    EXPECT_EQ(extent.max_y, 39);

    EXPECT_EQ(store->find("cartesian_metres"), nullptr);
    EXPECT_EQ(store->find("nocrs_metres"), nullptr);
    ASSERT_NE(store->find("cartesian_degrees"), nullptr);
    EXPECT_EQ(store->find("cartesian_degrees")->extent().min_x, 117.2);
    ASSERT_NE(store->find("nocrs_degrees"), nullptr);
    ASSERT_NE(store->find("utm"), nullptr);
    EXPECT_NEAR(store->find("utm")->extent().min_x, 117.13, 0.01);
    EXPECT_NE(text.find("collection cartesian_metres skipped"), std::string::npos) << text;
    EXPECT_NE(text.find("collection nocrs_metres skipped"), std::string::npos) << text;
    EXPECT_NE(text.find("collection sentinels feature 2: coordinate (-9999, -9999) outside CRS84's range"),
              std::string::npos)
        << text;
}

// Defect 5: a date outside the calendar (2020-02-30) became another date
// (2020-03-01), and years RFC 3339 cannot write (-0001) were served as
// "-001-01-01". They are kept as the source's text; the temporal extent
// holds only real dates.
TEST(LoaderBadData, DatesOutsideTheCalendarAreKeptAsTextNeverShifted) {
    ScratchGpkg gpkg("dates");
    gpkg.add_layer("events", Crs::lon_lat, {{1, "POINT(117 39)", "template"}});
    gpkg.sql("ALTER TABLE events ADD COLUMN day DATE");
    gpkg.sql("ALTER TABLE events ADD COLUMN at DATETIME");
    gpkg.sql("UPDATE events SET day = '2020-06-01', at = '2020-06-01T08:00:00Z'");
    for (const auto& [note, day, at] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"feb 30", "2020-02-30", "2020-02-30T10:00:00Z"},
             {"year -1", "-001-01-01", "-001-01-01T00:00:00Z"},
             {"year 10000 in UTC", "2021-01-01", "9999-12-31T23:00:00-01:00"}}) {
        gpkg.sql("INSERT INTO events (geom, note, day, at) SELECT geom, '" + note + "', '" + day + "', '" + at +
                 "' FROM events WHERE fid = 1");
    }
    std::ostringstream log;
    auto store = gpkg.load(log);
    const Collection& events = *store->find("events");
    const auto day = *events.field_index("day");
    const auto at = *events.field_index("at");

    EXPECT_EQ(by_note(events, "feb 30").properties[day], Value{std::string("2020-02-30")});
    EXPECT_EQ(by_note(events, "feb 30").properties[at], Value{std::string("2020-02-30T10:00:00Z")});
    EXPECT_EQ(by_note(events, "year -1").properties[day], Value{std::string("-0001-01-01")});
    EXPECT_EQ(by_note(events, "year 10000 in UTC").properties[at], Value{std::string("9999-12-31T23:00:00-01:00")});
    EXPECT_EQ(by_note(events, "year 10000 in UTC").properties[day], Value{Date{days_from_civil(2021, 1, 1)}});
    EXPECT_EQ(by_note(events, "template").properties[day], Value{Date{days_from_civil(2020, 6, 1)}});

    ASSERT_TRUE(events.temporal_extent());
    const std::regex rfc3339(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z)");
    EXPECT_TRUE(std::regex_match(format_datetime(events.temporal_extent()->begin), rfc3339));
    EXPECT_TRUE(std::regex_match(format_datetime(events.temporal_extent()->end), rfc3339));
    EXPECT_EQ(format_datetime(events.temporal_extent()->begin), "2020-06-01T00:00:00Z");
    EXPECT_NE(log.str().find("field 'day' holds 2020-02-30, which is not a date RFC 3339 can write; kept as text"),
              std::string::npos)
        << log.str();
}

}  // namespace
}  // namespace regiomap
