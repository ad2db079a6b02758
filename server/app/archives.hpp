#pragma once

#include <string>
#include <vector>

#include "api/archive_sources.hpp"

namespace regiomap::app {

// Opens the archives the server is started with: each `--tiles` value
// ("FILE" named by its file name without extension, or "NAME=FILE") and the
// `--basemap` file (empty: none). Each is checked through at open; a
// missing, truncated or corrupt archive, or two with one name, throws
// Error (data_source) naming the file and the reason, so the server
// refuses to start rather than fail its clients later.
api::ArchiveSet open_archives(const std::vector<std::string>& tiles, const std::string& basemap);

}  // namespace regiomap::app
