#pragma once

#include <memory>
#include <string>

#include <sqlite3.h>

#include "core/error.hpp"

namespace regiomap::sqlite {

struct CloseDatabase {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStatement {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

// Throws Error (data_source) with SQLite's message unless `rc` is one of
// the expected codes.
inline void check(int rc, sqlite3* db, const std::string& what, int ok = SQLITE_OK, int also_ok = SQLITE_OK) {
    if (rc != ok && rc != also_ok) {
        throw Error::data_source(what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    }
}

inline Database open(const std::string& path, int flags, const std::string& what) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Database db(raw);  // closed even when opening failed
    check(rc, db.get(), what);
    sqlite3_extended_result_codes(db.get(), 1);
    return db;
}

inline Statement prepare(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    check(sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr), db, "SQL '" + sql + "'");
    return Statement(raw);
}

// Runs SQL; an error names `what` (e.g. "cannot write OUT.mbtiles") and SQLite's reason.
inline void exec(sqlite3* db, const std::string& sql, const std::string& what) {
    check(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), db, what);
}

// Resets a statement after use, whatever happens in between.
class Reset {
public:
    explicit Reset(sqlite3_stmt* statement) : statement_(statement) {}
    ~Reset() {
        sqlite3_reset(statement_);
        sqlite3_clear_bindings(statement_);
    }
    Reset(const Reset&) = delete;
    Reset& operator=(const Reset&) = delete;

private:
    sqlite3_stmt* statement_;
};

}  // namespace regiomap::sqlite
