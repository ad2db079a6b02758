#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace regiomap {

// A feature whose id is not the one its source gave it.
struct IdChange {
    std::size_t position = 0;               // in source order
    std::optional<std::int64_t> source_id;  // nullopt: the source gave none
    std::int64_t id = 0;                    // the id it is served under
};

struct UniqueIds {
    std::vector<std::int64_t> ids;  // one per feature, in source order, no two alike
    std::vector<IdChange> changes;
};

// One id per feature, unique in its collection, as close to the source's
// as that allows: the first feature (in source order) with an id keeps it;
// a later feature with the same id, and a feature without one, gets a
// fresh id above the largest id of the source (counting up from 1 when
// there is none, or from the smallest unused positive id when the largest
// is INT64_MAX), in source order — so the same source gives the same ids
// on every load.
UniqueIds assign_unique_ids(std::span<const std::optional<std::int64_t>> source_ids);

}  // namespace regiomap
