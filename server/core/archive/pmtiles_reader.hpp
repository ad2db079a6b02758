#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/archive/pmtiles_format.hpp"
#include "core/archive/tile_archive.hpp"

namespace regiomap {

// A memory-mapped file, unmapped on destruction.
class MappedFile {
public:
    explicit MappedFile(const std::string& path);  // throws Error (data_source) with the reason
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    std::string_view bytes() const { return {data_, size_}; }

private:
    const char* data_ = nullptr;
    std::size_t size_ = 0;
};

// Serves tiles out of a PMTiles v3 archive. The file is mapped into memory;
// the root directory is decoded at open, each leaf directory the first time
// a tile in it is asked for. At open every directory is decoded and every
// entry checked against the file's size, so a truncated or corrupt archive
// is refused then and not found out by a client later.
class PmtilesArchive final : public TileArchive {
public:
    PmtilesArchive(const std::string& path, const ByteTransform& gunzip);

    const ArchiveDescription& description() const override { return description_; }
    std::optional<StoredTile> tile(TileId tile) const override;
    const pmtiles::Header& header() const { return header_; }

private:
    std::string_view section(std::uint64_t offset, std::uint64_t length, const char* what) const;
    std::vector<pmtiles::Entry> leaf(const pmtiles::Entry& pointer) const;
    void check_entries(const std::vector<pmtiles::Entry>& entries, bool in_leaf) const;

    std::string path_;
    MappedFile file_;
    ByteTransform gunzip_;
    pmtiles::Header header_;
    ArchiveDescription description_;
    std::vector<pmtiles::Entry> root_;
    // Decoded leaves, by the index of their entry in root_.
    struct Leaf {
        std::once_flag decoded;
        std::vector<pmtiles::Entry> entries;
    };
    std::unique_ptr<Leaf[]> leaves_;
};

}  // namespace regiomap
