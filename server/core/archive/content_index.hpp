#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace regiomap {

// Finds a tile whose bytes equal one seen before (the sea, the inside of a
// large park: identical tiles are common), so that an archive stores it
// once. Keys are 64-bit hashes; a hash match is confirmed byte for byte
// through `read_back`, so two different tiles are never merged.
class ContentIndex {
public:
    using ReadBack = std::function<std::string(std::uint64_t handle, std::size_t length)>;

    // The handle of an earlier tile with exactly these bytes, if any.
    std::optional<std::uint64_t> find(std::string_view bytes, const ReadBack& read_back) const;
    // Remembers `bytes` under `handle` (an offset, a row id).
    void add(std::string_view bytes, std::uint64_t handle);

private:
    struct Seen {
        std::uint64_t handle;
        std::size_t length;
    };
    std::unordered_map<std::size_t, std::vector<Seen>> by_hash_;
};

}  // namespace regiomap
