#include <gtest/gtest.h>

#include "http/cli.hpp"

namespace regiomap::http {
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
    EXPECT_FALSE(config.limits.access_log);
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

}  // namespace
}  // namespace regiomap::http
