// Geometries as data sources store them, fed through the loader's door into
// the store and the tiler: the input is WKB (ISO or extended, any type GDAL
// reads: curves, TINs, collections, Z/M, NaN, empty members), parsed by
// OGRGeometryFactory, cleaned by clean_geometry (one input in three first
// transformed from EPSG:3857), then stored in a Collection beside a small
// polygon (so that a read past the geometry's bookkeeping lands in another
// feature's, as in the arena), written as GeoJSON and cut into tiles from
// z0 to z14. Checked: a clean geometry keeps every promise of
// geometry_flaw, its GeoJSON is strict JSON (no NaN), and every tile is
// well-formed MVT with coordinates within the buffered tile.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <protozero/pbf_reader.hpp>

#include "core/clean_geometry.hpp"
#include "core/feature_store.hpp"
#include "core/geojson_writer.hpp"
#include "core/tiles/tiler.hpp"

namespace {

using namespace regiomap;

#define check(condition) check_that((condition), #condition, __LINE__)

void check_that(bool ok, const char* what, int line) {
    if (!ok) {
        std::fprintf(stderr, "WKB pipeline violation at line %d: %s\n", line, what);
        std::abort();
    }
}

const OGRCoordinateTransformation& from_web_mercator() {
    static const gdal::TransformPtr transform = [] {
        OGRSpatialReference mercator;
        mercator.importFromEPSG(3857);
        OGRSpatialReference crs84;
        crs84.SetWellKnownGeogCS("WGS84");
        crs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        return gdal::TransformPtr{OGRCreateCoordinateTransformation(&mercator, &crs84)};
    }();
    check(transform != nullptr);
    return *transform;
}

std::int64_t zigzag_decode(std::uint32_t n) {
    return static_cast<std::int64_t>(n >> 1) ^ -static_cast<std::int64_t>(n & 1);
}

// Every layer and feature decodes; geometry commands are whole and stay
// within the buffered tile.
void validate_tile(const std::string& tile, const TileOptions& options) {
    protozero::pbf_reader tile_reader(tile);
    while (tile_reader.next(3)) {
        protozero::pbf_reader layer = tile_reader.get_message();
        while (layer.next()) {
            if (layer.tag() != 2) {
                layer.skip();
                continue;
            }
            protozero::pbf_reader feature = layer.get_message();
            while (feature.next()) {
                if (feature.tag() != 4) {
                    feature.skip();
                    continue;
                }
                auto packed = feature.get_packed_uint32();
                std::vector<std::uint32_t> commands(packed.begin(), packed.end());
                check(!commands.empty());
                const std::int64_t low = -static_cast<std::int64_t>(options.buffer);
                const std::int64_t high = options.extent + options.buffer;
                std::int64_t x = 0;
                std::int64_t y = 0;
                for (std::size_t i = 0; i < commands.size();) {
                    const std::uint32_t id = commands[i] & 0x7;
                    const std::uint32_t count = commands[i] >> 3;
                    ++i;
                    check(id == 1 || id == 2 || id == 7);
                    check(count > 0);
                    if (id == 7) {
                        check(count == 1);
                        continue;
                    }
                    check(i + 2 * std::size_t{count} <= commands.size());
                    for (std::uint32_t k = 0; k < count; ++k, i += 2) {
                        x += zigzag_decode(commands[i]);
                        y += zigzag_decode(commands[i + 1]);
                        check(x >= low && x <= high && y >= low && y <= high);
                    }
                }
            }
        }
    }
}

TileId tile_at(Coord lonlat, int z) {
    const double lat = std::clamp(lonlat.y, -85.05, 85.05) * M_PI / 180;
    const std::uint32_t n = 1u << z;
    const auto x = static_cast<std::uint32_t>(std::clamp((lonlat.x + 180) / 360 * n, 0.0, n - 1.0));
    const auto y = static_cast<std::uint32_t>(
        std::clamp((1 - std::log(std::tan(lat) + 1 / std::cos(lat)) / M_PI) / 2 * n, 0.0, n - 1.0));
    return {z, x, y};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool quiet = [] {
        CPLSetErrorHandler(CPLQuietErrorHandler);
        return true;
    }();
    (void)quiet;

    OGRGeometry* parsed = nullptr;
    std::size_t consumed = 0;
    if (OGRGeometryFactory::createFromWkb(data, nullptr, &parsed, size, wkbVariantIso, consumed) != OGRERR_NONE) {
        return 0;
    }
    CleanGeometry clean = clean_geometry(gdal::GeometryPtr{parsed}, size % 3 == 0 ? &from_web_mercator() : nullptr);
    check(clean.geometry.has_value() != clean.rejection.has_value());
    if (!clean.geometry) {
        check(!clean.problem.empty());
        return 0;
    }
    const Geometry& geometry = *clean.geometry;
    check(!geometry_flaw(geometry));
    check(!geometry.empty());

    Feature first;
    first.id = 1;
    first.geometry = geometry;
    Feature second;
    second.id = 2;
    second.geometry.type = GeometryType::polygon;
    second.geometry.coords = {{0, 0}, {1, 0}, {1, 1}, {0, 0}};
    second.geometry.path_ends = {4};
    second.geometry.polygon_ends = {1};
    std::vector<Feature> features;
    features.push_back(std::move(first));
    features.push_back(std::move(second));
    const Collection collection(CollectionMeta{"fuzz", "fuzz", "", {}, {}}, std::move(features));

    JsonBuffer buffer;
    JsonWriter json(buffer);
    write_geometry(json, collection.features()[0].geometry);
    rapidjson::Document document;
    document.Parse(buffer.GetString(), buffer.GetSize());
    check(!document.HasParseError());
    check(document.IsObject() && document.HasMember("coordinates"));

    const TileOptions options;
    const Collection* layers[] = {&collection};
    for (int z : {0, 3, 8, 14}) {
        for (const Coord& at : {geometry.coords.front(), geometry.coords.back()}) {
            validate_tile(render_tile(layers, tile_at(at, z), options), options);
        }
    }
    return 0;
}
