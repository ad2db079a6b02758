#pragma once

#include <string>
#include <string_view>

namespace regiomap::pg {

// A "PG:…" data source as GDAL takes it, read for what regiomap itself
// does with the database (LISTEN, the catalogue): the libpq part of it and a
// text that names the database without its secrets.
struct PgSource {
    // libpq keywords only (GDAL's own, such as schemas= or tables=, removed).
    // May hold a password: never print it, put it in an error or a metric.
    std::string conninfo;
    // "PostgreSQL database gis on db:5432 as editor": safe to print.
    std::string description;
};

// Whether GDAL would open `source` with its PostgreSQL driver.
bool is_pg_source(std::string_view source);

// Reads a "PG:" source (key=value pairs or a postgresql:// URI). Throws
// Error (data_source) when libpq cannot parse it; the message never quotes
// the string, which may hold a password.
PgSource parse_pg_source(std::string_view source);

// A data source as it may appear in a log line or a response: a file path
// as it is, a PostgreSQL source by its description.
std::string display_source(std::string_view source);

}  // namespace regiomap::pg
