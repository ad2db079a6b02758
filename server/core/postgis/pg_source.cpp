#include "core/postgis/pg_source.hpp"

#include <array>
#include <memory>

#include <libpq-fe.h>

#include "core/error.hpp"

namespace regiomap::pg {

namespace {

// Keywords GDAL's PostgreSQL driver takes besides libpq's.
constexpr std::array<std::string_view, 5> kGdalOnlyKeys{"schemas", "schema", "tables", "active_schema",
                                                        "list_all_tables"};

struct OptionsFree {
    void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using OptionsPtr = std::unique_ptr<PQconninfoOption, OptionsFree>;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Splits "key = value key2='quoted \' value'" into its pairs as libpq does,
// keeping each pair's text, and drops the pairs whose key GDAL consumes.
std::string without_gdal_keys(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_space(text[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < text.size() && text[i] != '=' && !is_space(text[i])) {
            ++i;
        }
        const std::string_view key = text.substr(start, i - start);
        while (i < text.size() && is_space(text[i])) {
            ++i;
        }
        if (i < text.size() && text[i] == '=') {
            ++i;
            while (i < text.size() && is_space(text[i])) {
                ++i;
            }
            if (i < text.size() && text[i] == '\'') {
                for (++i; i < text.size() && text[i] != '\''; ++i) {
                    if (text[i] == '\\') {
                        ++i;
                    }
                }
                ++i;
            } else {
                while (i < text.size() && !is_space(text[i])) {
                    ++i;
                }
            }
        }
        const std::string_view pair = text.substr(start, std::min(i, text.size()) - start);
        bool gdal_only = false;
        for (std::string_view gdal_key : kGdalOnlyKeys) {
            gdal_only = gdal_only || key == gdal_key;
        }
        if (!pair.empty() && !gdal_only) {
            if (!out.empty()) {
                out += ' ';
            }
            out += pair;
        }
    }
    return out;
}

}  // namespace

bool is_pg_source(std::string_view source) {
    return source.starts_with("PG:") || source.starts_with("pg:") || source.starts_with("postgresql://") ||
           source.starts_with("postgres://");
}

PgSource parse_pg_source(std::string_view source) {
    std::string_view text = source;
    if (text.starts_with("PG:") || text.starts_with("pg:")) {
        text.remove_prefix(3);
    }
    PgSource parsed;
    parsed.conninfo = text.starts_with("postgresql://") || text.starts_with("postgres://") ? std::string(text)
                                                                                           : without_gdal_keys(text);
    char* error = nullptr;
    OptionsPtr options{PQconninfoParse(parsed.conninfo.c_str(), &error)};
    if (!options) {
        // libpq's message names the bad keyword or syntax, not the values.
        std::string why = error ? error : "out of memory";
        PQfreemem(error);
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) {
            why.pop_back();
        }
        throw Error::data_source("the PostgreSQL connection string cannot be read: " + why);
    }
    std::string service, host, port, dbname, user;
    for (PQconninfoOption* option = options.get(); option->keyword; ++option) {
        if (!option->val || !*option->val) {
            continue;
        }
        std::string_view keyword = option->keyword;
        if (keyword == "service") {
            service = option->val;
        } else if (keyword == "host" || (keyword == "hostaddr" && host.empty())) {
            host = option->val;
        } else if (keyword == "port") {
            port = option->val;
        } else if (keyword == "dbname") {
            dbname = option->val;
        } else if (keyword == "user") {
            user = option->val;
        }
    }
    parsed.description = "PostgreSQL database";
    if (!dbname.empty()) {
        parsed.description += " " + dbname;
    }
    if (!service.empty()) {
        parsed.description += " (service " + service + ")";
    }
    if (!host.empty() || !port.empty()) {
        parsed.description +=
            " on " + (host.empty() ? std::string("localhost") : host) + (port.empty() ? "" : ":" + port);
    }
    if (!user.empty()) {
        parsed.description += " as " + user;
    }
    if (dbname.empty() && service.empty() && host.empty() && user.empty()) {
        parsed.description += " given by the libpq environment (PGHOST, PGDATABASE, …)";
    }
    return parsed;
}

std::string display_source(std::string_view source) {
    if (!is_pg_source(source)) {
        return std::string(source);
    }
    try {
        return parse_pg_source(source).description;
    } catch (const Error&) {
        return "a PostgreSQL connection string that cannot be read";
    }
}

}  // namespace regiomap::pg
