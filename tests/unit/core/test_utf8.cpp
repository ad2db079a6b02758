#include <gtest/gtest.h>

#include "core/utf8.hpp"

namespace regiomap {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
    EXPECT_TRUE(valid_utf8(""));
    EXPECT_TRUE(valid_utf8("Beichen"));
    EXPECT_TRUE(valid_utf8("北辰区"));
    EXPECT_TRUE(valid_utf8("\xF0\x9F\x97\xBA"));  // U+1F5FA
}

TEST(Utf8, RejectsMalformedSequences) {
    EXPECT_FALSE(valid_utf8("\xC0\xAF"));      // overlong '/'
    EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));  // surrogate
    EXPECT_FALSE(valid_utf8("\xE5\x8C"));      // truncated
    EXPECT_FALSE(valid_utf8("\xFF"));
    EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
}

TEST(Utf8, RepairReplacesOnlyTheBadBytes) {
    EXPECT_EQ(repair_utf8("a\xFF"
                          "b"),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(repair_utf8("北辰"), "北辰");
}

}  // namespace
}  // namespace regiomap
