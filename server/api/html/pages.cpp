#include "api/html/pages.hpp"

#include <charconv>
#include <cmath>

#include "api/html/html_writer.hpp"
#include "api/html/svg_map.hpp"

namespace regiomap::api::html {

namespace {

const Text kHome{"首页", "Home"};
const Text kCollections{"数据集合", "Collections"};
const Text kConformance{"符合性类别", "Conformance classes"};
const Text kFeatures{"要素", "Features"};

std::string home(const Site& site) {
    return site.base + "/?f=html";
}

Crumb crumb(const Text& text, std::string href = {}) {
    return {bilingual(text), std::move(href)};
}

// The first link of a relation (and media type, when given), or "".
std::string link_href(const json& document, std::string_view rel, std::string_view type = {}) {
    if (!document.contains("links")) {
        return {};
    }
    for (const json& link : document["links"]) {
        if (link.value("rel", "") == rel && (type.empty() || link.value("type", "") == type)) {
            return link.value("href", "");
        }
    }
    return {};
}

std::string anchor(const std::string& href, const std::string& label_html, std::string_view type = {}) {
    std::string out = "<a href=\"" + escape(href) + "\"";
    if (!type.empty()) {
        out += " type=\"" + escape(type) + "\"";
    }
    return out + ">" + label_html + "</a>";
}

std::string number_text(double value) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, end);
}

// A property value as table text; null as an em dash.
std::string value_html(const json& value) {
    if (value.is_null()) {
        return "<span class=\"note\" title=\"null\">—</span>";
    }
    if (value.is_string()) {
        return escape(value.get<std::string>());
    }
    return escape(value.dump());
}

std::string collection_url(const Site& site, const json& collection) {
    std::string self = link_href(collection, "self");
    return self.empty() ? site.base + "/collections/" + collection.value("id", "") : self;
}

std::string collection_title(const json& collection) {
    const std::string title = collection.value("title", "");
    return title.empty() ? collection.value("id", "") : title;
}

std::vector<Alternate> json_alternates(const std::string& url, bool features) {
    std::vector<Alternate> out;
    if (features) {
        out.push_back({with_format(url, "geojson"), "application/geo+json", "GeoJSON"});
    }
    out.push_back({with_format(url, "json"), "application/json", "JSON"});
    return out;
}

std::string extent_text(const json& collection) {
    if (!collection.contains("extent") || !collection["extent"].contains("spatial")) {
        return "<span class=\"note\">—</span>";
    }
    const json& box = collection["extent"]["spatial"]["bbox"][0];
    std::string out;
    for (std::size_t i = 0; i < box.size(); ++i) {
        out += (i ? ", " : "") + number_text(std::round(box[i].get<double>() * 1e4) / 1e4);
    }
    return escape(out);
}

bool has(const json& properties, const char* name) {
    return properties.is_object() && properties.contains(name) && !properties[name].is_null();
}

}  // namespace

std::string feature_label(const json& feature) {
    const json& p = feature.contains("properties") ? feature["properties"] : json::object();
    if (has(p, "name_zh") && has(p, "name_en")) {
        return p["name_zh"].get<std::string>() + " · " + p["name_en"].get<std::string>();
    }
    for (const char* key : {"name_zh", "name_en", "name", "title", "NAME"}) {
        if (has(p, key) && p[key].is_string()) {
            return p[key].get<std::string>();
        }
    }
    return "#" + (feature.contains("id") ? feature["id"].dump() : std::string("?"));
}

