#include "http/static_files.hpp"

#include <fstream>
#include <iterator>

namespace regiomap::http {

namespace fs = std::filesystem;

namespace {

bool safe_segment(const std::string& segment) {
    if (segment.empty() || segment.front() == '.') {
        return false;  // also "." and ".."
    }
    for (char c : segment) {
        if (c == '\\' || c == '/' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return false;
        }
    }
    return true;
}

bool inside(const fs::path& root, const fs::path& candidate) {
    auto r = root.begin();
    auto c = candidate.begin();
    for (; r != root.end(); ++r, ++c) {
        if (c == candidate.end() || *r != *c) {
            return false;
        }
    }
    return true;
}

}  // namespace

StaticFiles::StaticFiles(fs::path root) {
    std::error_code ec;
    if (!root.empty() && fs::is_directory(root, ec)) {
        root_ = fs::canonical(root, ec);
        if (ec) {
            root_.clear();
        }
    }
}

std::string_view content_type_for(const fs::path& file) {
    const std::string ext = file.extension().string();
    if (ext == ".html")
        return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs")
        return "text/javascript; charset=utf-8";
    if (ext == ".css")
        return "text/css; charset=utf-8";
    if (ext == ".json")
        return "application/json";
    if (ext == ".geojson")
        return "application/geo+json";
    if (ext == ".svg")
        return "image/svg+xml";
    if (ext == ".png")
        return "image/png";
    if (ext == ".jpg" || ext == ".jpeg")
        return "image/jpeg";
    if (ext == ".ico")
        return "image/x-icon";
    if (ext == ".txt" || ext == ".md")
        return "text/plain; charset=utf-8";
    if (ext == ".woff2")
        return "font/woff2";
    if (ext == ".pbf")
        return "application/x-protobuf";
    if (ext == ".qml" || ext == ".qgs" || ext == ".xml")
        return "application/xml";
    return "application/octet-stream";
}

std::optional<Response> StaticFiles::serve(const std::vector<std::string>& segments) const {
    if (!enabled()) {
        return std::nullopt;
    }
    fs::path path = root_;
    for (const std::string& segment : segments) {
        if (!safe_segment(segment)) {
            return std::nullopt;
        }
        path /= segment;
    }
    std::error_code ec;
    fs::path resolved = fs::canonical(path, ec);
    if (ec || !inside(root_, resolved)) {
        return std::nullopt;
    }
    if (fs::is_directory(resolved, ec)) {
        resolved /= "index.html";
        resolved = fs::canonical(resolved, ec);
        if (ec || !inside(root_, resolved)) {
            return std::nullopt;
        }
    }
    if (!fs::is_regular_file(resolved, ec)) {
        return std::nullopt;
    }
    std::ifstream in(resolved, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    Response response;
    response.content_type = std::string(content_type_for(resolved));
    response.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    // Revalidate every time (the ETag makes that a 304): the web map's
    // modules must never mix versions across a deploy.
    response.set_header("Cache-Control", "no-cache");
    return response;
}

}  // namespace regiomap::http
