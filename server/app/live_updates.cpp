#include "app/live_updates.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

#include "app/change_notice.hpp"
#include "core/error.hpp"
#include "core/loader.hpp"
#include "core/postgis/pg_listener.hpp"
#include "core/postgis/pg_source.hpp"

namespace regiomap::app {

namespace {

constexpr const char* kChannel = "regiomap_changes";
// How long notifications are gathered after the first of a burst: one
// snapshot for a transaction of many rows, while an edit still shows
// within milliseconds.
constexpr std::chrono::milliseconds kBatchWindow{5};
constexpr std::size_t kMaxBatch = 20000;
// A quiet primary is asked whether it is still there this often (see
// ChangeFeed); a standby's log is read this often.
constexpr std::chrono::milliseconds kPrimaryWait{1000};
constexpr std::chrono::milliseconds kStandbyPoll{200};
constexpr std::chrono::seconds kFirstBackoff{1};
constexpr std::chrono::seconds kMaxBackoff{30};

// Everything: for a collection read whole, whose tiles all go.
const Box kEverywhere{-std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                      std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};

bool names_table(const CollectionMeta& meta, const ChangeNotice& notice) {
    // GDAL names a table of the search path by its name, others as schema.table.
    return meta.source_layer == notice.table || meta.source_layer == notice.schema + "." + notice.table;
}

}  // namespace

// The changes of one batch, by collection.
struct LiveUpdates::Batch {
    struct Changes {
        std::set<std::int64_t> keys;
        bool whole = false;   // truncate or schema: read it all again
        bool schema = false;  // the columns may have changed: open the source again
    };
    std::vector<ChangeNotice> notices;
    std::map<std::string, Changes> by_collection;
};

LiveUpdates::LiveUpdates(Reloader& reloader, StoreHolder& holder, TileCache& cache, Logger& log)
    : reloader_(reloader),
      holder_(holder),
      cache_(cache),
      log_(log),
      redactor_(reloader.source()),
      wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (wake_fd_ < 0) {
        throw Error(ErrorKind::internal, "live updates: cannot make an eventfd");
    }
}

LiveUpdates::~LiveUpdates() {
    stop();
    ::close(wake_fd_);
}

void LiveUpdates::start() {
    thread_ = std::thread([this] { run(); });
}

void LiveUpdates::stop() {
    stopping_ = true;
    wake();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void LiveUpdates::wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(wake_fd_, &one, sizeof one);
}

bool LiveUpdates::sleep(std::chrono::milliseconds duration) {
    pollfd fd{wake_fd_, POLLIN, 0};
    ::poll(&fd, 1, static_cast<int>(duration.count()));
    return !stopping_;
}

void LiveUpdates::wait_first_attempt(std::chrono::milliseconds limit) {
    std::unique_lock lock(status_mutex_);
    first_attempt_done_.wait_for(lock, limit, [&] { return attempted_; });
}

LiveStatus LiveUpdates::status() const {
    std::lock_guard lock(status_mutex_);
    return status_;
}

void LiveUpdates::run() {
    const pg::PgSource source = pg::parse_pg_source(reloader_.source());
    std::chrono::seconds backoff = kFirstBackoff;
    bool connected_before = false;
    while (!stopping_) {
        try {
            pg::ChangeFeed feed(source, kChannel);
            const auto listening_since = std::chrono::system_clock::now();
            update_status([&](LiveStatus& s) {
                s.connected = true;
                s.standby = feed.on_standby();
                if (connected_before) {
                    ++s.reconnects;
                }
                attempted_ = true;
            });
            first_attempt_done_.notify_all();
            connected_before = true;
            log_.info(feed.on_standby() ? "live updates: " + feed.description() +
                                              " is a hot standby; reading regiomap.change_log every " +
                                              std::to_string(kStandbyPoll.count()) + " ms"
                                        : "live updates: listening for changes on " + feed.description());
            catch_up(listening_since);
            backoff = kFirstBackoff;
            listen(feed);
        } catch (const std::exception& error) {
            reader_.reset();  // its connection may be as dead as the feed's
            const auto now = std::chrono::system_clock::now();
            update_status([&](LiveStatus& s) {
                s.connected = false;
                if (!s.stale_since) {
                    s.stale_since = now;
                }
                attempted_ = true;
            });
            first_attempt_done_.notify_all();
            if (stopping_) {
                return;
            }
            log_.warning("live updates: " + redactor_.redact(error.what()) +
                         "; the last data stays served; next attempt in " + std::to_string(backoff.count()) + " s");
            if (!sleep(backoff)) {
                return;
            }
            backoff = std::min(backoff * 2, std::chrono::seconds(kMaxBackoff));
        }
    }
}

void LiveUpdates::catch_up(std::chrono::system_clock::time_point listening_since) {
    // Changes made before we listened were not heard: if the data being
    // served was read before then, read it all again. (Waits for a load in
    // progress, which then counts by when it started.)
    const bool behind = reloader_.exclusive([&] {
        const ReloadStatus loads = reloader_.status();
        return loads.succeeded > 0 && loads.last_success_started < listening_since;
    });
    if (behind) {
        log_.info("live updates: reloading the data to catch up with changes made while not listening");
        if (!reloader_.reload()) {
            throw Error::data_source("catching up failed: " + reloader_.status().last_error);
        }
        update_status([](LiveStatus& s) { ++s.resyncs; });
    }
    update_status([](LiveStatus& s) { s.stale_since.reset(); });
}

