#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/loader.hpp"

namespace regiomap {
namespace {

// Loads the fixture GeoPackage (tests/fixtures, built by ctest's
// build_fixture step) once for all tests of this file.
class LoaderTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        log_ = new Logger(log_text_, LogLevel::info);
        store_ = load_store(REGIOMAP_FIXTURE_GPKG, *log_);
    }
    static void TearDownTestSuite() {
        store_.reset();
        delete log_;
    }
    static std::ostringstream log_text_;
    static Logger* log_;
    static std::shared_ptr<const FeatureStore> store_;
};
std::ostringstream LoaderTest::log_text_;
Logger* LoaderTest::log_ = nullptr;
std::shared_ptr<const FeatureStore> LoaderTest::store_;

TEST_F(LoaderTest, EveryLayerBecomesACollection) {
    ASSERT_EQ(store_->collections().size(), 3u);
    EXPECT_EQ(store_->find("roads")->size(), 25u);
    EXPECT_EQ(store_->find("parcels")->size(), 5u);
    EXPECT_EQ(store_->find("sites")->size(), 12u);
    EXPECT_EQ(store_->find("nothing"), nullptr);
}

TEST_F(LoaderTest, KeepsFieldTypes) {
    const auto& fields = store_->find("roads")->meta().fields;
    auto type_of = [&](const char* name) {
        for (const auto& f : fields) {
            if (f.name == name)
                return f.type;
        }
        throw std::runtime_error(name);
    };
    EXPECT_EQ(type_of("name"), FieldType::string);
    EXPECT_EQ(type_of("lanes"), FieldType::integer);
    EXPECT_EQ(type_of("width_m"), FieldType::real);
    EXPECT_EQ(type_of("opened"), FieldType::date);
    EXPECT_EQ(type_of("inspected"), FieldType::datetime);
    EXPECT_EQ(type_of("toll"), FieldType::boolean);
}

TEST_F(LoaderTest, ReadsValuesAndNulls) {
    const Collection& roads = *store_->find("roads");
    const Feature* first = roads.find(1);
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(std::get<std::string>(first->properties[*roads.field_index("name")]), "测试路 1 / Test Road 1");
    EXPECT_EQ(std::get<std::int64_t>(first->properties[*roads.field_index("lanes")]), 2);
    EXPECT_EQ(std::get<bool>(first->properties[*roads.field_index("toll")]), true);
    EXPECT_TRUE(std::holds_alternative<std::monostate>(first->properties[*roads.field_index("note")]));
    EXPECT_EQ(std::get<DateTime>(first->properties[*roads.field_index("inspected")]).ms,
              parse_rfc3339("2020-06-01T00:30:00Z")->span.begin);
}

TEST_F(LoaderTest, TransformsToCrs84) {
    // parcels are stored in EPSG:4527; the first parcel's corner is 117.10, 39.20.
    const Feature* parcel = store_->find("parcels")->find(1);
    ASSERT_NE(parcel, nullptr);
    Box box = parcel->geometry.bounds();
    EXPECT_NEAR(box.min_x, 117.10, 1e-7);
    EXPECT_NEAR(box.min_y, 39.20, 1e-7);
}

TEST_F(LoaderTest, NormalisesRingOrientation) {
    const Feature* clockwise = store_->find("parcels")->find(2);
    ASSERT_NE(clockwise, nullptr);
    EXPECT_GT(signed_area2(clockwise->geometry.path(0)), 0);
    const Feature* holed = store_->find("parcels")->find(1);
    EXPECT_LT(signed_area2(holed->geometry.path(1)), 0);
}

TEST_F(LoaderTest, RepairsInvalidAndReportsMissingGeometry) {
    const Feature* bowtie = store_->find("parcels")->find(3);
    ASSERT_NE(bowtie, nullptr);
    EXPECT_EQ(bowtie->geometry.type, GeometryType::multi_polygon);  // two triangles
    EXPECT_EQ(bowtie->geometry.polygon_ends.size(), 2u);
    const Feature* missing = store_->find("parcels")->find(4);
    ASSERT_NE(missing, nullptr);
    EXPECT_TRUE(missing->geometry.empty());
    const std::string log = log_text_.str();
    EXPECT_NE(log.find("collection parcels feature 3: invalid geometry, repaired"), std::string::npos) << log;
    EXPECT_NE(log.find("collection parcels feature 4: no geometry"), std::string::npos) << log;
    EXPECT_NE(log.find("loaded 3 collections, 42 features"), std::string::npos) << log;
    EXPECT_EQ(store_->find("parcels")->meta().geometry_type, GeometryType::multi_polygon);
}

