// Synthetic, deterministic inputs for the micro-benchmarks, shaped like the
// data of scripts/bench/generate: road-like random walks, star-shaped
// parcels (some with a hole) and points around Tianjin, with a few fields.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "core/feature_store.hpp"
#include "core/tiles/tile.hpp"

namespace regiomap::bench {

inline constexpr double kMetresPerDegreeLat = 111320.0;
inline const double kMetresPerDegreeLon = 111320.0 * std::cos(39.2 * std::numbers::pi / 180.0);

// The city centre of Tianjin: the tiles the benchmarks cut are the ones that hold it.
inline constexpr double kCentreLon = 117.20;
inline constexpr double kCentreLat = 39.13;

inline TileId tile_at(double lon, double lat, int z) {
    const double n = static_cast<double>(1u << z);
    const double lat_r = lat * std::numbers::pi / 180.0;
    const auto x = static_cast<std::uint32_t>((lon + 180.0) / 360.0 * n);
    const auto y = static_cast<std::uint32_t>(
        (1.0 - std::log(std::tan(lat_r) + 1.0 / std::cos(lat_r)) / std::numbers::pi) / 2.0 * n);
    return {z, x, y};
}

class Generator {
public:
    explicit Generator(std::uint64_t seed) : rng_(seed) {}

    // A position where the data is: Gaussian clusters around urban centres plus a uniform background.
    Coord position() {
        struct Centre {
            double lon, lat, sigma, weight;
        };
        static constexpr Centre centres[] = {{117.20, 39.13, 0.06, 0.30},
                                             {117.13, 39.22, 0.05, 0.15},
                                             {117.68, 39.02, 0.06, 0.15},
                                             {117.04, 39.38, 0.04, 0.08},
                                             {116.93, 38.94, 0.04, 0.06}};
        double pick = uniform(0, 1);
        for (const Centre& c : centres) {
            if (pick < c.weight) {
                return clamp({normal(c.lon, c.sigma * 1.2), normal(c.lat, c.sigma)});
            }
            pick -= c.weight;
        }
        return {uniform(116.71, 117.79), uniform(38.81, 39.59)};
    }

    // A road: a random walk of 8–300 vertices (median 30), 15–60 m steps, gentle turns.
    Geometry road() {
        Geometry g;
        g.type = GeometryType::line_string;
        const int vertices =
            static_cast<int>(std::clamp(std::round(std::exp(normal(std::log(30.0), 0.7))), 8.0, 300.0));
        Coord c = position();
        double heading = uniform(0, 2 * std::numbers::pi);
        g.coords.push_back(c);
        for (int i = 1; i < vertices; ++i) {
            heading += normal(0, 0.12);
            const double step = uniform(15, 60);
            c.x += std::cos(heading) * step / kMetresPerDegreeLon;
            c.y += std::sin(heading) * step / kMetresPerDegreeLat;
            g.coords.push_back(c);
        }
        g.path_ends.push_back(static_cast<std::uint32_t>(g.coords.size()));
        return g;
    }

    // A parcel: a star-shaped ring of 4–12 vertices, 16–300 m across, 30 % of those with 6+ vertices with a
    // hole; exterior counter-clockwise, hole clockwise (RFC 7946), closed rings.
    Geometry parcel() {
        Geometry g;
        g.type = GeometryType::polygon;
        const Coord centre = position();
        const int k = static_cast<int>(uniform_int(4, 12));
        const double radius = std::clamp(std::exp(normal(std::log(25.0), 0.6)), 8.0, 150.0);
        ring(g, centre, k, radius, 0.7, false);
        if (k >= 6 && uniform(0, 1) < 0.3) {
            ring(g, centre, static_cast<int>(uniform_int(4, 6)), radius * 0.3, 0.6, true);
        }
        g.polygon_ends.push_back(static_cast<std::uint32_t>(g.path_ends.size()));
        return g;
    }

    Geometry point() {
        Geometry g;
        g.type = GeometryType::point;
        g.coords.push_back(position());
        g.path_ends.push_back(1);
        return g;
    }

    std::int64_t uniform_int(std::int64_t low, std::int64_t high) {
        return std::uniform_int_distribution<std::int64_t>(low, high)(rng_);
    }
    double uniform(double low, double high) { return std::uniform_real_distribution<double>(low, high)(rng_); }
    double normal(double mean, double sigma) { return std::normal_distribution<double>(mean, sigma)(rng_); }

private:
    static Coord clamp(Coord c) { return {std::clamp(c.x, 116.71, 117.79), std::clamp(c.y, 38.81, 39.59)}; }