std::string landing_page(const Site& site, const json& landing) {
    struct Entry {
        Text text;
        std::string href;
        std::string_view type;
    };
    const std::vector<Entry> entries{
        {{"数据集合（要素）", "Collections (features)"}, site.base + "/collections?f=html", "text/html"},
        {{"符合性类别", "Conformance classes"}, site.base + "/conformance?f=html", "text/html"},
        {{"接口定义（OpenAPI 3.0）", "API definition (OpenAPI 3.0)"},
         link_href(landing, "service-desc"),
         "application/vnd.oai.openapi+json;version=3.0"},
        {{"矢量瓦片集（OGC API – Tiles）", "Vector tilesets (OGC API – Tiles)"},
         link_href(landing, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"),
         "application/json"},
        {{"网络地图", "Web map"}, site.base + "/", "text/html"},
    };
    std::string body = "<p>" + escape(landing.value("description", site.description)) + "</p>\n<ul>\n";
    for (const Entry& entry : entries) {
        if (!entry.href.empty()) {
            body += "<li>" + anchor(entry.href, bilingual(entry.text), entry.type) + "</li>\n";
        }
    }
    body += "</ul>\n";
    Page page{plain({"首页", "Home"}),
              escape(landing.value("title", site.title)),
              {crumb(kHome)},
              json_alternates(site.base + "/", false),
              body};
    return render(page, site.title, home(site));
}

std::string conformance_page(const Site& site, const json& conformance) {
    std::string body =
        "<p>" +
        bilingual({"本服务实现的 OGC 标准符合性类别：", "The OGC conformance classes this server implements:"}) +
        "</p>\n<ul>\n";
    for (const json& uri : conformance.value("conformsTo", json::array())) {
        body += "<li><code>" + escape(uri.get<std::string>()) + "</code></li>\n";
    }
    body += "</ul>\n";
    Page page{plain(kConformance),
              bilingual(kConformance),
              {crumb(kHome, home(site)), crumb(kConformance)},
              json_alternates(site.base + "/conformance", false),
              body};
    return render(page, site.title, home(site));
}

std::string collections_page(const Site& site, const json& collections) {
    std::string body = "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"" +
                       escape(plain(kCollections)) + "\">\n<table>\n<caption>" + bilingual(kCollections) +
                       "</caption>\n<thead><tr><th scope=\"col\">" + bilingual({"集合", "Collection"}) +
                       "</th><th scope=\"col\">" + bilingual({"说明", "Description"}) + "</th><th scope=\"col\">" +
                       bilingual(kFeatures) + "</th><th scope=\"col\">" +
                       bilingual({"范围（经纬度）", "Extent (lon/lat)"}) + "</th></tr></thead>\n<tbody>\n";
    for (const json& collection : collections.value("collections", json::array())) {
        const std::string url = collection_url(site, collection);
        body += "<tr><th scope=\"row\">" + anchor(with_format(url, "html"), escape(collection_title(collection))) +
                "<br><code>" + escape(collection.value("id", "")) + "</code></th><td class=\"text\">" +
                escape(collection.value("description", "")) + "</td><td>" +
                anchor(with_format(url + "/items", "html"), bilingual({"浏览", "Browse"})) + "</td><td>" +
                extent_text(collection) + "</td></tr>\n";
    }
    body += "</tbody>\n</table>\n</div>\n";
    Page page{plain(kCollections),
              bilingual(kCollections),
              {crumb(kHome, home(site)), crumb(kCollections)},
              json_alternates(site.base + "/collections", false),
              body};
    return render(page, site.title, home(site));
}

std::string collection_page(const Site& site, const json& collection, const json& fields) {
    const std::string url = collection_url(site, collection);
    const std::string title = collection_title(collection);
    std::string body = "<p>" + escape(collection.value("description", "")) + "</p>\n<ul>\n";
    body += "<li>" + anchor(with_format(url + "/items", "html"), bilingual({"浏览要素", "Browse the features"})) +
            "</li>\n";
    body +=
        "<li>" +
        anchor(url + "/items", bilingual({"全部要素（GeoJSON）", "The features as GeoJSON"}), "application/geo+json") +
        "</li>\n";
    body += "<li>" +
            anchor(url + "/queryables", bilingual({"可查询属性（JSON Schema）", "Queryables (JSON Schema)"}),
                   "application/schema+json") +
            "</li>\n";
    body += "<li>" + anchor(url + "/tiles", bilingual({"矢量瓦片集", "Vector tilesets"}), "application/json") +
            "</li>\n</ul>\n";
    body += "<dl>\n<dt>" + bilingual({"标识", "Identifier"}) + "</dt><dd><code>" + escape(collection.value("id", "")) +
            "</code></dd>\n";
    body +=
        "<dt>" + bilingual({"范围（经纬度）", "Extent (lon/lat)"}) + "</dt><dd>" + extent_text(collection) + "</dd>\n";
    if (collection.contains("extent") && collection["extent"].contains("temporal")) {
        const json& interval = collection["extent"]["temporal"]["interval"][0];
        body += "<dt>" + bilingual({"时间范围", "Time span"}) + "</dt><dd>" +
                escape(interval[0].get<std::string>() + " – " + interval[1].get<std::string>()) + "</dd>\n";
    }
    body += "<dt>" + bilingual({"存储坐标系", "Storage CRS"}) + "</dt><dd><code>" +
            escape(collection.value("storageCrs", "")) + "</code></dd>\n</dl>\n";
    body += "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"" +
            escape(plain({"属性", "Properties"})) + "\">\n<table>\n<caption>" + bilingual({"属性", "Properties"}) +
            "</caption>\n<thead><tr><th scope=\"col\">" + bilingual({"名称", "Name"}) + "</th><th scope=\"col\">" +
            bilingual({"类型", "Type"}) + "</th></tr></thead>\n<tbody>\n";
    for (const json& field : fields) {
        body += "<tr><th scope=\"row\"><code>" + escape(field.value("name", "")) + "</code></th><td>" +
                escape(field.value("type", "")) + "</td></tr>\n";
    }
    body += "</tbody>\n</table>\n</div>\n";
    Page page{title,
              escape(title),
              {crumb(kHome, home(site)), crumb(kCollections, site.base + "/collections?f=html"), {escape(title), {}}},
              json_alternates(url, false),
              body};
    return render(page, site.title, home(site));
}

std::string items_page(const Site& site, const json& collection, const json& features, std::size_t offset, bool crs84) {
    const std::string url = collection_url(site, collection);
    const std::string title = collection_title(collection);
    const json& list = features.value("features", json::array());
    const std::size_t matched = features.value("numberMatched", std::size_t{0});
    std::string body;
    if (list.empty()) {
        body += "<p>" + bilingual({"没有符合条件的要素。", "No feature matches."}) + "</p>\n";
    } else {
        const std::string range = std::to_string(offset + 1) + "–" + std::to_string(offset + list.size());
        body += "<p>" + std::string("<span lang=\"zh-Hans\">共 ") + std::to_string(matched) + " 个要素，本页为第 " +
                range + " 个。</span> <span lang=\"en\">" + std::to_string(matched) +
                " features match; this page shows " + range + ".</span></p>\n";
    }
    std::vector<MapFeature> drawn;
    for (const json& feature : list) {
        if (feature.contains("geometry") && !feature["geometry"].is_null()) {
            drawn.push_back({&feature["geometry"], with_format(url + "/items/" + feature["id"].dump(), "html"),
                             feature_label(feature)});
        }
    }
    if (crs84) {
        body += svg_map(drawn, plain({"本页要素地图", "Map of the features on this page"}) + ": " + title);
    } else if (!drawn.empty()) {
        body += "<p class=\"note\">" + bilingual({"地图仅以 CRS84 显示。", "The map is drawn in CRS84 only."}) + "</p>";
    }
    std::string pager;
    const std::string prev = link_href(features, "prev");
    const std::string next = link_href(features, "next");
    if (!prev.empty() || !next.empty()) {
        pager = "<nav class=\"pager\" aria-label=\"" + escape(plain({"分页", "Pages"})) + "\">";
        if (!prev.empty()) {
            pager += anchor(with_format(prev, "html"),
                            "<span aria-hidden=\"true\">←</span> " + bilingual({"上一页", "Previous page"}));
        }
        if (!next.empty()) {
            pager += anchor(with_format(next, "html"),
                            bilingual({"下一页", "Next page"}) + " <span aria-hidden=\"true\">→</span>");
        }
        pager += "</nav>\n";
    }
    body += pager;
    if (!list.empty()) {
        // Columns: the properties of the first feature (every feature has the same).
        std::vector<std::string> columns;
        const json first = list[0].value("properties", json::object());
        for (const auto& [name, value] : first.items()) {
            columns.push_back(name);
        }
        body += "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"" +
                escape(plain({"要素表", "Feature table"})) + "\">\n<table>\n<caption>" + bilingual(kFeatures) + ": " +
                escape(title) + "</caption>\n<thead><tr><th scope=\"col\">ID</th>";
        for (const std::string& column : columns) {
            body += "<th scope=\"col\"><code>" + escape(column) + "</code></th>";
        }
        body += "</tr></thead>\n<tbody>\n";
        for (const json& feature : list) {
            const std::string id = feature["id"].dump();
            body += "<tr><th scope=\"row\">" + anchor(with_format(url + "/items/" + id, "html"), escape(id)) + "</th>";
            const json& properties = feature.value("properties", json::object());
            for (const std::string& column : columns) {
                const json value = properties.contains(column) ? properties[column] : json();
                const bool long_text = value.is_string() && value.get<std::string>().size() > 60;
                body += std::string(long_text ? "<td class=\"text\">" : "<td>") + value_html(value) + "</td>";
            }
            body += "</tr>\n";
        }
        body += "</tbody>\n</table>\n</div>\n";
        body += pager;
    }
    std::string self = link_href(features, "self");
    Page page{title + " – " + plain(kFeatures),
              escape(title) + " · " + bilingual(kFeatures),
              {crumb(kHome, home(site)),
               crumb(kCollections, site.base + "/collections?f=html"),
               {escape(title), with_format(url, "html")},
               crumb(kFeatures)},
              json_alternates(self.empty() ? url + "/items" : self, true),
              body};
    return render(page, site.title, home(site));
}

std::string item_page(const Site& site, const json& collection, const json& feature, bool crs84) {
    const std::string url = collection_url(site, collection);
    const std::string title = collection_title(collection);
    const std::string label = feature_label(feature);
    const std::string id = feature.contains("id") ? feature["id"].dump() : std::string();
    const json& properties = feature.value("properties", json::object());
    std::string body;
    if (crs84 && feature.contains("geometry") && !feature["geometry"].is_null()) {
        body += svg_map({{&feature["geometry"], with_format(url + "/items/" + id, "html"), label}},
                        plain({"要素位置地图", "Map of the feature"}) + ": " + label);
    } else if (feature.contains("geometry") && feature["geometry"].is_null()) {
        body += "<p class=\"note\">" + bilingual({"此要素没有几何。", "This feature has no geometry."}) + "</p>\n";
    }
    if (has(properties, "geom_quality") || has(properties, "geom_source")) {
        body += "<h2>" + bilingual({"位置来源", "Where the position comes from"}) + "</h2>\n<dl>\n";
        if (has(properties, "geom_quality")) {
            body += "<dt>" + bilingual({"位置可信度", "Position quality"}) + "</dt><dd>" +
                    value_html(properties["geom_quality"]) + "</dd>\n";
        }
        if (has(properties, "geom_source")) {
            body += "<dt>" + bilingual({"几何来源", "Geometry source"}) + "</dt><dd>" +
                    value_html(properties["geom_source"]) + "</dd>\n";
        }
        body += "</dl>\n";
    }
    if (has(properties, "source_quote")) {
        body += "<h2>" + bilingual({"原文", "The source's own words"}) + "</h2>\n<blockquote lang=\"zh-Hans\">" +
                value_html(properties["source_quote"]) + "</blockquote>\n";
    }
    body += "<h2>" + bilingual({"属性", "Attributes"}) + "</h2>\n";
    body += "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"" +
            escape(plain({"属性表", "Attribute table"})) + "\">\n<table>\n<caption>" + escape(label) +
            "</caption>\n<thead><tr><th scope=\"col\">" + bilingual({"属性", "Property"}) + "</th><th scope=\"col\">" +
            bilingual({"值", "Value"}) + "</th></tr></thead>\n<tbody>\n";
    body += "<tr><th scope=\"row\">ID</th><td>" + escape(id) + "</td></tr>\n";
    for (const auto& [name, value] : properties.items()) {
        body += "<tr><th scope=\"row\"><code>" + escape(name) + "</code></th><td class=\"text\">" + value_html(value) +
                "</td></tr>\n";
    }
    body += "</tbody>\n</table>\n</div>\n";
    body +=
        "<p>" +
        anchor(with_format(url + "/items", "html"), bilingual({"该集合的全部要素", "All features of the collection"})) +
        "</p>\n";
    Page page{label,
              escape(label),
              {crumb(kHome, home(site)),
               crumb(kCollections, site.base + "/collections?f=html"),
               {escape(title), with_format(url, "html")},
               crumb(kFeatures, with_format(url + "/items", "html")),
               {escape(id), {}}},
              json_alternates(url + "/items/" + id, true),
              body};
    return render(page, site.title, home(site));
}

}  // namespace regiomap::api::html
