#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace regiomap {

// Keeps passwords out of every message. A data source is named by a
// connection string that may hold one ("PG:dbname=gis password=secret",
// "postgresql://user:secret@host/db", "MYSQL:db,user=u,password=secret");
// before the string or any text derived from it (GDAL's and libpq's own
// errors, our log lines, /health) goes anywhere, the secrets are replaced.
// A service file (PGSERVICE, service=…) or PGPASSFILE keeps the password
// out of the string altogether, and is left as it is.
class SecretRedactor {
public:
    // Learns the secrets of `connection` and of the PGPASSWORD environment
    // variable (libpq's fallback), if set.
    explicit SecretRedactor(std::string_view connection);

    // `text` with every known secret, every "password=…"/"pwd=…" value
    // and every "scheme://user:…@" password replaced by "***".
    std::string redact(std::string_view text) const;

    // The connection string as it may be shown.
    const std::string& display_name() const { return display_; }

private:
    std::vector<std::string> secrets_;
    std::string display_;
};

// The pattern-based part of SecretRedactor::redact, for text whose source
// is unknown.
std::string redact_secret_patterns(std::string_view text);

}  // namespace regiomap
