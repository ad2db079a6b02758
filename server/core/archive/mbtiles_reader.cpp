#include "core/archive/mbtiles_reader.hpp"

#include <charconv>
#include <cstdio>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace regiomap {

namespace {

// "a,b,c,d" into numbers; false unless exactly `count` numbers.
bool numbers(const std::string& text, double* out, std::size_t count) {
    std::size_t found = 0;
    const char* p = text.data();
    const char* end = text.data() + text.size();
    while (p < end && found < count) {
        while (p < end && (*p == ' ' || *p == ',')) {
            ++p;
        }
        auto [next, ec] = std::from_chars(p, end, out[found]);
        if (ec != std::errc{}) {
            return false;
        }
        ++found;
        p = next;
    }
    return found == count && p == end;
}

}  // namespace

std::unique_ptr<MbtilesArchive::Connection> MbtilesArchive::connect() const {
    auto connection = std::make_unique<Connection>();
    // immutable: the file does not change while served, so SQLite takes no locks.
    std::string uri = "file:";
    for (char c : path_) {
        if (c == '?' || c == '#' || c == '%') {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
            uri += escaped;
        } else {
            uri += c;
        }
    }
    connection->db =
        sqlite::open(uri + "?immutable=1", SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, path_);
    connection->select = sqlite::prepare(
        connection->db.get(), "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?");
    return connection;
}

MbtilesArchive::MbtilesArchive(const std::string& path) : path_(path) {
    auto refuse = [&](const std::string& why) { return Error::data_source(path_ + ": " + why); };
    std::unique_ptr<Connection> connection;
    try {
        if (FILE* probe = std::fopen(path.c_str(), "rb")) {
            std::fclose(probe);
        } else {
            throw Error::data_source("cannot open it");
        }
        connection = connect();
    } catch (const Error& error) {
        throw refuse(std::string("not a readable MBTiles (SQLite) file: ") + error.what());
    }
    sqlite3* db = connection->db.get();
    {
        auto check = sqlite::prepare(db, "PRAGMA quick_check");
        if (sqlite3_step(check.get()) != SQLITE_ROW) {
            throw refuse(std::string("damaged or truncated: ") + sqlite3_errmsg(db));
        }
        const auto* verdict = reinterpret_cast<const char*>(sqlite3_column_text(check.get(), 0));
        if (!verdict || std::string_view(verdict) != "ok") {
            throw refuse(std::string("damaged or truncated: ") + (verdict ? verdict : "no verdict"));
        }
    }
    std::vector<std::pair<std::string, std::string>> rows;
    try {
        auto select = sqlite::prepare(db, "SELECT name, value FROM metadata");
        int rc;
        while ((rc = sqlite3_step(select.get())) == SQLITE_ROW) {
            const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 0));
            const auto* value = reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 1));
            rows.emplace_back(name ? name : "", value ? value : "");
        }
        sqlite::check(rc, db, "reading the metadata table", SQLITE_DONE);
        auto zooms = sqlite::prepare(db, "SELECT min(zoom_level), max(zoom_level) FROM tiles");
        sqlite::check(sqlite3_step(zooms.get()), db, "reading the tiles", SQLITE_ROW);
        if (sqlite3_column_type(zooms.get(), 0) == SQLITE_NULL) {
            throw Error::data_source("it holds no tiles");
        }
        description_.min_zoom = sqlite3_column_int(zooms.get(), 0);
        description_.max_zoom = sqlite3_column_int(zooms.get(), 1);
    } catch (const Error& error) {
        throw refuse(std::string("not an MBTiles file: ") + error.what());
    }
    if (description_.min_zoom < 0 || description_.max_zoom > kMaxTileZoom) {
        throw refuse("zooms " + std::to_string(description_.min_zoom) + "–" + std::to_string(description_.max_zoom) +
                     " are not within 0–" + std::to_string(kMaxTileZoom));
    }

    rapidjson::Document metadata(rapidjson::kObjectType);
    auto& allocator = metadata.GetAllocator();
    for (const auto& [name, value] : rows) {
        if (name == "format" && value != "pbf") {
            throw refuse("holds tiles of format '" + value + "'; only vector tiles (pbf) are served");
        }
        if (name == "json") {
            rapidjson::Document extra;
            extra.Parse(value.c_str());
            if (extra.HasParseError() || !extra.IsObject()) {
                throw refuse("the metadata row 'json' is not a JSON object");
            }
            // Const members: clang's C++20 rules find rapidjson's mutable iterator comparison ambiguous.
            const rapidjson::Value& extra_object = extra;
            for (const auto& member : extra_object.GetObject()) {
                metadata.RemoveMember(member.name);
                metadata.AddMember(rapidjson::Value(member.name, allocator), rapidjson::Value(member.value, allocator),
                                   allocator);
            }
            continue;
        }
        if (name == "bounds") {
            double b[4];
            if (numbers(value, b, 4)) {
                description_.has_bounds = true;
                description_.min_lon = b[0];
                description_.min_lat = b[1];
                description_.max_lon = b[2];
                description_.max_lat = b[3];
            }
        } else if (name == "center") {
            double c[3];
            if (numbers(value, c, 3)) {
                description_.has_center = true;
                description_.center_lon = c[0];
                description_.center_lat = c[1];
                description_.center_zoom = static_cast<int>(c[2]);
            }
        }
        if (!metadata.HasMember(name.c_str())) {
            metadata.AddMember(rapidjson::Value(name.c_str(), allocator), rapidjson::Value(value.c_str(), allocator),
                               allocator);
        }
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    metadata.Accept(writer);
    description_.metadata_json.assign(buffer.GetString(), buffer.GetSize());
    description_.format = "mbtiles";
    idle_.push_back(std::move(connection));
}

MbtilesArchive::~MbtilesArchive() = default;

std::optional<StoredTile> MbtilesArchive::tile(TileId tile) const {
    if (tile.z < description_.min_zoom || tile.z > description_.max_zoom) {
        return std::nullopt;
    }
    std::unique_ptr<Connection> connection;
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            connection = std::move(idle_.back());
            idle_.pop_back();
        }
    }
    if (!connection) {
        connection = connect();
    }
    std::optional<StoredTile> out;
    {
        sqlite3_stmt* select = connection->select.get();
        sqlite::Reset reset(select);
        sqlite3_bind_int(select, 1, tile.z);
        sqlite3_bind_int64(select, 2, tile.x);
        sqlite3_bind_int64(select, 3, ((std::int64_t{1} << tile.z) - 1) - tile.y);
        const int rc = sqlite3_step(select);
        if (rc == SQLITE_ROW) {
            const auto* data = static_cast<const char*>(sqlite3_column_blob(select, 0));
            const auto size = static_cast<std::size_t>(sqlite3_column_bytes(select, 0));
            if (size > 0) {
                out = StoredTile{std::string(data, size), size >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
                                                              static_cast<unsigned char>(data[1]) == 0x8b};
            }
        } else {
            sqlite::check(rc, connection->db.get(), path_ + ": reading tile " + tile.to_string(), SQLITE_DONE);
        }
    }
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
    return out;
}

}  // namespace regiomap
