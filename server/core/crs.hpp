#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/geometry.hpp"

// Coordinate reference systems for OGC API – Features Part 2: the CRSs a
// client may ask for, and transformations between them and CRS84 (the
// store's own) through PROJ, in each CRS's authority axis order (EPSG:4326
// and EPSG:4490 are latitude first, EPSG:4548 northing first).
namespace regiomap::crs {

struct Definition {
    std::string_view uri;      // as clients name it: http://www.opengis.net/def/crs/EPSG/0/4326
    std::string_view proj_id;  // as PROJ names it: EPSG:4326
    std::string_view title;
    bool geographic = true;
    // Web Mercator has no finite y at the poles: latitudes are clamped to
    // this before transforming (0: none).
    double max_latitude = 0;
};

inline constexpr std::string_view kCrs84Uri = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

inline constexpr Definition kSupported[] = {
    {kCrs84Uri, "OGC:CRS84", "WGS 84, longitude/latitude (CRS84)", true, 0},
    {"http://www.opengis.net/def/crs/EPSG/0/4326", "EPSG:4326", "WGS 84, latitude/longitude", true, 0},
    {"http://www.opengis.net/def/crs/EPSG/0/3857", "EPSG:3857", "WGS 84 / Pseudo-Mercator, easting/northing (metres)",
     false, 85.05112877980659},
    {"http://www.opengis.net/def/crs/EPSG/0/4490", "EPSG:4490",
     "China Geodetic Coordinate System 2000 (CGCS2000), latitude/longitude", true, 0},
    {"http://www.opengis.net/def/crs/EPSG/0/4548", "EPSG:4548",
     "CGCS2000 / 3-degree Gauss-Kruger CM 117E, northing/easting (metres)", false, 0},
};

const Definition& crs84();

// The supported CRS a URI names; nullopt for any other.
const Definition* find(std::string_view uri);

// "a, b, c": the supported URIs, for error messages.
std::string supported_list();

// The PROJ pipelines from CRS84 to each supported CRS. Choosing a
// transformation is a database search in PROJ (0.02–0.3 s); it is done
// once per CRS and process, and kept as a PROJ string, from which a
// Transformer is made in 0.1 ms. Safe to use from many threads.
class Catalog {
public:
    Catalog() = default;
    Catalog(const Catalog&) = delete;
    Catalog& operator=(const Catalog&) = delete;

    // The pipeline CRS84 → `target`; "" for CRS84 itself. Throws Error
    // (internal) when PROJ has no transformation.
    std::string pipeline(const Definition& target) const;

private:
    mutable std::mutex mutex_;
    mutable std::map<std::string_view, std::string> pipelines_;
};

// One transformation between CRS84 and a supported CRS, with its own PROJ
// context: use it from one thread at a time (one per request).
class Transformer {
public:
    Transformer(const Catalog& catalog, const Definition& target);
    ~Transformer();
    Transformer(const Transformer&) = delete;
    Transformer& operator=(const Transformer&) = delete;

    const Definition& target() const { return target_; }
    bool identity() const { return !pj_; }

    // CRS84 → target, in place. False when a coordinate has no finite
    // value in the target (outside the projection's domain).
    bool forward(std::span<Coord> coords) const;
    // Target → CRS84, in place; false as above.
    bool inverse(std::span<Coord> coords) const;

private:
    struct Handles;
    const Definition& target_;
    std::unique_ptr<Handles> pj_;
};

}  // namespace regiomap::crs
