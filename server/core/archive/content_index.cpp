#include "core/archive/content_index.hpp"

#include <string>

namespace regiomap {

std::optional<std::uint64_t> ContentIndex::find(std::string_view bytes, const ReadBack& read_back) const {
    const auto found = by_hash_.find(std::hash<std::string_view>{}(bytes));
    if (found == by_hash_.end()) {
        return std::nullopt;
    }
    for (const Seen& seen : found->second) {
        if (seen.length == bytes.size() && read_back(seen.handle, seen.length) == bytes) {
            return seen.handle;
        }
    }
    return std::nullopt;
}

void ContentIndex::add(std::string_view bytes, std::uint64_t handle) {
    by_hash_[std::hash<std::string_view>{}(bytes)].push_back({handle, bytes.size()});
}

}  // namespace regiomap
