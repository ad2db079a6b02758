#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "http/request.hpp"

namespace regiomap::http {

// Serves files under one directory (the web map). A path is refused before
// it touches the file system when a segment is empty, "." or "..", hidden
// (starts with '.'), or holds '\\' or a control character; and after
// resolving symlinks the file must still lie inside the root, so a link
// pointing out of it serves nothing.
class StaticFiles {
public:
    explicit StaticFiles(std::filesystem::path root);

    bool enabled() const { return !root_.empty(); }

    // The file for decoded path segments (index.html for the root or a
    // directory), or nullopt when there is none or it may not be served.
    std::optional<Response> serve(const std::vector<std::string>& segments) const;

private:
    std::filesystem::path root_;  // canonical, or empty when there is no web root
};

std::string_view content_type_for(const std::filesystem::path& file);

}  // namespace regiomap::http
