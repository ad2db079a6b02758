#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace regiomap::app {

// Failed sign-ins (missing or wrong bearer tokens on a write) counted per
// client address in a fixed window: past the limit, the client is refused
// (429 with Retry-After) until its window ends, without its token being
// checked, so that guessing tokens costs the guesser time, not the server.
class SignInLimiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit SignInLimiter(std::size_t max_failures = 10, std::chrono::seconds window = std::chrono::seconds(60))
        : max_failures_(max_failures), window_(window) {}

    // Seconds until `client` may try again; nullopt when it may now.
    std::optional<std::chrono::seconds> blocked(const std::string& client, Clock::time_point now = Clock::now());
    void failed(const std::string& client, Clock::time_point now = Clock::now());

private:
    struct Window {
        Clock::time_point start;
        std::size_t failures = 0;
    };
    void forget_expired(Clock::time_point now);

    const std::size_t max_failures_;
    const std::chrono::seconds window_;
    std::mutex mutex_;
    std::map<std::string, Window> clients_;
};

}  // namespace regiomap::app
