#include "app/sign_in_limiter.hpp"

namespace regiomap::app {

namespace {

// Beyond this many clients with failures, expired windows are dropped, so
// that a scan from many addresses cannot grow the map without bound.
constexpr std::size_t kForgetAbove = 10'000;

}  // namespace

std::optional<std::chrono::seconds> SignInLimiter::blocked(const std::string& client, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto found = clients_.find(client);
    if (found == clients_.end() || found->second.failures < max_failures_) {
        return std::nullopt;
    }
    const auto ends = found->second.start + window_;
    if (now >= ends) {
        clients_.erase(found);
        return std::nullopt;
    }
    return std::chrono::ceil<std::chrono::seconds>(ends - now);
}

void SignInLimiter::failed(const std::string& client, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (clients_.size() > kForgetAbove) {
        forget_expired(now);
    }
    Window& window = clients_[client];
    if (window.failures == 0 || now >= window.start + window_) {
        window = {now, 0};
    }
    ++window.failures;
}

void SignInLimiter::forget_expired(Clock::time_point now) {
    std::erase_if(clients_, [&](const auto& entry) { return now >= entry.second.start + window_; });
}

}  // namespace regiomap::app
