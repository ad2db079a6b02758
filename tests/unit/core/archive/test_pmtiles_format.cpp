#include <gtest/gtest.h>

#include "core/archive/pmtiles_format.hpp"
#include "core/error.hpp"

namespace regiomap {
namespace {

// The table in the PMTiles v3 specification, section 4.1.
TEST(PmtilesTileId, MatchesTheSpecification) {
    EXPECT_EQ(pmtiles::tile_id({0, 0, 0}), 0u);
    EXPECT_EQ(pmtiles::tile_id({1, 0, 0}), 1u);
    EXPECT_EQ(pmtiles::tile_id({1, 0, 1}), 2u);
    EXPECT_EQ(pmtiles::tile_id({1, 1, 1}), 3u);
    EXPECT_EQ(pmtiles::tile_id({1, 1, 0}), 4u);
    EXPECT_EQ(pmtiles::tile_id({2, 0, 0}), 5u);
    EXPECT_EQ(pmtiles::tile_id({12, 3423, 1763}), 19078479u);
}

TEST(PmtilesTileId, RoundTripsEveryTileOfLowZoomsAndSomeDeepOnes) {
    std::uint64_t expected = 0;
    for (int z = 0; z <= 6; ++z) {
        std::vector<bool> seen(1u << (2 * z));
        for (std::uint32_t x = 0; x < (1u << z); ++x) {
            for (std::uint32_t y = 0; y < (1u << z); ++y) {
                const std::uint64_t id = pmtiles::tile_id({z, x, y});
                const auto back = pmtiles::tile_of(id);
                ASSERT_TRUE(back);
                EXPECT_EQ(*back, (TileId{z, x, y}));
                seen.at(id - expected) = true;
            }
        }
        EXPECT_EQ(std::count(seen.begin(), seen.end(), true), static_cast<long>(seen.size())) << "zoom " << z;
        expected += seen.size();
    }
    const TileId deep{22, 4194303, 1234567};
    EXPECT_EQ(*pmtiles::tile_of(pmtiles::tile_id(deep)), deep);
}

TEST(PmtilesHeader, RoundTrips) {
    pmtiles::Header header;
    header.root_offset = 127;
    header.root_length = 300;
    header.tile_data_offset = 1u << 20;
    header.tile_data_length = 5'000'000'000ull;
    header.clustered = true;
    header.internal_compression = pmtiles::Compression::gzip;
    header.tile_compression = pmtiles::Compression::gzip;
    header.tile_type = pmtiles::TileType::mvt;
    header.min_zoom = 3;
    header.max_zoom = 16;
    header.min_lon = 116.9876543;
    header.min_lat = -39.1234567;
    header.max_lon = 117.5;
    header.max_lat = 39.5;
    header.center_zoom = 10;
    header.center_lon = 117.2;
    header.center_lat = 39.3;
    const auto bytes = pmtiles::encode_header(header);
    const pmtiles::Header back = pmtiles::decode_header(std::string_view(bytes.data(), bytes.size()));
    EXPECT_EQ(back.tile_data_length, header.tile_data_length);
    EXPECT_TRUE(back.clustered);
    EXPECT_EQ(back.tile_type, pmtiles::TileType::mvt);
    EXPECT_EQ(back.max_zoom, 16);
    EXPECT_DOUBLE_EQ(back.min_lon, 116.9876543);
    EXPECT_DOUBLE_EQ(back.min_lat, -39.1234567);
    EXPECT_DOUBLE_EQ(back.center_lat, 39.3);
}

TEST(PmtilesHeader, RefusesWhatIsNotVersion3) {
    EXPECT_THROW(pmtiles::decode_header("PMTiles"), Error);
    std::string bytes(127, '\0');
    bytes.replace(0, 7, "MBTiles");
    EXPECT_THROW(pmtiles::decode_header(bytes), Error);
    bytes.replace(0, 7, "PMTiles");
    bytes[7] = 2;
    try {
        pmtiles::decode_header(bytes);
        FAIL();
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("version 2"), std::string::npos) << error.what();
    }
}

TEST(PmtilesDirectory, RoundTripsWithContiguousAndRepeatedOffsets) {
    const std::vector<pmtiles::Entry> entries{
        {5, 0, 100, 1}, {6, 100, 20, 3}, {9, 0, 100, 1}, {10, 120, 7, 1}, {4000000000ull, 5000, 42, 0}};
    const std::string encoded = pmtiles::encode_directory(entries);
    EXPECT_EQ(pmtiles::decode_directory(encoded), entries);
}

TEST(PmtilesDirectory, RefusesTruncatedAndEmpty) {
    const std::string encoded = pmtiles::encode_directory({{5, 0, 100, 1}, {6, 100, 20, 3}});
    for (std::size_t cut = 0; cut < encoded.size(); ++cut) {
        EXPECT_THROW(pmtiles::decode_directory(encoded.substr(0, cut)), Error) << cut;
    }
    EXPECT_THROW(pmtiles::decode_directory(std::string(1, '\0')), Error);
}

TEST(PmtilesDirectory, FindsRunsAndLeaves) {
    const std::vector<pmtiles::Entry> entries{{5, 0, 100, 1}, {6, 100, 20, 3}, {20, 0, 50, 0}};
    EXPECT_EQ(pmtiles::find_entry(entries, 4), nullptr);
    EXPECT_EQ(pmtiles::find_entry(entries, 5)->offset, 0u);
    EXPECT_EQ(pmtiles::find_entry(entries, 8)->offset, 100u);
    EXPECT_EQ(pmtiles::find_entry(entries, 9), nullptr);          // after the run of 6, 7, 8
    EXPECT_EQ(pmtiles::find_entry(entries, 25)->run_length, 0u);  // in the leaf from 20 on
}

}  // namespace
}  // namespace regiomap
