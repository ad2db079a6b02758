#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <libpq-fe.h>

#include "core/postgis/pg_source.hpp"

namespace regiomap::pg {

struct ResultClear {
    void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultClear>;

// One libpq connection, closed with the object. Errors are Error
// (data_source) naming the database by its description, never by its
// connection string.
class Connection {
public:
    // Connects (blocking). `application_name` shows in pg_stat_activity.
    Connection(const PgSource& source, const std::string& application_name);

    PGconn* get() const { return connection_.get(); }
    const std::string& description() const { return description_; }
    bool ok() const { return PQstatus(connection_.get()) == CONNECTION_OK; }

    // Runs one statement; throws when it fails. Parameters are text, null
    // when absent.
    ResultPtr exec(const std::string& sql, const std::vector<std::optional<std::string>>& params = {});

    // libpq's last error on this connection, one line.
    std::string last_error() const;

private:
    struct Finish {
        void operator()(PGconn* connection) const { PQfinish(connection); }
    };
    std::unique_ptr<PGconn, Finish> connection_;
    std::string description_;
};

// The value of a result cell, nullopt for SQL NULL.
std::optional<std::string> cell(const PGresult* result, int row, int column);

}  // namespace regiomap::pg
