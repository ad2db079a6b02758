#pragma once

#include <filesystem>
#include <string>

#include "api/http_vocabulary.hpp"

namespace regiomap::api {

// /styles/{name}.json: a MapLibre GL style from the styles directory, with
// every root-relative URL in it (vector source "url" and "tiles", "glyphs",
// "sprite") made absolute on this server, so one file works behind any
// host name or proxy.
Response style(const std::filesystem::path& styles_dir, const std::string& file_segment, const std::string& base,
               const ParsedTarget& target);

}  // namespace regiomap::api
