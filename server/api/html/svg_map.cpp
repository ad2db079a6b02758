#include "api/html/svg_map.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numbers>

#include "api/html/html_writer.hpp"

namespace regiomap::api::html {

namespace {

using json = nlohmann::ordered_json;

constexpr double kWidth = 640;
constexpr double kHeight = 400;
constexpr double kPad = 16;

struct Point {
    double x = 0;
    double y = 0;
};

// Web Mercator without its constants: the shapes keep their proportions.
Point project(const json& position) {
    const double lon = position.at(0).get<double>();
    const double lat = std::clamp(position.at(1).get<double>(), -85.0, 85.0);
    const double r = lat * std::numbers::pi / 180;
    return {lon * std::numbers::pi / 180, -std::log(std::tan(std::numbers::pi / 4 + r / 2))};
}

bool is_position(const json& value) {
    return value.is_array() && value.size() >= 2 && value[0].is_number() && value[1].is_number();
}

template <typename Visit>
void each_position(const json& coordinates, Visit&& visit) {
    if (is_position(coordinates)) {
        visit(coordinates);
    } else if (coordinates.is_array()) {
        for (const json& part : coordinates) {
            each_position(part, visit);
        }
    }
}

std::string number(double value) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, std::round(value * 10) / 10);
    return std::string(buffer, end);
}

class Frame {
public:
    void extend(Point p) {
        min_x_ = std::min(min_x_, p.x);
        max_x_ = std::max(max_x_, p.x);
        min_y_ = std::min(min_y_, p.y);
        max_y_ = std::max(max_y_, p.y);
    }
    bool empty() const { return min_x_ > max_x_; }
    void fit() {
        // A single point, or points on one line, still get a view of about 1 km.
        constexpr double min_span = 1.6e-4;
        const double span_x = std::max(max_x_ - min_x_, min_span);
        const double span_y = std::max(max_y_ - min_y_, min_span);
        scale_ = std::min((kWidth - 2 * kPad) / span_x, (kHeight - 2 * kPad) / span_y);
        offset_x_ = kWidth / 2 - (min_x_ + max_x_) / 2 * scale_;
        offset_y_ = kHeight / 2 - (min_y_ + max_y_) / 2 * scale_;
    }
    std::string xy(const json& position) const {
        const Point p = project(position);
        return number(p.x * scale_ + offset_x_) + "," + number(p.y * scale_ + offset_y_);
    }
    std::string circle(const json& position) const {
        const Point p = project(position);
        return "<circle class=\"p\" cx=\"" + number(p.x * scale_ + offset_x_) + "\" cy=\"" +
               number(p.y * scale_ + offset_y_) + "\" r=\"5\"/>";
    }

private:
    double min_x_ = std::numeric_limits<double>::infinity();
    double max_x_ = -std::numeric_limits<double>::infinity();
    double min_y_ = std::numeric_limits<double>::infinity();
    double max_y_ = -std::numeric_limits<double>::infinity();
    double scale_ = 1;
    double offset_x_ = 0;
    double offset_y_ = 0;
};

std::string path_data(const Frame& frame, const json& rings) {
    std::string d;
    for (const json& ring : rings) {
        bool first = true;
        for (const json& position : ring) {
            d.push_back(first ? 'M' : 'L');
            d.append(frame.xy(position));
            first = false;
        }
        d += "Z";
    }
    return d;
}

std::string line_points(const Frame& frame, const json& line) {
    std::string points;
    for (const json& position : line) {
        if (!points.empty()) {
            points.push_back(' ');
        }
        points.append(frame.xy(position));
    }
    return points;
}

std::string shapes(const Frame& frame, const json& geometry) {
    const std::string type = geometry.value("type", "");
    const json& c = geometry.at("coordinates");
    std::string out;
    if (type == "Point") {
        out += frame.circle(c);
    } else if (type == "MultiPoint") {
        for (const json& position : c) {
            out += frame.circle(position);
        }
    } else if (type == "LineString") {
        out += "<polyline class=\"l\" points=\"" + line_points(frame, c) + "\"/>";
    } else if (type == "MultiLineString") {
        for (const json& line : c) {
            out += "<polyline class=\"l\" points=\"" + line_points(frame, line) + "\"/>";
        }
    } else if (type == "Polygon") {
        out += "<path class=\"a\" d=\"" + path_data(frame, c) + "\"/>";
    } else if (type == "MultiPolygon") {
        std::string d;
        for (const json& polygon : c) {
            d += path_data(frame, polygon);
        }
        out += "<path class=\"a\" d=\"" + d + "\"/>";
    }
    return out;
}

}  // namespace

std::string svg_map(const std::vector<MapFeature>& features, const std::string& accessible_name) {
    Frame frame;
    for (const MapFeature& feature : features) {
        if (feature.geometry && feature.geometry->is_object() && feature.geometry->contains("coordinates")) {
            each_position(feature.geometry->at("coordinates"), [&](const json& p) { frame.extend(project(p)); });
        }
    }
    if (frame.empty()) {
        return {};
    }
    frame.fit();
    std::string out = "<svg class=\"map\" viewBox=\"0 0 " + number(kWidth) + " " + number(kHeight) +
                      "\" role=\"group\" aria-label=\"" + escape(accessible_name) +
                      "\" xmlns=\"http://www.w3.org/2000/svg\">"
                      "<style>.a{fill:#3e7cb1;fill-opacity:.25;stroke:#1d4f7c;stroke-width:1.5;fill-rule:evenodd}"
                      ".l{fill:none;stroke:#c2410c;stroke-width:2.5}.p{fill:#b91c1c;stroke:#fff;stroke-width:1.5}"
                      "a:focus .a,a:focus .l,a:focus .p,a:hover .a,a:hover .l,a:hover .p{stroke:#000;stroke-width:3}"
                      "</style>";
    for (const MapFeature& feature : features) {
        if (!feature.geometry || !feature.geometry->is_object() || !feature.geometry->contains("coordinates")) {
            continue;
        }
        const std::string drawn = shapes(frame, *feature.geometry);
        if (drawn.empty()) {
            continue;
        }
        out += "<a href=\"" + escape(feature.href) + "\"><title>" + escape(feature.label) + "</title>" + drawn + "</a>";
    }
    out += "</svg>";
    return out;
}

}  // namespace regiomap::api::html
