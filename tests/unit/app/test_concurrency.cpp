// The handler under many threads while the store is swapped underneath
// (what a reload does): every request is answered from one consistent
// snapshot. Run under ThreadSanitizer in CI (scripts/test).
#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "app/app.hpp"
#include "regiomap_testing/store_builder.hpp"

namespace regiomap::app {

using namespace api;
using namespace http;
namespace {

std::shared_ptr<const FeatureStore> store_with(int count) {
    testing::StoreBuilder builder;
    builder.collection("sites", {{"name", FieldType::string}}, "Sites");
    for (int i = 0; i < count; ++i) {
        builder.add(
            testing::feature(i + 1, testing::point(117.0 + i * 0.001, 39.2), {Value{"site " + std::to_string(i)}}));
    }
    return builder.store();
}

TEST(Concurrency, ManyThreadsServeWhileTheStoreIsSwapped) {
    AppConfig config;
    StoreHolder holder;
    StaticFiles files("");
    TileCache cache(1 << 20);
    Metrics metrics;
    std::ostringstream sink;
    Logger log(sink);
    App app({config, holder, files, files, cache, metrics, nullptr, log});
    holder.set(store_with(100));

    std::atomic<bool> done{false};
    std::atomic<int> answered{0};
    std::atomic<int> wrong{0};
    const char* targets[] = {"/collections/sites/items?limit=50",
                             "/tiles/0/0/0.mvt",
                             "/tiles/8/211/97.mvt",
                             "/search?q=site",
                             "/collections",
                             "/metrics",
                             "/health"};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; !done || i < 50; ++i) {
                Request request{"GET", targets[(i + t) % 7], {{"host", "x"}, {"accept-encoding", "gzip"}}};
                Response response = app.handle(request);
                if (response.status != 200 && response.status != 204) {
                    ++wrong;
                }
                ++answered;
            }
        });
    }
    for (int swap = 0; swap < 20; ++swap) {
        holder.publish(store_with(100 + swap), [&](std::uint64_t generation) { cache.clear(generation); });
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    done = true;
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_GE(answered.load(), 200);
    EXPECT_EQ(holder.get()->generation, 21u);
}

}  // namespace
}  // namespace regiomap::app
