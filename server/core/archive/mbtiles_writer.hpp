#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/archive/atomic_file.hpp"
#include "core/archive/content_index.hpp"
#include "core/archive/sqlite_handles.hpp"
#include "core/archive/tileset_info.hpp"
#include "core/tiles/tile.hpp"

namespace regiomap {

// Writes an MBTiles 1.3 file with SQLite: a `metadata` table (name, format
// pbf, bounds, center, minzoom, maxzoom, attribution, description, type,
// version and `json` with vector_layers), tiles in `images` (each distinct
// content once) and `map` (TMS rows: y counted from the south), and the
// `tiles` view that readers query. Written in one transaction into a
// temporary file beside `path`, renamed by finish(); without finish()
// nothing is left behind.
class MbtilesWriter {
public:
    explicit MbtilesWriter(std::string path);
    ~MbtilesWriter();
    MbtilesWriter(const MbtilesWriter&) = delete;
    MbtilesWriter& operator=(const MbtilesWriter&) = delete;

    // One tile as stored (gzip-compressed MVT, as MBTiles asks); empty
    // tiles are not added. Throws Error on a write error (full disk).
    void add(TileId tile, std::string_view bytes);
    void finish(const TilesetInfo& info);

    std::uint64_t tiles_added() const { return addressed_; }
    std::uint64_t distinct_contents() const { return contents_; }

private:
    std::string read_back(std::uint64_t id, std::size_t length) const;

    AtomicFile out_;
    sqlite::Database db_;
    sqlite::Statement insert_image_;
    sqlite::Statement insert_map_;
    sqlite::Statement select_image_;
    ContentIndex seen_;
    std::uint64_t addressed_ = 0;
    std::uint64_t contents_ = 0;
};

}  // namespace regiomap
