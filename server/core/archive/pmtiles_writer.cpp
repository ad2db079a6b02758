#include "core/archive/pmtiles_writer.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace regiomap {

namespace {

constexpr std::size_t kFlushBytes = 4u << 20;

struct Directories {
    std::string root;
    std::string leaves;
};

// Root and leaves for a given number of entries per leaf.
Directories with_leaves(const std::vector<pmtiles::Entry>& entries, std::size_t leaf_size,
                        const ByteTransform& compress) {
    Directories out;
    std::vector<pmtiles::Entry> root;
    for (std::size_t start = 0; start < entries.size(); start += leaf_size) {
        const std::size_t end = std::min(entries.size(), start + leaf_size);
        const std::vector<pmtiles::Entry> leaf(entries.begin() + static_cast<std::ptrdiff_t>(start),
                                               entries.begin() + static_cast<std::ptrdiff_t>(end));
        const std::string packed = compress(pmtiles::encode_directory(leaf));
        root.push_back({leaf.front().tile_id, out.leaves.size(), static_cast<std::uint32_t>(packed.size()), 0});
        out.leaves += packed;
    }
    out.root = compress(pmtiles::encode_directory(root));
    return out;
}

// Everything in the root when it fits in the first 16 KiB; else leaves of
// growing size until the root of their pointers fits.
Directories directories(const std::vector<pmtiles::Entry>& entries, const ByteTransform& compress) {
    Directories only_root{compress(pmtiles::encode_directory(entries)), {}};
    if (pmtiles::kHeaderSize + only_root.root.size() <= pmtiles::kRootBudget) {
        return only_root;
    }
    std::size_t leaf_size = std::max<std::size_t>(4096, entries.size() / 3500);
    while (true) {
        Directories built = with_leaves(entries, leaf_size, compress);
        if (pmtiles::kHeaderSize + built.root.size() <= pmtiles::kRootBudget) {
            return built;
        }
        leaf_size += leaf_size / 5;
    }
}

}  // namespace

PmtilesWriter::PmtilesWriter(std::string path, pmtiles::Compression tile_compression,
                             pmtiles::Compression internal_compression, ByteTransform compress)
    : out_(std::move(path)),
      tile_data_(out_.destination()),
      tile_compression_(tile_compression),
      internal_compression_(internal_compression),
      compress_(std::move(compress)) {}

std::string PmtilesWriter::read_back(std::uint64_t offset, std::size_t length) const {
    if (offset >= flushed_) {
        return buffer_.substr(static_cast<std::size_t>(offset - flushed_), length);
    }
    return tile_data_.read(offset, length);
}

void PmtilesWriter::flush() {
    tile_data_.write(buffer_);
    flushed_ += buffer_.size();
    buffer_.clear();
}

void PmtilesWriter::add(TileId tile, std::string_view bytes) {
    if (bytes.empty()) {
        return;
    }
    const std::uint64_t id = pmtiles::tile_id(tile);
    if (!entries_.empty() && id <= last_id_) {
        throw Error(ErrorKind::internal,
                    "PMTiles tiles must be added in ascending tile id order (tile " + tile.to_string() + ")");
    }
    last_id_ = id;
    ++addressed_;
    const auto same =
        seen_.find(bytes, [this](std::uint64_t offset, std::size_t length) { return read_back(offset, length); });
    if (same) {
        pmtiles::Entry& last = entries_.back();
        // The same content right after its last run: one longer run.
        if (last.offset == *same && last.tile_id + last.run_length == id) {
            ++last.run_length;
        } else {
            entries_.push_back({id, *same, static_cast<std::uint32_t>(bytes.size()), 1});
        }
        return;
    }
    entries_.push_back({id, data_size_, static_cast<std::uint32_t>(bytes.size()), 1});
    seen_.add(bytes, data_size_);
    buffer_.append(bytes);
    data_size_ += bytes.size();
    ++contents_;
    if (buffer_.size() >= kFlushBytes) {
        flush();
    }
}

void PmtilesWriter::finish(const TilesetInfo& info) {
    if (entries_.empty()) {
        throw Error::data_source("no tile in the requested zooms and area has any feature: nothing to write to " +
                                 out_.destination());
    }
    flush();
    const Directories dirs = directories(entries_, compress_);
    const std::string metadata = compress_(tileset_metadata_json(info));

    pmtiles::Header header;
    header.root_offset = pmtiles::kHeaderSize;
    header.root_length = dirs.root.size();
    header.metadata_offset = header.root_offset + header.root_length;
    header.metadata_length = metadata.size();
    header.leaves_offset = header.metadata_offset + header.metadata_length;
    header.leaves_length = dirs.leaves.size();
    header.tile_data_offset = header.leaves_offset + header.leaves_length;
    header.tile_data_length = data_size_;
    header.addressed_tiles = addressed_;
    header.tile_entries = entries_.size();
    header.tile_contents = contents_;
    header.clustered = true;
    header.internal_compression = internal_compression_;
    header.tile_compression = tile_compression_;
    header.tile_type = pmtiles::TileType::mvt;
    header.min_zoom = static_cast<std::uint8_t>(info.min_zoom);
    header.max_zoom = static_cast<std::uint8_t>(info.max_zoom);
    header.min_lon = info.min_lon;
    header.min_lat = info.min_lat;
    header.max_lon = info.max_lon;
    header.max_lat = info.max_lat;
    header.center_zoom = static_cast<std::uint8_t>(info.center_zoom);
    header.center_lon = info.center_lon;
    header.center_lat = info.center_lat;

    const auto head = pmtiles::encode_header(header);
    out_.write(std::string_view(head.data(), head.size()));
    out_.write(dirs.root);
    out_.write(metadata);
    out_.write(dirs.leaves);
    out_.append_from(tile_data_.fd(), data_size_);
    out_.commit();
}

}  // namespace regiomap
