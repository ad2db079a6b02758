#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "app/tile_gzip_memo.hpp"
#include "http/compression.hpp"

namespace regiomap::app {
namespace {

// Bytes that deflate does not shrink to nothing: a counter's digits.
std::string tile_bytes(int seed, std::size_t size) {
    std::string bytes;
    for (int i = 0; bytes.size() < size; ++i) {
        bytes += std::to_string(seed * 7919 + i * 31);
    }
    bytes.resize(size);
    return bytes;
}

TEST(TileGzipMemo, RepeatedTilesAreAnsweredFromTheTableWithTheSameBytes) {
    const http::GzipCompressor gzip(1);
    TileGzipMemo memo(gzip);
    const std::string inside = tile_bytes(1, 1800);
    const std::string edge = tile_bytes(2, 2500);

    const std::string first = memo.compress(inside);
    EXPECT_EQ(memo.reused(), 0u);
    EXPECT_EQ(memo.compress(edge), *gzip.compress(edge));
    EXPECT_EQ(memo.compress(inside), first);
    EXPECT_EQ(memo.compress(inside), first);
    EXPECT_EQ(memo.reused(), 2u);
    EXPECT_EQ(first, *gzip.compress(inside));
    EXPECT_EQ(http::gzip_decompress(first), inside);
}

TEST(TileGzipMemo, TilesSharingASlotAreComparedInFullNotByTheirHash) {
    const http::GzipCompressor gzip(1);
    TileGzipMemo memo(gzip, 1);  // every tile lands in the one slot
    const std::string a = tile_bytes(3, 900);
    std::string b = a;
    b.back() = b.back() == '0' ? '1' : '0';  // the same size and all but one byte

    EXPECT_EQ(http::gzip_decompress(memo.compress(a)), a);
    EXPECT_EQ(http::gzip_decompress(memo.compress(b)), b);
    EXPECT_EQ(http::gzip_decompress(memo.compress(a)), a);
    EXPECT_EQ(memo.reused(), 0u);  // each evicted the other
    EXPECT_EQ(http::gzip_decompress(memo.compress(a)), a);
    EXPECT_EQ(memo.reused(), 1u);
}

TEST(TileGzipMemo, LargeTilesAreCompressedEveryTimeAndNotKept) {
    const http::GzipCompressor gzip(1);
    TileGzipMemo memo(gzip, 16, 1000);
    const std::string large = tile_bytes(4, 1001);
    EXPECT_EQ(memo.compress(large), *gzip.compress(large));
    EXPECT_EQ(memo.compress(large), *gzip.compress(large));
    EXPECT_EQ(memo.reused(), 0u);
}

TEST(TileGzipMemo, RefusesATableWithoutSlots) {
    const http::GzipCompressor gzip(1);
    EXPECT_THROW(TileGzipMemo(gzip, 0), std::invalid_argument);
}

TEST(TileGzipMemo, ThreadsCompressingTheSameTilesGetTheirOwnBytes) {
    const http::GzipCompressor gzip(1);
    TileGzipMemo memo(gzip, 8);  // few slots: threads evict each other's tiles
    std::vector<std::string> tiles;
    for (int i = 0; i < 24; ++i) {
        tiles.push_back(tile_bytes(i, 400 + 37 * i));
    }
    std::vector<int> wrong(4, 0);
    std::vector<std::jthread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 50; ++round) {
                for (std::size_t i = 0; i < tiles.size(); ++i) {
                    const std::string& tile = tiles[(i * (t + 1) + round) % tiles.size()];
                    if (http::gzip_decompress(memo.compress(tile)) != tile) {
                        ++wrong[t];
                    }
                }
            }
        });
    }
    threads.clear();  // joins
    EXPECT_EQ(wrong, std::vector<int>(4, 0));
    EXPECT_GT(memo.reused(), 0u);
}

}  // namespace
}  // namespace regiomap::app
