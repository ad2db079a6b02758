#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/value.hpp"

namespace regiomap {

// Every distinct property value of a collection, each encoded once (at
// load) as an MVT Value message and known by a small integer id: a tile's
// value table is then made by comparing ids and copying bytes, where
// encoding and hashing every value of every feature of every tile was a
// tenth of a tile's time. Equal encodings share an id (MVT cannot tell a
// date from its ISO text either). Interning is for building only; once
// built, the table is read by all threads.
class MvtValues {
public:
    static constexpr std::uint32_t kNull = std::numeric_limits<std::uint32_t>::max();  // no value: no tag

    // The id of `value`, the same for every equal value; kNull for null.
    // Throws std::length_error beyond 4 GiB of encoded values.
    std::uint32_t intern(const Value& value);
    // Drops what only interning needs (the hash table).
    void finish_interning();

    // The Value message of an id (not kNull).
    std::string_view encoded(std::uint32_t id) const {
        const std::uint32_t begin = id == 0 ? 0 : ends_[id - 1];
        return std::string_view(bytes_).substr(begin, ends_[id] - begin);
    }
    std::size_t size() const { return ends_.size(); }

private:
    std::string bytes_;                 // every Value message, back to back
    std::vector<std::uint32_t> ends_;   // one past each one's last byte
    std::vector<std::uint32_t> table_;  // open addressing over bytes: id + 1, 0 = free; power-of-two size
    std::string scratch_;
};

}  // namespace regiomap
