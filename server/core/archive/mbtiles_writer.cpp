#include "core/archive/mbtiles_writer.hpp"

#include <cmath>
#include <cstdio>

namespace regiomap {

namespace {

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.7g", value);
    return text;
}

}  // namespace

MbtilesWriter::MbtilesWriter(std::string path) : out_(std::move(path)) {
    out_.close_descriptor();
    const std::string what = "cannot write " + out_.destination();
    db_ = sqlite::open(out_.temp_path(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, what);
    // No journal and no syncs while writing: the file is a temporary that
    // is renamed only when complete, so a crash leaves nothing half-done.
    sqlite::exec(db_.get(), "PRAGMA journal_mode = OFF", what);
    sqlite::exec(db_.get(), "PRAGMA synchronous = OFF", what);
    sqlite::exec(db_.get(), "PRAGMA page_size = 4096", what);
    sqlite::exec(db_.get(), "PRAGMA application_id = 0x4d504258", what);  // "MPBX", as the MBTiles spec suggests
    sqlite::exec(db_.get(),
                 "CREATE TABLE metadata (name TEXT, value TEXT);"
                 "CREATE TABLE images (tile_id INTEGER PRIMARY KEY, tile_data BLOB);"
                 "CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id INTEGER);"
                 "CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column,"
                 " map.tile_row AS tile_row, images.tile_data AS tile_data"
                 " FROM map JOIN images ON images.tile_id = map.tile_id;"
                 "BEGIN",
                 what);
    insert_image_ = sqlite::prepare(db_.get(), "INSERT INTO images (tile_id, tile_data) VALUES (?, ?)");
    insert_map_ =
        sqlite::prepare(db_.get(), "INSERT INTO map (zoom_level, tile_column, tile_row, tile_id) VALUES (?, ?, ?, ?)");
    select_image_ = sqlite::prepare(db_.get(), "SELECT tile_data FROM images WHERE tile_id = ?");
}

MbtilesWriter::~MbtilesWriter() {
    // Statements before the database; the AtomicFile then removes the file.
    insert_image_.reset();
    insert_map_.reset();
    select_image_.reset();
    db_.reset();
}

std::string MbtilesWriter::read_back(std::uint64_t id, std::size_t) const {
    sqlite3_stmt* select = select_image_.get();
    sqlite::Reset reset(select);
    sqlite3_bind_int64(select, 1, static_cast<sqlite3_int64>(id));
    if (sqlite3_step(select) != SQLITE_ROW) {
        return {};
    }
    const auto* data = static_cast<const char*>(sqlite3_column_blob(select, 0));
    return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(select, 0)));
}

void MbtilesWriter::add(TileId tile, std::string_view bytes) {
    if (bytes.empty()) {
        return;
    }
    const std::string what = "cannot write " + out_.destination();
    ++addressed_;
    auto id = seen_.find(bytes, [this](std::uint64_t handle, std::size_t length) { return read_back(handle, length); });
    if (!id) {
        id = ++contents_;
        sqlite3_stmt* insert = insert_image_.get();
        sqlite::Reset reset(insert);
        sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(*id));
        sqlite3_bind_blob(insert, 2, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
        sqlite::check(sqlite3_step(insert), db_.get(), what, SQLITE_DONE);
        seen_.add(bytes, *id);
    }
    sqlite3_stmt* insert = insert_map_.get();
    sqlite::Reset reset(insert);
    sqlite3_bind_int(insert, 1, tile.z);
    sqlite3_bind_int64(insert, 2, tile.x);
    sqlite3_bind_int64(insert, 3, ((std::int64_t{1} << tile.z) - 1) - tile.y);  // TMS: row 0 in the south
    sqlite3_bind_int64(insert, 4, static_cast<sqlite3_int64>(*id));
    sqlite::check(sqlite3_step(insert), db_.get(), what, SQLITE_DONE);
}

void MbtilesWriter::finish(const TilesetInfo& info) {
    if (addressed_ == 0) {
        throw Error::data_source("no tile in the requested zooms and area has any feature: nothing to write to " +
                                 out_.destination());
    }
    const std::string what = "cannot write " + out_.destination();
    auto insert = sqlite::prepare(db_.get(), "INSERT INTO metadata (name, value) VALUES (?, ?)");
    auto row = [&](const std::string& name, const std::string& value) {
        sqlite::Reset reset(insert.get());
        sqlite3_bind_text(insert.get(), 1, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
        sqlite3_bind_text(insert.get(), 2, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
        sqlite::check(sqlite3_step(insert.get()), db_.get(), what, SQLITE_DONE);
    };
    row("name", info.name);
    row("format", "pbf");
    row("bounds",
        number(info.min_lon) + "," + number(info.min_lat) + "," + number(info.max_lon) + "," + number(info.max_lat));
    row("center", number(info.center_lon) + "," + number(info.center_lat) + "," + std::to_string(info.center_zoom));
    row("minzoom", std::to_string(info.min_zoom));
    row("maxzoom", std::to_string(info.max_zoom));
    row("attribution", info.attribution);
    row("description", info.description);
    row("type", info.type);
    row("version", info.version);
    row("json", "{\"vector_layers\":" + info.vector_layers_json + "}");
    insert.reset();
    sqlite::exec(db_.get(),
                 "CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row);"
                 "CREATE UNIQUE INDEX name ON metadata (name);"
                 "COMMIT",
                 what);
    insert_image_.reset();
    insert_map_.reset();
    select_image_.reset();
    sqlite::check(sqlite3_close_v2(db_.release()), nullptr, what);
    out_.commit();
}

}  // namespace regiomap
