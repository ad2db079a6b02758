#include <gtest/gtest.h>

#include "app/change_notice.hpp"

namespace regiomap::app {
namespace {

TEST(ChangeNotice, ReadsTheTriggersPayloads) {
    auto update = parse_change_notice(R"({"v":1,"schema":"public","table":"industry","op":"update","key":42})");
    ASSERT_TRUE(update);
    EXPECT_EQ(update->schema, "public");
    EXPECT_EQ(update->table, "industry");
    EXPECT_EQ(update->op, ChangeNotice::Op::update);
    EXPECT_EQ(update->key, 42);
    EXPECT_FALSE(update->whole_table());
    auto removed = parse_change_notice(R"({"v":1,"schema":"s","table":"t","op":"delete","key":-7})");
    ASSERT_TRUE(removed);
    EXPECT_EQ(removed->op, ChangeNotice::Op::remove);
    auto truncated = parse_change_notice(R"({"v":1,"schema":"s","table":"t","op":"truncate"})");
    ASSERT_TRUE(truncated);
    EXPECT_TRUE(truncated->whole_table());
    EXPECT_FALSE(truncated->key);
    auto altered = parse_change_notice(R"({"v":1,"schema":"s","table":"t","op":"schema"})");
    ASSERT_TRUE(altered);
    EXPECT_EQ(altered->op, ChangeNotice::Op::schema);
}

TEST(ChangeNotice, RefusesWhatIsNotOurs) {
    for (const char* payload :
         {"", "not json", "[]", "42", "{}", R"({"v":2,"schema":"s","table":"t","op":"update","key":1})",
          R"({"v":"1","schema":"s","table":"t","op":"update","key":1})", R"({"v":1,"table":"t","op":"update","key":1})",
          R"({"v":1,"schema":"s","table":"","op":"update","key":1})",
          R"({"v":1,"schema":"s","table":"t","op":"explode","key":1})",
          R"({"v":1,"schema":"s","table":"t","op":"update"})",
          R"({"v":1,"schema":"s","table":"t","op":"update","key":"1"})",
          R"({"v":1,"schema":"s","table":"t","op":"insert","key":1.5})",
          R"({"v":1,"schema":"s","table":"t","op":"insert","key":1)"}) {
        EXPECT_FALSE(parse_change_notice(payload)) << payload;
    }
}

}  // namespace
}  // namespace regiomap::app
