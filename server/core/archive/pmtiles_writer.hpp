#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/archive/atomic_file.hpp"
#include "core/archive/content_index.hpp"
#include "core/archive/pmtiles_format.hpp"
#include "core/archive/tileset_info.hpp"
#include "core/tiles/tile.hpp"

namespace regiomap {

// Writes a PMTiles v3 archive: clustered (tile data in tile id order),
// identical tiles stored once, consecutive tiles with the same content as
// one run-length entry, directories and metadata compressed with
// `compress` (gzip), leaf directories when the root would not fit in the
// first 16 KiB. Tiles go to an unnamed scratch file while they come; finish()
// writes header, root directory, metadata and leaf directories, appends the
// tile data, and renames the temporary onto `path`. Without finish() (an
// error, an interrupt) nothing is left behind.
class PmtilesWriter {
public:
    // `compress` is the codec `internal_compression` names (gzip in
    // practice; none in tests of the core alone).
    PmtilesWriter(std::string path, pmtiles::Compression tile_compression, pmtiles::Compression internal_compression,
                  ByteTransform compress);

    // Adds one tile as stored (already compressed as `tile_compression`
    // says). Tiles must come in ascending tile id order (pmtiles::tile_id);
    // an empty tile is simply not added. Throws Error on a write error.
    void add(TileId tile, std::string_view bytes);
    // Writes the rest and renames; `info` becomes the header's zooms,
    // bounds and center and the JSON metadata.
    void finish(const TilesetInfo& info);

    std::uint64_t tiles_added() const { return addressed_; }
    std::uint64_t distinct_contents() const { return contents_; }

private:
    void flush();
    std::string read_back(std::uint64_t offset, std::size_t length) const;

    AtomicFile out_;
    ScratchFile tile_data_;
    pmtiles::Compression tile_compression_;
    pmtiles::Compression internal_compression_;
    ByteTransform compress_;
    ContentIndex seen_;
    std::vector<pmtiles::Entry> entries_;
    std::string buffer_;           // tile data not yet in the scratch file
    std::uint64_t flushed_ = 0;    // bytes in the scratch file
    std::uint64_t data_size_ = 0;  // flushed_ + buffer_.size()
    std::uint64_t addressed_ = 0;
    std::uint64_t contents_ = 0;
    std::uint64_t last_id_ = 0;
};

}  // namespace regiomap
