#include <gtest/gtest.h>

#include <thread>

#include "core/crs.hpp"

namespace regiomap::crs {
namespace {

TEST(Crs, FindsSupportedUrisOnly) {
    EXPECT_EQ(find("http://www.opengis.net/def/crs/EPSG/0/4490")->proj_id, "EPSG:4490");
    EXPECT_EQ(find(kCrs84Uri), &crs84());
    EXPECT_EQ(find("EPSG:4326"), nullptr);
    EXPECT_EQ(find("http://www.opengis.net/def/crs/EPSG/0/4327"), nullptr);
    EXPECT_NE(supported_list().find("http://www.opengis.net/def/crs/EPSG/0/4548"), std::string::npos);
}

TEST(Crs, EveryTransformationRoundTrips) {
    const Catalog catalog;
    for (const Definition& definition : kSupported) {
        SCOPED_TRACE(definition.proj_id);
        const Transformer transformer(catalog, definition);
        std::vector<Coord> coords{{117.2, 39.2}, {116.8, 39.45}, {117.6, 38.9}};
        const auto original = coords;
        ASSERT_TRUE(transformer.forward(coords));
        ASSERT_TRUE(transformer.inverse(coords));
        for (std::size_t i = 0; i < coords.size(); ++i) {
            EXPECT_NEAR(coords[i].x, original[i].x, 1e-9);
            EXPECT_NEAR(coords[i].y, original[i].y, 1e-9);
        }
    }
}

TEST(Crs, AuthorityAxisOrder) {
    const Catalog catalog;
    std::vector<Coord> lat_lon{{117.2, 39.2}};
    Transformer(catalog, *find("http://www.opengis.net/def/crs/EPSG/0/4326")).forward(lat_lon);
    EXPECT_EQ(lat_lon[0].x, 39.2);
    EXPECT_EQ(lat_lon[0].y, 117.2);
    std::vector<Coord> gauss_kruger{{117.0, 39.0}};  // on the central meridian: easting is the false easting
    Transformer(catalog, *find("http://www.opengis.net/def/crs/EPSG/0/4548")).forward(gauss_kruger);
    EXPECT_NEAR(gauss_kruger[0].y, 500000, 1e-6);
    EXPECT_NEAR(gauss_kruger[0].x, 4318503.985, 1e-3);  // the meridian arc to 39°N on GRS80 (as pyproj gives it)
}

TEST(Crs, WebMercatorClampsThePoles) {
    const Catalog catalog;
    std::vector<Coord> pole{{10, 90}};
    EXPECT_TRUE(Transformer(catalog, *find("http://www.opengis.net/def/crs/EPSG/0/3857")).forward(pole));
    EXPECT_NEAR(pole[0].y, 20037508.342789244, 1e-3);
}

TEST(Crs, OneCatalogServesManyThreads) {
    const Catalog catalog;
    std::vector<std::string> seen(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < seen.size(); ++i) {
        threads.emplace_back([&, i] {
            const Transformer transformer(catalog, kSupported[2 + i % 3]);
            std::vector<Coord> c{{117.2, 39.2}};
            transformer.forward(c);
            seen[i] = catalog.pipeline(kSupported[2 + i % 3]);
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(seen[0], seen[3]);
    EXPECT_NE(seen[0].find("+proj=pipeline"), std::string::npos);
}

}  // namespace
}  // namespace regiomap::crs
