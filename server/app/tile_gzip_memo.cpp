#include "app/tile_gzip_memo.hpp"

#include <functional>
#include <stdexcept>

#include "core/error.hpp"

namespace regiomap::app {

TileGzipMemo::TileGzipMemo(const http::GzipCompressor& gzip, std::size_t slots, std::size_t max_remembered_bytes)
    : gzip_(gzip),
      slot_count_(slots),
      max_remembered_bytes_(max_remembered_bytes),
      slots_(std::make_unique<Slot[]>(slots)) {
    if (slots == 0) {
        throw std::invalid_argument("a tile memo needs at least one slot");
    }
}

TileGzipMemo::~TileGzipMemo() = default;

std::string TileGzipMemo::compress(std::string_view raw) {
    const bool rememberable = raw.size() <= max_remembered_bytes_;
    Slot* slot = nullptr;
    if (rememberable) {
        slot = &slots_[std::hash<std::string_view>{}(raw) % slot_count_];
        std::lock_guard guard(slot->lock);
        if (slot->raw == raw && !slot->packed.empty()) {
            ++reused_;
            return slot->packed;
        }
    }
    std::optional<std::string> packed = gzip_.compress(raw);
    if (!packed) {
        throw Error(ErrorKind::internal, "gzip compression failed");
    }
    if (slot) {
        std::lock_guard guard(slot->lock);
        slot->raw.assign(raw);
        slot->packed = *packed;
    }
    return std::move(*packed);
}

}  // namespace regiomap::app
