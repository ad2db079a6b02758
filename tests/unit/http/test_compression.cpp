#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "http/compression.hpp"

namespace regiomap::http {
namespace {

TEST(Compression, ReadsAcceptEncoding) {
    EXPECT_TRUE(accepts_gzip("gzip"));
    EXPECT_TRUE(accepts_gzip("deflate, gzip;q=0.5, br"));
    EXPECT_TRUE(accepts_gzip("*"));
    EXPECT_FALSE(accepts_gzip(""));
    EXPECT_FALSE(accepts_gzip("br, deflate"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0"));
    EXPECT_FALSE(accepts_gzip("*;q=0"));
    EXPECT_TRUE(accepts_gzip("GZIP"));
}

TEST(Compression, GzipRoundTrips) {
    std::string text;
    for (int i = 0; i < 1000; ++i) {
        text += "{\"type\":\"Feature\",\"id\":" + std::to_string(i) + "}";
    }
    auto packed = gzip_compress(text);
    ASSERT_TRUE(packed);
    EXPECT_LT(packed->size(), text.size() / 5);
    EXPECT_EQ(static_cast<unsigned char>((*packed)[0]), 0x1f);  // gzip magic
    EXPECT_EQ(gzip_decompress(*packed), text);
    EXPECT_FALSE(gzip_decompress("not gzip"));
}

TEST(Compression, ACompressorServesManyThreadsAtOnce) {
    const GzipCompressor compressor(1);
    EXPECT_EQ(compressor.level(), 1);
    EXPECT_THROW(GzipCompressor(0), std::invalid_argument);
    EXPECT_THROW(GzipCompressor(13), std::invalid_argument);
    std::vector<std::thread> threads;
    std::atomic<int> good{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                const std::string text(100 + t * 1000 + i, static_cast<char>('a' + (i + t) % 26));
                auto packed = compressor.compress(text);
                good += packed && gzip_decompress(*packed) == text;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(good, 800);
}

TEST(Compression, EveryLevelRoundTripsAndHigherLevelsAreNotLarger) {
    std::string text;
    for (int i = 0; i < 3000; ++i) {
        text += "{\"id\":" + std::to_string(i * 7919 % 10007) + ",\"kind\":\"" + (i % 3 ? "road" : "parcel") + "\"}";
    }
    std::size_t fastest = 0;
    std::size_t smallest = 0;
    for (int level = kMinGzipLevel; level <= kMaxGzipLevel; ++level) {
        auto packed = gzip_compress(text, level);
        ASSERT_TRUE(packed) << level;
        EXPECT_EQ(gzip_decompress(*packed), text) << level;
        (level == kMinGzipLevel ? fastest : smallest) = packed->size();
    }
    EXPECT_LT(smallest, fastest);
    EXPECT_FALSE(gzip_compress(text, 0));
    EXPECT_FALSE(gzip_compress(text, 13));
    auto empty = gzip_compress("");
    ASSERT_TRUE(empty);
    EXPECT_EQ(gzip_decompress(*empty), "");
}

}  // namespace
}  // namespace regiomap::http
