#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "app/cli.hpp"

namespace regiomap::app {

using namespace api;
using namespace http;
namespace {

TEST(Cli, DefaultsServeTheShippedData) {
    ServerConfig config = parse_cli({});
    EXPECT_EQ(config.data, "geodata/beichen.gpkg");
    EXPECT_EQ(config.port, 8080);
    EXPECT_EQ(config.web_root, "web");
}

TEST(Cli, LaterOptionsWinAndBothSpellingsWork) {
    ServerConfig config = parse_cli({"--data", "a.gpkg", "--port=9000", "--data", "b.gpkg", "--no-access-log"});
    EXPECT_EQ(config.data, "b.gpkg");
    EXPECT_EQ(config.port, 9000);
    EXPECT_FALSE(config.access_log);
}

TEST(Cli, AccessLogTargetsAndShutdownGrace) {
    ServerConfig defaults = parse_cli({});
    EXPECT_TRUE(defaults.access_log);
    EXPECT_EQ(defaults.access_log_target.kind, http::AccessLogTarget::Kind::server_log);
    EXPECT_EQ(defaults.limits.shutdown_grace, std::chrono::seconds(10));
    ServerConfig to_stdout = parse_cli({"--access-log", "-"});
    EXPECT_EQ(to_stdout.access_log_target.kind, http::AccessLogTarget::Kind::standard_output);
    ServerConfig to_file = parse_cli({"--no-access-log", "--access-log=/var/log/regiomap/access.log"});
    EXPECT_TRUE(to_file.access_log);
    EXPECT_EQ(to_file.access_log_target.kind, http::AccessLogTarget::Kind::file);
    EXPECT_EQ(to_file.access_log_target.path, "/var/log/regiomap/access.log");
    EXPECT_EQ(parse_cli({"--shutdown-grace", "2"}).limits.shutdown_grace, std::chrono::seconds(2));
    EXPECT_THROW(parse_cli({"--access-log="}), std::invalid_argument);
    std::istringstream file("access-log = /tmp/a.log\n");
    EXPECT_EQ(config_file_arguments(file, "a.conf"), (std::vector<std::string>{"--access-log=/tmp/a.log"}));
}

TEST(Cli, RejectsWhatItDoesNotKnow) {
    EXPECT_THROW(parse_cli({"--bogus", "1"}), std::invalid_argument);
    EXPECT_THROW(parse_cli({"--port", "70000"}), std::invalid_argument);
    EXPECT_THROW(parse_cli({"--port", "80a"}), std::invalid_argument);
    EXPECT_THROW(parse_cli({"--port"}), std::invalid_argument);
    EXPECT_THROW(parse_cli({"--public-url", "example.org"}), std::invalid_argument);
    EXPECT_THROW(parse_cli({"--log-level", "loud"}), std::invalid_argument);
}

TEST(Cli, CacheMaxAgeBecomesCacheControl) {
    EXPECT_EQ(parse_cli({"--cache-max-age", "0"}).app.cache_control, "no-cache");
    EXPECT_EQ(parse_cli({"--cache-max-age", "3600"}).app.cache_control, "public, max-age=3600");
}

TEST(Cli, ThinningFollowsTheOptionsAndStopsAtTheMaxzoom) {
    ServerConfig defaults = parse_cli({});
    EXPECT_EQ(defaults.generalisation.detail_zoom, defaults.app.tiles.max_zoom);
    ServerConfig config = parse_cli({"--thin-above", "100", "--thin-cell-px", "16", "--tile-maxzoom", "12"});
    EXPECT_EQ(config.generalisation.thin_above, 100u);
    EXPECT_EQ(config.generalisation.cell_px, 16);
    EXPECT_EQ(config.generalisation.detail_zoom, 12);
    EXPECT_THROW(parse_cli({"--thin-cell-px", "0"}), std::invalid_argument);
    EXPECT_THROW(parse_cli({"--thin-above", "-1"}), std::invalid_argument);
}

TEST(Cli, CollectionsAreChosenRenamedAndDescribed) {
    ServerConfig config =
        parse_cli({"--collections", "projects=industry, transport_lines,edit.sites", "--collection-title",
                   "projects=Industrial projects", "--collection-description=projects=What is built, and where",
                   "--collection-key", "sites=site_id", "--attribution", "© the bureau"});
    ASSERT_EQ(config.source.collections.size(), 3u);
    EXPECT_EQ(config.source.collections[0].id, "projects");
    EXPECT_EQ(config.source.collections[0].layer, "industry");
    EXPECT_EQ(config.source.collections[1].id, "");
    EXPECT_EQ(config.source.collections[1].layer, "transport_lines");
    EXPECT_EQ(config.source.collections[2].layer, "edit.sites");
    EXPECT_EQ(config.source.titles.at("projects"), "Industrial projects");
    EXPECT_EQ(config.source.descriptions.at("projects"), "What is built, and where");
    EXPECT_EQ(config.source.key_columns.at("sites"), "site_id");
    EXPECT_EQ(config.source.attribution, "© the bureau");
    EXPECT_EQ(config.source.generalisation.detail_zoom, config.app.tiles.max_zoom);
    EXPECT_THROW(parse_cli({"--collections", " , "}), std::invalid_argument);
    EXPECT_THROW(parse_cli({"--collections", "=industry"}), std::invalid_argument);
    EXPECT_THROW(parse_cli({"--collection-title", "no-equals-sign"}), std::invalid_argument);
    EXPECT_FALSE(parse_cli({}).wait_for_source);
    EXPECT_TRUE(parse_cli({"--wait-for-source", "--port", "1"}).wait_for_source);
}

TEST(ConfigFile, CollectionSettingsAndWaitForSource) {
    std::istringstream file(
        "collections = projects=industry\ncollection-title = projects=Projects\nwait-for-source = true\n");
    auto args = config_file_arguments(file, "test.conf");
    ServerConfig config = parse_cli(std::vector<std::string_view>(args.begin(), args.end()));
    EXPECT_EQ(config.source.titles.at("projects"), "Projects");
    EXPECT_TRUE(config.wait_for_source);
    std::istringstream bad("wait-for-source = sometimes\n");
    EXPECT_THROW(config_file_arguments(bad, "bad.conf"), std::invalid_argument);
}

TEST(Cli, WatchIsForFileSources) {
    EXPECT_FALSE(parse_cli({}).watch);
    EXPECT_TRUE(parse_cli({"--watch", "--data", "a.gpkg"}).watch);
    std::istringstream file("watch = true\n");
    EXPECT_EQ(config_file_arguments(file, "a.conf"), (std::vector<std::string>{"--watch"}));
    try {
        parse_cli({"--data", "PG:dbname=gis password=secret", "--watch"});
        FAIL() << "--watch with a PostGIS source was accepted";
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find("live updates"), std::string::npos) << error.what();
        EXPECT_EQ(std::string(error.what()).find("secret"), std::string::npos) << error.what();
    }
    EXPECT_THROW(parse_cli({"--watch", "--data", ""}), std::invalid_argument);
}

TEST(Cli, CacheMaxAgeIsKeptInSecondsToo) {
    EXPECT_EQ(parse_cli({}).app.cache_max_age, 60u);
    EXPECT_EQ(parse_cli({"--cache-max-age", "3600"}).app.cache_max_age, 3600u);
}

TEST(Cli, GzipLevelIsOneOfLibdeflates) {
    EXPECT_EQ(parse_cli({}).app.gzip_level, 1);
    EXPECT_EQ(parse_cli({"--gzip-level", "12"}).app.gzip_level, 12);
    EXPECT_THROW(parse_cli({"--gzip-level", "0"}), std::invalid_argument);
    EXPECT_THROW(parse_cli({"--gzip-level", "13"}), std::invalid_argument);
}

TEST(ConfigFile, BecomesArgumentsThatTheCommandLineOverrides) {
    std::istringstream file("# comment\nport = 9000\n\ndata = /srv/a.gpkg  # trailing comment\naccess-log = false\n");
    auto args = config_file_arguments(file, "test.conf");
    EXPECT_EQ(args, (std::vector<std::string>{"--port=9000", "--data=/srv/a.gpkg", "--no-access-log"}));
    args.push_back("--port=9100");
    ServerConfig config = parse_cli(std::vector<std::string_view>(args.begin(), args.end()));
    EXPECT_EQ(config.port, 9100);
    EXPECT_EQ(config.data, "/srv/a.gpkg");
    EXPECT_FALSE(config.access_log);
}

TEST(ConfigFile, UnknownKeysAndBadLinesNameTheLine) {
    std::istringstream unknown("port = 1\ncolour = red\n");
    try {
        config_file_arguments(unknown, "x.conf");
        FAIL();
    } catch (const std::invalid_argument& error) {
        EXPECT_STREQ(error.what(), "x.conf:2: unknown key 'colour'");
    }
    std::istringstream malformed("port 8080\n");
    EXPECT_THROW(config_file_arguments(malformed, "x.conf"), std::invalid_argument);
}

TEST(ConfigFile, TheShippedExampleParses) {
    std::ifstream example(REGIOMAP_EXAMPLE_CONFIG);
    ASSERT_TRUE(example) << REGIOMAP_EXAMPLE_CONFIG;
    auto args = config_file_arguments(example, REGIOMAP_EXAMPLE_CONFIG);
    EXPECT_GE(args.size(), 5u);
    ServerConfig config = parse_cli(std::vector<std::string_view>(args.begin(), args.end()));
    EXPECT_EQ(config.port, 8080);
}

}  // namespace
}  // namespace regiomap::app
