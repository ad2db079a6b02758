// The tile pipeline fed random geometries: the input is read as a geometry
// type, a tile and a stream of coordinates; the result is encoded as an MVT
// layer, decoded again with protozero, and validated: commands well formed,
// coordinates within the buffered tile, lines without zero-length moves,
// polygons with the MVT winding (first ring exterior), no ring under 3
// points or with zero area, and valid as polygons (GEOS).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <protozero/pbf_reader.hpp>

#include "core/geos_handles.hpp"
#include "core/tiles/mvt_encoder.hpp"
#include "core/tiles/tile_geometry.hpp"
#include "regiomap_testing/grid_validity.hpp"

namespace {

using namespace regiomap;

class Input {
public:
    Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    bool empty() const { return pos_ >= size_; }
    std::uint8_t byte() { return empty() ? 0 : data_[pos_++]; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

std::int64_t zigzag_decode(std::uint32_t n) {
    return static_cast<std::int64_t>(n >> 1) ^ -static_cast<std::int64_t>(n & 1);
}

#define check(condition) check_that((condition), #condition, __LINE__)

void check_that(bool ok, const char* what, int line) {
    if (!ok) {
        std::fprintf(stderr, "tile pipeline violation at line %d: %s\n", line, what);
        std::abort();
    }
}

// Decodes the single feature of the single layer and validates it.
void validate(const std::string& tile, TileGeometryType type, const TileOptions& options, const geos::Context& geos) {
    protozero::pbf_reader tile_reader(tile);
    check(tile_reader.next(3));
    protozero::pbf_reader layer = tile_reader.get_message();
    std::vector<std::uint32_t> commands;
    int features = 0;
    while (layer.next()) {
        if (layer.tag() == 2) {
            ++features;
            protozero::pbf_reader feature = layer.get_message();
            while (feature.next()) {
                if (feature.tag() == 4) {
                    auto packed = feature.get_packed_uint32();
                    commands.assign(packed.begin(), packed.end());
                } else if (feature.tag() == 3) {
                    check(feature.get_enum() == static_cast<int>(type));
                } else {
                    feature.skip();
                }
            }
        } else {
            layer.skip();
        }
    }
    check(features == 1 && !commands.empty());

    const std::int64_t low = -static_cast<std::int64_t>(options.buffer);
    const std::int64_t high = options.extent + options.buffer;
    std::int64_t x = 0;
    std::int64_t y = 0;
    std::vector<std::vector<std::pair<std::int64_t, std::int64_t>>> parts;
    std::size_t i = 0;
    while (i < commands.size()) {
        const std::uint32_t id = commands[i] & 7;
        const std::uint32_t count = commands[i] >> 3;
        ++i;
        check(id == 1 || id == 2 || id == 7);
        if (id == 7) {
            check(type == TileGeometryType::polygon && count == 1 && !parts.empty());
            continue;
        }
        check(count > 0 && i + 2 * count <= commands.size());
        for (std::uint32_t k = 0; k < count; ++k) {
            std::int64_t dx = zigzag_decode(commands[i++]);
            std::int64_t dy = zigzag_decode(commands[i++]);
            if (id == 2) {
                check(dx != 0 || dy != 0);  // no zero-length moves
            }
            x += dx;
            y += dy;
            check(x >= low && x <= high && y >= low && y <= high);
            if (id == 1 && type != TileGeometryType::point) {
                parts.emplace_back();
            }
            if (type != TileGeometryType::point) {
                parts.back().emplace_back(x, y);
            }
        }
    }
    if (type != TileGeometryType::polygon) {
        for (const auto& part : parts) {
            check(part.size() >= 2);
        }
        return;
    }
    // Polygons: signed areas, then GEOS validity of the rebuilt multipolygon.
    std::vector<std::vector<GridPoint>> rings;
    bool first = true;
    for (const auto& ring : parts) {
        check(ring.size() >= 3);
        std::int64_t area = 0;
        for (std::size_t k = 0; k < ring.size(); ++k) {
            const auto& a = ring[k];
            const auto& b = ring[(k + 1) % ring.size()];
            area += a.first * b.second - b.first * a.second;
        }
        check(area != 0);
        check(!first || area > 0);
        first = false;
        auto& grid = rings.emplace_back();
        for (const auto& [ring_x, ring_y] : ring) {
            grid.push_back({static_cast<std::int32_t>(ring_x), static_cast<std::int32_t>(ring_y)});
        }
    }
    if (const std::string verdict = testing::grid_polygon_validity(geos, rings); verdict != "Valid Geometry") {
        std::fprintf(stderr, "invalid polygon in the tile: %s\n", verdict.c_str());
        check(false);
    }
}

// The loader repairs invalid polygons before anything is tiled, so the
// pipeline's contract covers valid (multi)polygons only: every ring a polygon
// of its own, and the polygons must not overlap.
bool valid_multipolygon(const geos::Context& geos, const Geometry& g) {
    std::vector<GEOSGeometry*> polygons;
    for (std::size_t r = 0; r < g.path_count(); ++r) {
        auto ring = g.path(r);
        GEOSCoordSequence* sequence = GEOSCoordSeq_create_r(geos.get(), static_cast<unsigned>(ring.size()), 2);
        for (std::size_t k = 0; k < ring.size(); ++k) {
            GEOSCoordSeq_setXY_r(geos.get(), sequence, static_cast<unsigned>(k), ring[k].x, ring[k].y);
        }
        GEOSGeometry* shell = GEOSGeom_createLinearRing_r(geos.get(), sequence);
        if (shell) {
            polygons.push_back(GEOSGeom_createPolygon_r(geos.get(), shell, nullptr, 0));
        }
    }
    auto multi = geos::own(geos, GEOSGeom_createCollection_r(geos.get(), GEOS_MULTIPOLYGON, polygons.data(),
                                                             static_cast<unsigned>(polygons.size())));
    return multi && polygons.size() == g.path_count() && GEOSisValid_r(geos.get(), multi.get()) == 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const geos::Context geos;
    Input in(data, size);
    const std::uint8_t kind = in.byte() % 3;
    const TileId tile{10, 845, 390};
    const TileOptions options;
    // Coordinates: a ring/line of up to 64 points spread over about three
    // tiles around the test tile, so that clipping is exercised.
    Geometry g;
    const int parts = 1 + in.byte() % 3;
    TileTransform to_grid(tile, options.extent);
    for (int p = 0; p < parts && !in.empty(); ++p) {
        const int n = kind == 0 ? 1 : 2 + in.byte() % 62;
        std::vector<Coord> path;
        for (int k = 0; k < n; ++k) {
            const double gx = (static_cast<double>(in.u16()) - 16384.0) / 4.0;  // -4096 .. 12288 grid units
            const double gy = (static_cast<double>(in.u16()) - 16384.0) / 4.0;
            path.push_back({to_grid.origin_x + gx / to_grid.scale, to_grid.origin_y - gy / to_grid.scale});
        }
        if (kind == 2) {
            if (path.size() < 3) {
                continue;
            }
            path.push_back(path.front());
        }
        g.coords.insert(g.coords.end(), path.begin(), path.end());
        g.path_ends.push_back(static_cast<std::uint32_t>(g.coords.size()));
        if (kind == 2) {
            g.polygon_ends.push_back(static_cast<std::uint32_t>(g.path_ends.size()));  // each ring its own polygon
        }
    }
    if (g.coords.empty()) {
        return 0;
    }
    g.type = kind == 0   ? GeometryType::multi_point
             : kind == 1 ? GeometryType::multi_line_string
                         : GeometryType::multi_polygon;
    if (kind == 2 && !valid_multipolygon(geos, g)) {
        return 0;
    }
    auto cut = make_tile_geometry(g, tile, options, geos);
    if (!cut) {
        return 0;
    }
    MvtValues values;
    const std::vector<std::uint32_t> tags{values.intern(std::string("x"))};
    MvtLayerBuilder layer("fuzz", options.extent, {"name"}, values);
    layer.add_feature(1, *cut, tags);
    std::string encoded;
    layer.append_to(encoded);
    const TileGeometryType expected = kind == 0   ? TileGeometryType::point
                                      : kind == 1 ? TileGeometryType::line
                                                  : TileGeometryType::polygon;
    validate(encoded, expected, options, geos);
    return 0;
}
