#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "core/archive/sqlite_handles.hpp"
#include "core/archive/tile_archive.hpp"

namespace regiomap {

// Serves tiles out of an MBTiles file (read-only, immutable while open).
// SQLite connections are not shared between threads: each request borrows
// one from a small pool (made on demand, kept for reuse).
class MbtilesArchive final : public TileArchive {
public:
    // Checks the file through (PRAGMA quick_check: a truncated or damaged
    // file is refused), the `tiles` table or view, and format "pbf".
    explicit MbtilesArchive(const std::string& path);
    ~MbtilesArchive() override;

    const ArchiveDescription& description() const override { return description_; }
    std::optional<StoredTile> tile(TileId tile) const override;

private:
    struct Connection {
        sqlite::Database db;
        sqlite::Statement select;
    };
    std::unique_ptr<Connection> connect() const;

    std::string path_;
    ArchiveDescription description_;
    mutable std::mutex mutex_;
    mutable std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace regiomap
