#include <gtest/gtest.h>

#include "app/export_options.hpp"

namespace regiomap::app {
namespace {

ExportOptions parse(std::vector<std::string_view> args) {
    return parse_export_options(args);
}

TEST(ExportOptions, DefaultsAndFormatFromTheName) {
    const auto options = parse({"out.mbtiles"});
    EXPECT_EQ(options.output, "out.mbtiles");
    EXPECT_EQ(options.format, ArchiveFormat::mbtiles);
    EXPECT_EQ(options.min_zoom, 0);
    EXPECT_EQ(options.max_zoom, 14);
    EXPECT_FALSE(options.bbox);
    EXPECT_EQ(parse({"a.pmtiles"}).format, ArchiveFormat::pmtiles);
    EXPECT_EQ(parse({"--format", "pmtiles", "a.bin"}).format, ArchiveFormat::pmtiles);
}

TEST(ExportOptions, OwnOptionsAndTheServersTogether) {
    const auto options = parse({"--minzoom=3", "--maxzoom", "16", "--bbox", "116.9,39.1,117.4,39.4", "--collections",
                                "roads,rail", "--data", "x.gpkg", "--tile-buffer", "32", "--threads=3", "o.pmtiles"});
    EXPECT_EQ(options.min_zoom, 3);
    EXPECT_EQ(options.max_zoom, 16);
    ASSERT_TRUE(options.bbox);
    EXPECT_DOUBLE_EQ((*options.bbox)[3], 39.4);
    ASSERT_EQ(options.server.source.collections.size(), 2u);
    EXPECT_EQ(options.server.source.collections[1].layer, "rail");
    EXPECT_EQ(options.server.data, "x.gpkg");
    EXPECT_EQ(options.server.app.tiles.options.buffer, 32u);
    EXPECT_EQ(options.server.threads, 3u);
}

TEST(ExportOptions, RefusesBadZoomsBoxesAndNames) {
    auto message = [](std::vector<std::string_view> args) {
        try {
            parse_export_options(args);
        } catch (const std::invalid_argument& error) {
            return std::string(error.what());
        }
        return std::string("accepted");
    };
    EXPECT_NE(message({"--maxzoom", "23", "o.pmtiles"}).find("0 to 22"), std::string::npos);
    EXPECT_NE(message({"--minzoom", "x", "o.pmtiles"}).find("not a zoom"), std::string::npos);
    EXPECT_NE(message({"--minzoom", "8", "--maxzoom", "2", "o.pmtiles"}).find("above --maxzoom"), std::string::npos);
    EXPECT_NE(message({"--bbox", "1,2,3", "o.pmtiles"}).find("four numbers"), std::string::npos);
    EXPECT_NE(message({"--bbox", "1,2,3,4,5", "o.pmtiles"}).find("four numbers"), std::string::npos);
    EXPECT_NE(message({"--bbox", "10,50,5,60", "o.pmtiles"}).find("minLon < maxLon"), std::string::npos);
    EXPECT_NE(message({"--bbox", "0,0,1,95", "o.pmtiles"}).find("90"), std::string::npos);
    EXPECT_NE(message({"o.tiles"}).find("cannot tell the format"), std::string::npos);
    EXPECT_NE(message({"--maxzoom", "5"}).find("no output file"), std::string::npos);
    EXPECT_NE(message({"a.pmtiles", "b.pmtiles"}).find("one output file"), std::string::npos);
    EXPECT_NE(message({"--port", "x", "a.pmtiles"}).find("--port"), std::string::npos);
    EXPECT_NE(message({"--type", "base", "a.pmtiles"}).find("overlay or baselayer"), std::string::npos);
}

}  // namespace
}  // namespace regiomap::app
