#include "core/feature_ids.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace regiomap {

namespace {

constexpr std::int64_t kLargest = std::numeric_limits<std::int64_t>::max();

// Hands out ids that no source id uses, in increasing order. Past
// INT64_MAX the count starts again at 1, skipping used ids: there are far
// fewer features than ids below the first one handed out.
class FreshIds {
public:
    explicit FreshIds(const std::vector<std::int64_t>& used_sorted) : used_(used_sorted) {
        const std::int64_t largest = used_.empty() ? 0 : std::max<std::int64_t>(used_.back(), 0);
        next_ = largest == kLargest ? 1 : largest + 1;
    }

    std::int64_t take() {
        while (std::binary_search(used_.begin(), used_.end(), next_)) {
            advance();
        }
        const std::int64_t id = next_;
        advance();
        return id;
    }

private:
    void advance() { next_ = next_ == kLargest ? 1 : next_ + 1; }

    const std::vector<std::int64_t>& used_;
    std::int64_t next_ = 1;
};

}  // namespace

UniqueIds assign_unique_ids(std::span<const std::optional<std::int64_t>> source_ids) {
    // (id, position) sorted: within a run of one id, the first position keeps it.
    std::vector<std::pair<std::int64_t, std::size_t>> by_id;
    by_id.reserve(source_ids.size());
    for (std::size_t i = 0; i < source_ids.size(); ++i) {
        if (source_ids[i]) {
            by_id.emplace_back(*source_ids[i], i);
        }
    }
    std::sort(by_id.begin(), by_id.end());
    std::vector<bool> keeps(source_ids.size(), false);
    std::vector<std::int64_t> used;
    used.reserve(by_id.size());
    for (std::size_t k = 0; k < by_id.size(); ++k) {
        if (k == 0 || by_id[k].first != by_id[k - 1].first) {
            keeps[by_id[k].second] = true;
            used.push_back(by_id[k].first);
        }
    }
    by_id = {};

    FreshIds fresh(used);
    UniqueIds out;
    out.ids.reserve(source_ids.size());
    for (std::size_t i = 0; i < source_ids.size(); ++i) {
        if (keeps[i]) {
            out.ids.push_back(*source_ids[i]);
            continue;
        }
        const std::int64_t id = fresh.take();
        out.ids.push_back(id);
        out.changes.push_back({i, source_ids[i], id});
    }
    return out;
}

}  // namespace regiomap