// GeoJSON, FlatGeobuf and Shapefile go through the same loader as
// GeoPackage and give the same features.
TEST(Loader, ReadsOtherFormatsAlike) {
    std::ostringstream sink;
    Logger log(sink);
    const std::string dir = std::filesystem::path(REGIOMAP_FIXTURE_GPKG).parent_path().string();
    auto reference = load_store(REGIOMAP_FIXTURE_GPKG, log);
    const Collection& roads = *reference->find("roads");
    for (const std::string& source :
         {std::string(REGIOMAP_FIXTURE_DIR) + "/roads.geojson", dir + "/roads.fgb", dir + "/roads_shp/roads.shp"}) {
        auto store = load_store(source, log);
        ASSERT_EQ(store->collections().size(), 1u) << source;
        const Collection& other = *store->collections().front();
        ASSERT_EQ(other.size(), roads.size()) << source;
        // FlatGeobuf stores features in its spatial index's order: match by name.
        const auto name = *other.field_index("name");
        const auto reference_name = *roads.field_index("name");
        for (const Feature& feature : other.features()) {
            auto same = std::find_if(roads.features().begin(), roads.features().end(), [&](const Feature& f) {
                return f.properties[reference_name] == feature.properties[name];
            });
            ASSERT_NE(same, roads.features().end()) << source;
            EXPECT_EQ(feature.geometry.coords, same->geometry.coords) << source;
        }
    }
}

TEST(Loader, UnopenableSourceIsADataSourceError) {
    std::ostringstream sink;
    Logger log(sink);
    try {
        load_store("/nonexistent/data.gpkg", log);
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::data_source);
        EXPECT_NE(std::string(error.what()).find("/nonexistent/data.gpkg"), std::string::npos);
        EXPECT_NE(std::string(error.what()).find("no such file"), std::string::npos) << error.what();
    }
}

// A file GDAL has no driver for: GDAL itself says nothing, the error does.
TEST(Loader, SaysWhenNoDriverReadsAFile) {
    std::ostringstream sink;
    Logger log(sink);
    const auto path = std::filesystem::path(::testing::TempDir()) / "regiomap-not-data.gpkg";
    std::ofstream(path) << "these are not features\n";
    try {
        load_store(path.string(), log);
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::data_source);
        EXPECT_NE(std::string(error.what()).find("not a vector data source GDAL can read"), std::string::npos)
            << error.what();
    }
}

// A .gpkg is opened with GDAL's GeoPackage driver alone (registering all
// drivers is a good part of a small export's time); a file so named that
// another driver reads is still read, with every driver.
TEST(Loader, AGpkgNamedFileOfAnotherFormatIsStillRead) {
    std::ostringstream sink;
    Logger log(sink);
    const auto path = std::filesystem::path(::testing::TempDir()) / "regiomap-geojson-named.GPKG";
    std::filesystem::copy_file(std::string(REGIOMAP_FIXTURE_DIR) + "/roads.geojson", path,
                               std::filesystem::copy_options::overwrite_existing);
    const auto store = load_store(path.string(), log);
    ASSERT_EQ(store->collections().size(), 1u);
    EXPECT_EQ(store->collections().front()->size(), load_store(REGIOMAP_FIXTURE_GPKG, log)->find("roads")->size());
    EXPECT_EQ(sink.str().find("error"), std::string::npos)
        << sink.str();  // the GeoPackage driver's refusal is not logged
}

TEST(Loader, CollectionIdsAreUrlSafe) {
    EXPECT_EQ(collection_id_from_layer_name("roads"), "roads");
    EXPECT_EQ(collection_id_from_layer_name("my layer/2"), "my_layer_2");
    EXPECT_EQ(collection_id_from_layer_name(".."), "layer");
}

}  // namespace
}  // namespace regiomap