    void ring(Geometry& g, Coord centre, int k, double radius, double r_low, bool clockwise) {
        const double rotation = uniform(0, 2 * std::numbers::pi);
        const std::size_t first = g.coords.size();
        for (int i = 0; i < k; ++i) {
            double angle = 2 * std::numbers::pi * (i + uniform(0.1, 0.9)) / k + rotation;
            if (clockwise) {
                angle = -angle;
            }
            const double r = radius * uniform(r_low, 1.0);
            g.coords.push_back({centre.x + std::cos(angle) * r / kMetresPerDegreeLon,
                                centre.y + std::sin(angle) * r / kMetresPerDegreeLat});
        }
        g.coords.push_back(g.coords[first]);
        g.path_ends.push_back(static_cast<std::uint32_t>(g.coords.size()));
    }

    std::mt19937_64 rng_;
};

inline const char* const kRoadNames[] = {"津塘路", "北辰道", "京津公路", "南京路",
                                         "卫津路", "红旗路", "中山路",   "黄河道"};
inline const char* const kRoadClasses[] = {"motorway", "trunk", "primary", "secondary", "tertiary", "residential"};
inline const char* const kLanduse[] = {"residential", "industrial", "commercial", "farmland", "green", "water"};
inline const char* const kKinds[] = {"school", "hospital", "shop", "restaurant", "bus_stop", "bank", "park", "fuel"};

inline std::unique_ptr<Collection> roads(std::size_t n, std::uint64_t seed = 1) {
    Generator gen(seed);
    std::vector<Feature> features(n);
    for (std::size_t i = 0; i < n; ++i) {
        Feature& f = features[i];
        f.id = static_cast<std::int64_t>(i + 1);
        f.geometry = gen.road();
        f.properties = {
            Value{std::string(kRoadNames[gen.uniform_int(0, 7)]) + std::to_string(gen.uniform_int(1, 999)) + "号"},
            Value{std::string(kRoadClasses[gen.uniform_int(0, 5)])}, Value{gen.uniform_int(1, 6)}};
    }
    CollectionMeta meta{"roads",
                        "roads",
                        "",
                        {{"name", FieldType::string}, {"class", FieldType::string}, {"lanes", FieldType::integer}},
                        GeometryType::line_string};
    return std::make_unique<Collection>(std::move(meta), std::move(features));
}

inline std::unique_ptr<Collection> parcels(std::size_t n, std::uint64_t seed = 2) {
    Generator gen(seed);
    std::vector<Feature> features(n);
    for (std::size_t i = 0; i < n; ++i) {
        Feature& f = features[i];
        f.id = static_cast<std::int64_t>(i + 1);
        f.geometry = gen.parcel();
        char code[24];
        std::snprintf(code, sizeof code, "P%07zu", i + 1);
        f.properties = {Value{std::string(code)}, Value{std::string(kLanduse[gen.uniform_int(0, 5)])},
                        Value{std::round(gen.uniform(100, 50000) * 10) / 10}, Value{gen.uniform_int(1990, 2020)}};
    }
    CollectionMeta meta{"parcels",
                        "parcels",
                        "",
                        {{"code", FieldType::string},
                         {"landuse", FieldType::string},
                         {"area_m2", FieldType::real},
                         {"year", FieldType::integer}},
                        GeometryType::polygon};
    return std::make_unique<Collection>(std::move(meta), std::move(features));
}

inline std::unique_ptr<Collection> pois(std::size_t n, std::uint64_t seed = 3) {
    Generator gen(seed);
    std::vector<Feature> features(n);
    for (std::size_t i = 0; i < n; ++i) {
        Feature& f = features[i];
        f.id = static_cast<std::int64_t>(i + 1);
        f.geometry = gen.point();
        f.properties = {Value{"POI " + std::to_string(gen.uniform_int(1, 9999))},
                        Value{std::string(kKinds[gen.uniform_int(0, 7)])}, Value{gen.uniform_int(1, 5)}};
    }
    CollectionMeta meta{"pois",
                        "pois",
                        "",
                        {{"name", FieldType::string}, {"kind", FieldType::string}, {"level", FieldType::integer}},
                        GeometryType::point};
    return std::make_unique<Collection>(std::move(meta), std::move(features));
}

// The 10^5-feature set of the HTTP benchmark (20 % roads, 50 % parcels, 30 % points), built once.
struct Dataset {
    std::unique_ptr<Collection> roads;
    std::unique_ptr<Collection> parcels;
    std::unique_ptr<Collection> pois;
    std::vector<const Collection*> all() const { return {roads.get(), parcels.get(), pois.get()}; }
};

inline const Dataset& dataset_1e5() {
    static const Dataset data{roads(20000), parcels(50000), pois(30000)};
    return data;
}

// The candidates of a tile as the tiler finds them: positions whose EPSG:3857 box meets the tile plus buffer.
inline std::vector<std::uint32_t> candidates(const Collection& c, TileId tile, const TileOptions& options) {
    Box query = tile_bounds(tile);
    const double margin = (query.max_x - query.min_x) * options.buffer / options.extent;
    query = {query.min_x - margin, query.min_y - margin, query.max_x + margin, query.max_y + margin};
    return c.tile_layer().search(query);
}

}  // namespace regiomap::bench