void LiveUpdates::listen(pg::ChangeFeed& feed) {
    const auto idle = feed.on_standby() ? kStandbyPoll : kPrimaryWait;
    while (!stopping_) {
        bool gap = false;
        auto messages = feed.wait(idle, wake_fd_, gap);
        if (stopping_) {
            return;
        }
        if (gap) {
            log_.warning("live updates: the change log was pruned past the last change read; reloading");
            catch_up(std::chrono::system_clock::now());
            continue;
        }
        if (messages.empty()) {
            continue;
        }
        std::vector<std::string> payloads;
        for (auto& message : messages) {
            payloads.push_back(std::move(message.payload));
        }
        // The rest of a burst (a transaction's rows arrive together).
        const auto deadline = std::chrono::steady_clock::now() + kBatchWindow;
        while (!feed.on_standby() && payloads.size() < kMaxBatch) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                break;
            }
            auto more = feed.wait(left, wake_fd_, gap);
            if (more.empty()) {
                break;
            }
            for (auto& message : more) {
                payloads.push_back(std::move(message.payload));
            }
        }
        apply(payloads);
    }
}

void LiveUpdates::apply(const std::vector<std::string>& payloads) {
    Batch batch;
    std::uint64_t ignored = 0;
    for (const std::string& payload : payloads) {
        if (auto notice = parse_change_notice(payload)) {
            batch.notices.push_back(std::move(*notice));
        } else {
            ++ignored;
        }
    }
    update_status([&](LiveStatus& s) {
        s.notices += payloads.size();
        s.ignored += ignored;
    });
    if (batch.notices.empty()) {
        return;
    }
    try {
        reloader_.exclusive([&] { apply_locked(batch); });
    } catch (...) {
        update_status([](LiveStatus& s) { ++s.failures; });
        throw;  // reconnect and catch up: the batch may be half read
    }
}

SourceReader& LiveUpdates::reader() {
    if (!reader_) {
        reader_ = std::make_unique<SourceReader>(reloader_.source(), reloader_.options(), log_);
    }
    return *reader_;
}

void LiveUpdates::apply_locked(Batch& batch) {
    auto served = holder_.get();
    if (!served) {
        return;  // nothing loaded yet: the first load reads these rows as they are
    }
    std::uint64_t ignored = 0;
    for (const ChangeNotice& notice : batch.notices) {
        bool ours = false;
        for (const auto& collection : served->store->collections()) {
            if (!names_table(collection->meta(), notice)) {
                continue;
            }
            ours = true;
            auto& changes = batch.by_collection[collection->id()];
            changes.whole = changes.whole || notice.whole_table();
            changes.schema = changes.schema || notice.op == ChangeNotice::Op::schema;
            if (notice.key) {
                changes.keys.insert(*notice.key);
            }
        }
        ignored += ours ? 0 : 1;
    }

    struct Dropped {
        std::string layer;
        std::vector<Box> boxes;
    };
    std::vector<Dropped> dropped;
    std::shared_ptr<const FeatureStore> next = served->store;
    std::uint64_t features_read = 0;
    std::uint64_t whole_reads = 0;
    for (auto& [id, changes] : batch.by_collection) {
        const Collection& current = *next->find(id);
        std::shared_ptr<const Collection> fresh;
        Dropped drop{id, {}};
        if (changes.schema) {
            reader_.reset();  // GDAL keeps the columns it read at open
        }
        if (!changes.whole) {
            const std::vector<std::int64_t> keys(changes.keys.begin(), changes.keys.end());
            try {
                std::vector<Feature> features = reader().read_features(current.meta(), keys);
                std::vector<std::int64_t> removed;
                std::set<std::int64_t> found;
                for (const Feature& feature : features) {
                    found.insert(feature.id);
                    drop.boxes.push_back(feature.geometry.bounds());
                }
                for (std::int64_t key : keys) {
                    if (const Feature* old = current.find(key)) {
                        drop.boxes.push_back(old->geometry.bounds());
                    }
                    if (found.count(key) == 0) {
                        removed.push_back(key);  // deleted, or gone by the time we read
                    }
                }
                features_read += features.size();
                fresh = current.with_changes(std::move(features), removed);
            } catch (const SchemaChanged& changed) {
                log_.info("live updates: " + std::string(changed.what()) + "; reading it whole");
                reader_.reset();
                changes.whole = true;
            }
        }
        if (changes.whole) {
            fresh = reader().read_collection(id);
            drop.boxes = {kEverywhere};
            ++whole_reads;
        }
        next = next->with_collection(std::move(fresh));
        dropped.push_back(std::move(drop));
    }
    if (!dropped.empty()) {
        holder_.publish(next, [&](std::uint64_t generation) {
            for (const Dropped& drop : dropped) {
                cache_.invalidate(generation, {drop.layer, "*"}, drop.boxes);
            }
        });
    }
    update_status([&](LiveStatus& s) {
        s.ignored += ignored;
        s.published += dropped.empty() ? 0 : 1;
        s.features_read += features_read;
        s.whole_reads += whole_reads;
    });
}

}  // namespace regiomap::app
