#include <gtest/gtest.h>

#include <limits>
#include <set>

#include "core/feature_ids.hpp"

namespace regiomap {
namespace {

using Ids = std::vector<std::optional<std::int64_t>>;

void expect_unique(const UniqueIds& unique, std::size_t count) {
    ASSERT_EQ(unique.ids.size(), count);
    EXPECT_EQ(std::set<std::int64_t>(unique.ids.begin(), unique.ids.end()).size(), count);
}

TEST(FeatureIds, UniqueSourceIdsAreKept) {
    const Ids source{7, -3, 0, 1000};
    auto unique = assign_unique_ids(source);
    EXPECT_EQ(unique.ids, (std::vector<std::int64_t>{7, -3, 0, 1000}));
    EXPECT_TRUE(unique.changes.empty());
}

TEST(FeatureIds, TheFirstKeepsAnIdTheOthersGetFreshOnes) {
    const Ids source{5, 5, 9, 5};
    auto unique = assign_unique_ids(source);
    expect_unique(unique, 4);
    EXPECT_EQ(unique.ids, (std::vector<std::int64_t>{5, 10, 9, 11}));
    ASSERT_EQ(unique.changes.size(), 2u);
    EXPECT_EQ(unique.changes[0].position, 1u);
    EXPECT_EQ(unique.changes[0].source_id, 5);
    EXPECT_EQ(unique.changes[0].id, 10);
}

TEST(FeatureIds, FeaturesWithoutIdsAreNumberedAfterTheLargest) {
    auto unique = assign_unique_ids(Ids{std::nullopt, 1, std::nullopt, 2});
    EXPECT_EQ(unique.ids, (std::vector<std::int64_t>{3, 1, 4, 2}));
    auto none = assign_unique_ids(Ids{std::nullopt, std::nullopt});
    EXPECT_EQ(none.ids, (std::vector<std::int64_t>{1, 2}));
    auto negative = assign_unique_ids(Ids{-5, std::nullopt});
    EXPECT_EQ(negative.ids, (std::vector<std::int64_t>{-5, 1}));
}

TEST(FeatureIds, NoOverflowAtTheLargestId) {
    constexpr auto largest = std::numeric_limits<std::int64_t>::max();
    auto unique = assign_unique_ids(Ids{largest, largest, 1, std::nullopt, largest - 1});
    expect_unique(unique, 5);
    EXPECT_EQ(unique.ids[0], largest);
    EXPECT_EQ(unique.ids[1], 2);  // the smallest positive id not in use
    EXPECT_EQ(unique.ids[3], 3);
    EXPECT_EQ(unique.ids[4], largest - 1);

    auto below = assign_unique_ids(Ids{largest - 1, largest - 1, largest - 1});
    expect_unique(below, 3);
    EXPECT_EQ(below.ids[1], largest);
    EXPECT_EQ(below.ids[2], 1);
}

}  // namespace
}  // namespace regiomap
