// Writers and readers of the core, against each other and against the
// files' structure (SQLite queried directly). The readers nobody here wrote
// (the pmtiles npm package, GDAL) are in tests/integration/test_export.py.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <sys/stat.h>
#include <unistd.h>

#include "core/archive/mbtiles_writer.hpp"
#include "core/archive/pmtiles_reader.hpp"
#include "core/archive/pmtiles_writer.hpp"
#include "core/archive/tile_archive.hpp"
#include "core/error.hpp"

namespace regiomap {
namespace {

namespace fs = std::filesystem;

std::string identity(std::string_view bytes) {
    return std::string(bytes);
}

class ArchiveTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("regiomap-archive-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        fs::permissions(dir_, fs::perms::owner_all);
        fs::remove_all(dir_);
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    std::vector<std::string> files() const {
        std::vector<std::string> out;
        for (const auto& entry : fs::directory_iterator(dir_)) {
            out.push_back(entry.path().filename().string());
        }
        return out;
    }
    fs::path dir_;
};

// Every tile of zooms 0..max in tile id order, each with a content that
// repeats every `period` tiles (so some are de-duplicated).
std::vector<std::pair<TileId, std::string>> pyramid(int max_zoom, int period) {
    std::vector<std::pair<std::uint64_t, TileId>> ids;
    for (int z = 0; z <= max_zoom; ++z) {
        for (std::uint32_t x = 0; x < (1u << z); ++x) {
            for (std::uint32_t y = 0; y < (1u << z); ++y) {
                ids.push_back({pmtiles::tile_id({z, x, y}), {z, x, y}});
            }
        }
    }
    std::sort(ids.begin(), ids.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::pair<TileId, std::string>> out;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        out.push_back({ids[i].second, "tile-" + std::to_string(i % static_cast<std::size_t>(period))});
    }
    return out;
}

TilesetInfo info(int max_zoom) {
    TilesetInfo out;
    out.name = "test";
    out.attribution = "© test";
    out.max_zoom = max_zoom;
    out.min_lon = 116.7;
    out.min_lat = 39.0;
    out.max_lon = 117.5;
    out.max_lat = 39.5;
    out.center_lon = 117.1;
    out.center_lat = 39.25;
    out.center_zoom = 9;
    out.vector_layers_json = R"([{"id":"roads","fields":{"name":"String"},"minzoom":0,"maxzoom":14}])";
    return out;
}

TEST_F(ArchiveTest, PmtilesRoundTripWithRunsAndDuplicates) {
    const auto tiles = pyramid(5, 100);
    {
        PmtilesWriter writer(path("a.pmtiles"), pmtiles::Compression::none, pmtiles::Compression::none, identity);
        for (const auto& [tile, bytes] : tiles) {
            writer.add(tile, bytes);
        }
        EXPECT_EQ(writer.distinct_contents(), 100u);
        writer.finish(info(5));
    }
    EXPECT_EQ(files(), std::vector<std::string>{"a.pmtiles"});  // no temporary left
    PmtilesArchive archive(path("a.pmtiles"), identity);
    EXPECT_EQ(archive.header().tile_contents, 100u);
    EXPECT_EQ(archive.header().addressed_tiles, tiles.size());
    EXPECT_TRUE(archive.header().clustered);
    EXPECT_EQ(archive.description().max_zoom, 5);
    EXPECT_NE(archive.description().metadata_json.find(R"("vector_layers":[{"id":"roads")"), std::string::npos);
    for (const auto& [tile, bytes] : tiles) {
        const auto stored = archive.tile(tile);
        ASSERT_TRUE(stored) << tile.to_string();
        EXPECT_EQ(stored->bytes, bytes) << tile.to_string();
    }
    EXPECT_FALSE(archive.tile({6, 0, 0}));  // beyond the maxzoom
}

TEST_F(ArchiveTest, PmtilesRunLengthForRepeatedNeighbours) {
    PmtilesWriter writer(path("sea.pmtiles"), pmtiles::Compression::none, pmtiles::Compression::none, identity);
    const auto tiles = pyramid(4, 1);  // every tile the same
    for (const auto& [tile, bytes] : tiles) {
        writer.add(tile, bytes);
    }
    writer.finish(info(4));
    PmtilesArchive archive(path("sea.pmtiles"), identity);
    EXPECT_EQ(archive.header().tile_entries, 1u);  // one run of 341 tiles
    EXPECT_EQ(archive.header().addressed_tiles, 341u);
    EXPECT_EQ(archive.tile({4, 15, 3})->bytes, "tile-0");
}

TEST_F(ArchiveTest, PmtilesLeafDirectoriesWhenTheRootWouldNotFit) {
    // 87381 distinct tiles: far more than 16 KiB of root directory.
    const auto tiles = pyramid(8, 1 << 30);
    {
        PmtilesWriter writer(path("big.pmtiles"), pmtiles::Compression::none, pmtiles::Compression::none, identity);
        for (const auto& [tile, bytes] : tiles) {
            writer.add(tile, bytes);
        }
        writer.finish(info(8));
    }
    PmtilesArchive archive(path("big.pmtiles"), identity);
    EXPECT_GT(archive.header().leaves_length, 0u);
    EXPECT_LE(archive.header().root_offset + archive.header().root_length, pmtiles::kRootBudget);
    for (std::size_t i = 0; i < tiles.size(); i += 97) {
        EXPECT_EQ(archive.tile(tiles[i].first)->bytes, tiles[i].second) << tiles[i].first.to_string();
    }
    EXPECT_EQ(archive.tile(tiles.back().first)->bytes, tiles.back().second);
}

TEST_F(ArchiveTest, PmtilesTruncatedOrCorruptIsRefusedWithTheReason) {
    {
        PmtilesWriter writer(path("a.pmtiles"), pmtiles::Compression::none, pmtiles::Compression::none, identity);
        for (const auto& [tile, bytes] : pyramid(3, 7)) {
            writer.add(tile, bytes);
        }
        writer.finish(info(3));
    }
    const auto size = fs::file_size(path("a.pmtiles"));
    fs::copy_file(path("a.pmtiles"), path("cut.pmtiles"));
    fs::resize_file(path("cut.pmtiles"), size - 10);
    try {
        PmtilesArchive archive(path("cut.pmtiles"), identity);
        FAIL() << "a truncated archive was accepted";
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("truncated"), std::string::npos) << error.what();
    }
    std::string bytes;
    {
        std::ifstream in(path("a.pmtiles"), std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    bytes[3] = 'X';
    std::ofstream(path("bad.pmtiles"), std::ios::binary) << bytes;
    EXPECT_THROW(open_tile_archive(path("bad.pmtiles"), identity), Error);
}

TEST_F(ArchiveTest, TilesOutOfOrderAreABug) {
    PmtilesWriter writer(path("a.pmtiles"), pmtiles::Compression::none, pmtiles::Compression::none, identity);
    writer.add({1, 1, 0}, "x");
    EXPECT_THROW(writer.add({1, 0, 0}, "y"), Error);
}

TEST_F(ArchiveTest, AnUnfinishedWriterLeavesNothing) {
    {
        PmtilesWriter writer(path("a.pmtiles"), pmtiles::Compression::none, pmtiles::Compression::none, identity);
        writer.add({0, 0, 0}, "x");
        MbtilesWriter other(path("b.mbtiles"));
        other.add({0, 0, 0}, "x");
        EXPECT_EQ(files().size(), 2u);  // the two temporaries
    }
    EXPECT_TRUE(files().empty());
}

TEST_F(ArchiveTest, AnUnwritableDirectoryIsAClearError) {
    if (::geteuid() == 0) {
        GTEST_SKIP() << "root writes anywhere; tests/integration/test_export.py covers it as another user";
    }
    fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
    try {
        PmtilesWriter writer(path("a.pmtiles"), pmtiles::Compression::none, pmtiles::Compression::none, identity);
        FAIL();
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("Permission denied"), std::string::npos) << error.what();
    }
}

TEST_F(ArchiveTest, MbtilesRoundTripWithTmsRowsAndDeduplication) {
    const auto tiles = pyramid(4, 10);
    {
        MbtilesWriter writer(path("a.mbtiles"));
        for (const auto& [tile, bytes] : tiles) {
            writer.add(tile, bytes);
        }
        EXPECT_EQ(writer.distinct_contents(), 10u);
        writer.finish(info(4));
    }
    EXPECT_EQ(files(), std::vector<std::string>{"a.mbtiles"});
    auto archive = open_tile_archive(path("a.mbtiles"), identity);
    EXPECT_EQ(archive->description().format, "mbtiles");
    EXPECT_EQ(archive->description().max_zoom, 4);
    EXPECT_TRUE(archive->description().has_bounds);
    EXPECT_DOUBLE_EQ(archive->description().min_lon, 116.7);
    EXPECT_NE(archive->description().metadata_json.find(R"("vector_layers":[{"id":"roads")"), std::string::npos);
    EXPECT_NE(archive->description().metadata_json.find(R"("format":"pbf")"), std::string::npos);
    for (const auto& [tile, bytes] : tiles) {
        EXPECT_EQ(archive->tile(tile)->bytes, bytes) << tile.to_string();
    }
    // The row is counted from the south (TMS): XYZ 2/1/0 is row 3.
    auto db = sqlite::open(path("a.mbtiles"), SQLITE_OPEN_READONLY, "test");
    auto select = sqlite::prepare(db.get(), "SELECT count(*) FROM tiles WHERE zoom_level = 2 AND tile_row = 3");
    ASSERT_EQ(sqlite3_step(select.get()), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(select.get(), 0), 4);
    auto images = sqlite::prepare(db.get(), "SELECT count(*) FROM images");
    ASSERT_EQ(sqlite3_step(images.get()), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(images.get(), 0), 10);
}

TEST_F(ArchiveTest, MbtilesTruncatedIsRefused) {
    {
        MbtilesWriter writer(path("a.mbtiles"));
        for (const auto& [tile, bytes] : pyramid(6, 1 << 30)) {
            writer.add(tile, bytes + std::string(200, 'p'));
        }
        writer.finish(info(6));
    }
    fs::copy_file(path("a.mbtiles"), path("cut.mbtiles"));
    fs::resize_file(path("cut.mbtiles"), fs::file_size(path("a.mbtiles")) / 2);
    EXPECT_THROW(open_tile_archive(path("cut.mbtiles"), identity), Error);
    std::ofstream(path("text.mbtiles")) << "not a database at all, but long enough to look like one perhaps";
    EXPECT_THROW(open_tile_archive(path("text.mbtiles"), identity), Error);
}

TEST_F(ArchiveTest, EmptyExportIsRefused) {
    PmtilesWriter writer(path("a.pmtiles"), pmtiles::Compression::none, pmtiles::Compression::none, identity);
    EXPECT_THROW(writer.finish(info(3)), Error);
}

}  // namespace
}  // namespace regiomap
