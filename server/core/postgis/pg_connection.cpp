#include "core/postgis/pg_connection.hpp"

#include "core/error.hpp"

namespace regiomap::pg {

namespace {

std::string one_line(const char* message) {
    std::string text = message ? message : "";
    for (char& c : text) {
        if (c == '\n' || c == '\t') {
            c = ' ';
        }
    }
    while (!text.empty() && text.back() == ' ') {
        text.pop_back();
    }
    return text;
}

}  // namespace

Connection::Connection(const PgSource& source, const std::string& application_name) : description_(source.description) {
    // libpq reads PGPASSWORD, PGPASSFILE (~/.pgpass), PGSERVICE and the other
    // environment variables itself: nothing secret needs to be in `source`.
    // Defaults first: what the connection string says overrides them.
    const char* keywords[] = {"application_name", "connect_timeout", "dbname", nullptr};
    const char* values[] = {application_name.c_str(), "10", source.conninfo.c_str(), nullptr};
    connection_.reset(PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
    if (!connection_) {
        throw Error::data_source("cannot connect to " + description_ + ": out of memory");
    }
    if (PQstatus(connection_.get()) != CONNECTION_OK) {
        // libpq's message names host, port and user; it never repeats a password.
        throw Error::data_source("cannot connect to " + description_ + ": " + last_error());
    }
}

std::string Connection::last_error() const {
    return one_line(PQerrorMessage(connection_.get()));
}

ResultPtr Connection::exec(const std::string& sql, const std::vector<std::optional<std::string>>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& param : params) {
        values.push_back(param ? param->c_str() : nullptr);
    }
    ResultPtr result{PQexecParams(connection_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                                  values.data(), nullptr, nullptr, 0)};
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        throw Error::data_source(description_ + ": " +
                                 (result ? one_line(PQresultErrorMessage(result.get())) : last_error()));
    }
    return result;
}

std::optional<std::string> cell(const PGresult* result, int row, int column) {
    if (PQgetisnull(result, row, column)) {
        return std::nullopt;
    }
    return std::string(PQgetvalue(result, row, column), static_cast<std::size_t>(PQgetlength(result, row, column)));
}

}  // namespace regiomap::pg
