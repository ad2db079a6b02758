#include "api/html/html_writer.hpp"

namespace regiomap::api::html {

namespace {

// Small and readable on a phone and a desktop; colours with WCAG AA contrast.
constexpr std::string_view kStyle = R"(
:root { color-scheme: light; --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --link: #0b5cad; --band: #f0f4f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 "Noto Sans CJK SC", "Noto Sans", system-ui, sans-serif; color: var(--ink); }
a { color: var(--link); }
a:focus-visible { outline: 3px solid #f0b429; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 1; }
header { background: var(--band); border-bottom: 1px solid var(--line); padding: .75rem 1rem; }
header .brand { margin: 0 0 .25rem; font-weight: 600; }
nav ol { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem; color: var(--muted); }
nav li + li::before { content: "›"; margin-right: .25rem; }
main { padding: 1rem; max-width: 80rem; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
span[lang="en"] { color: var(--muted); }
h1 span[lang="en"], h2 span[lang="en"], th span[lang="en"] { color: inherit; font-weight: normal; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: .5rem 0; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th, tbody th { background: var(--band); }
td.text { min-width: 12rem; max-width: 32rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
blockquote { margin: .5rem 0; padding: .5rem 1rem; border-left: 4px solid var(--line); background: #fafbfc; }
.map { width: 100%; max-width: 40rem; height: auto; border: 1px solid var(--line); background: #fbfdff; }
.note { color: var(--muted); }
.pager { display: flex; gap: 1rem; margin: .75rem 0; }
footer { border-top: 1px solid var(--line); padding: .75rem 1rem; color: var(--muted); }
)";

}  // namespace

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string bilingual(const Text& text) {
    return "<span lang=\"zh-Hans\">" + escape(text.zh) + "</span> <span lang=\"en\">" + escape(text.en) + "</span>";
}

std::string plain(const Text& text) {
    return std::string(text.zh) + " · " + std::string(text.en);
}

std::string render(const Page& page, std::string_view service_title, std::string_view home_href) {
    std::string out;
    out.reserve(page.body.size() + 4096);
    out += "<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += "<link rel=\"icon\" href=\"data:,\">\n";  // no request for /favicon.ico
    out += "<title>" + escape(page.title) + " – " + escape(service_title) + "</title>\n";
    for (const Alternate& alternate : page.alternates) {
        out += "<link rel=\"alternate\" type=\"" + escape(alternate.type) + "\" href=\"" + escape(alternate.href) +
               "\">\n";
    }
    out += "<style>";
    out += kStyle;
    out += "</style>\n</head>\n<body>\n";
    out += "<a class=\"skip\" href=\"#main\">" + bilingual({"跳到正文", "Skip to the content"}) + "</a>\n";
    out += "<header>\n<p class=\"brand\"><a href=\"" + escape(home_href) + "\">" + escape(service_title) + "</a></p>\n";
    out += "<nav aria-label=\"" + escape(plain({"位置", "Breadcrumb"})) + "\"><ol>";
    for (const Crumb& crumb : page.crumbs) {
        if (crumb.href.empty()) {
            out += "<li aria-current=\"page\">" + crumb.label + "</li>";
        } else {
            out += "<li><a href=\"" + escape(crumb.href) + "\">" + crumb.label + "</a></li>";
        }
    }
    out += "</ol></nav>\n</header>\n<main id=\"main\">\n<h1>" + page.heading + "</h1>\n";
    out += page.body;
    out += "\n</main>\n<footer>";
    if (!page.alternates.empty()) {
        out += bilingual({"其他格式：", "Other formats:"});
        for (const Alternate& alternate : page.alternates) {
            out += " <a href=\"" + escape(alternate.href) + "\" type=\"" + escape(alternate.type) + "\">" +
                   escape(alternate.label) + "</a>";
        }
    }
    out += "</footer>\n</body>\n</html>\n";
    return out;
}

std::string with_format(std::string_view url, std::string_view format) {
    const auto question = url.find('?');
    std::string out(url.substr(0, question));
    std::string query;
    if (question != std::string_view::npos) {
        std::string_view rest = url.substr(question + 1);
        while (!rest.empty()) {
            const auto amp = rest.find('&');
            std::string_view pair = rest.substr(0, amp);
            if (!pair.starts_with("f=") && pair != "f") {
                query += query.empty() ? "" : "&";
                query += pair;
            }
            rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        }
    }
    query += query.empty() ? "" : "&";
    query += "f=";
    query += format;
    return out + "?" + query;
}

}  // namespace regiomap::api::html
