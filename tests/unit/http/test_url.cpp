#include <gtest/gtest.h>

#include "core/error.hpp"
#include "http/url.hpp"

namespace regiomap::http {
namespace {

TEST(Url, SplitsAndDecodesPathAndQuery) {
    ParsedTarget t = parse_target("/collections/a%20b/items?limit=5&name=%E5%8C%97%E8%BE%B0+x");
    EXPECT_EQ(t.segments, (std::vector<std::string>{"collections", "a b", "items"}));
    ASSERT_EQ(t.query.size(), 2u);
    EXPECT_EQ(t.query[1].second, "北辰 x");
    EXPECT_EQ(t.raw_path, "/collections/a%20b/items");
}

TEST(Url, RootAndTrailingSlash) {
    EXPECT_TRUE(parse_target("/").segments.empty());
    EXPECT_EQ(parse_target("/collections/").segments, std::vector<std::string>{"collections"});
}

TEST(Url, EncodedSlashStaysInsideItsSegment) {
    EXPECT_EQ(parse_target("/a%2F..%2Fb").segments, std::vector<std::string>{"a/../b"});
}

TEST(Url, RejectsMalformedTargets) {
    for (const char* bad : {"collections", "/%", "/%zz", "/a%00b", "/?x=%C0%AF", "/?x=%", "/%FF"}) {
        EXPECT_THROW(parse_target(bad), Error) << bad;
    }
}

TEST(Url, ParametersWithoutValues) {
    ParsedTarget t = parse_target("/x?a&b=&&c=1");
    ASSERT_EQ(t.query.size(), 3u);
    EXPECT_EQ(t.query[0], (std::pair<std::string, std::string>{"a", ""}));
}

TEST(Url, EncodeIsTheInverseOfDecode) {
    std::string text = "bbox=1,2 & 北辰/x";
    EXPECT_EQ(percent_decode(percent_encode(text), false), text);
    EXPECT_EQ(format_query({{"bbox", "1,2"}, {"f", "json"}}), "bbox=1%2C2&f=json");
}

}  // namespace
}  // namespace regiomap::http
