#include <gtest/gtest.h>

#include "app/sign_in_limiter.hpp"

namespace regiomap::app {
namespace {

using std::chrono::seconds;

TEST(SignInLimiter, BlocksAClientPastTheLimitUntilItsWindowEnds) {
    SignInLimiter limiter(3, seconds(60));
    const auto t0 = SignInLimiter::Clock::time_point{} + seconds(1000);
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(limiter.blocked("10.0.0.1", t0));
        limiter.failed("10.0.0.1", t0);
    }
    ASSERT_TRUE(limiter.blocked("10.0.0.1", t0 + seconds(10)));
    EXPECT_EQ(limiter.blocked("10.0.0.1", t0 + seconds(10))->count(), 50);
    EXPECT_FALSE(limiter.blocked("10.0.0.2", t0 + seconds(10))) << "another client is not blocked";
    EXPECT_FALSE(limiter.blocked("10.0.0.1", t0 + seconds(60))) << "the window ended";
    limiter.failed("10.0.0.1", t0 + seconds(61));
    EXPECT_FALSE(limiter.blocked("10.0.0.1", t0 + seconds(61))) << "a new window counts from one";
}

TEST(SignInLimiter, FailuresInAnOldWindowDoNotCount) {
    SignInLimiter limiter(2, seconds(60));
    const auto t0 = SignInLimiter::Clock::time_point{} + seconds(1000);
    limiter.failed("c", t0);
    limiter.failed("c", t0 + seconds(70));
    EXPECT_FALSE(limiter.blocked("c", t0 + seconds(71)));
}

}  // namespace
}  // namespace regiomap::app
