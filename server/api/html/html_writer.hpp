#pragma once

#include <string>
#include <string_view>
#include <vector>

// The pieces every HTML page of the API is made of: escaping, the two
// languages side by side (as the web map shows them), and the page shell.
// Plain server-rendered HTML: no script, no external resource.
namespace regiomap::api::html {

// Text for an element's content or a quoted attribute: & < > " ' escaped.
std::string escape(std::string_view text);

// One text in both languages.
struct Text {
    std::string_view zh;
    std::string_view en;
};

// <span lang="zh-Hans">…</span> <span lang="en">…</span>
std::string bilingual(const Text& text);
// "中文 · English", for <title> and attributes.
std::string plain(const Text& text);

struct Crumb {
    std::string label;  // HTML (already escaped)
    std::string href;   // empty: the current page
};

struct Alternate {
    std::string href;
    std::string type;   // media type
    std::string label;  // "JSON", "GeoJSON"
};

struct Page {
    std::string title;    // plain text, for <title> (escaped here)
    std::string heading;  // HTML for <h1>
    std::vector<Crumb> crumbs;
    std::vector<Alternate> alternates;  // the same resource in other formats
    std::string body;                   // HTML inside <main>, after the heading
};

// The whole document: <!DOCTYPE html>, lang="zh-Hans", a skip link, the
// breadcrumb navigation, <main>, and the other formats in <head> and footer.
std::string render(const Page& page, std::string_view service_title, std::string_view home_href);

// `url` with its `f` parameter replaced by f=`format`.
std::string with_format(std::string_view url, std::string_view format);

}  // namespace regiomap::api::html
