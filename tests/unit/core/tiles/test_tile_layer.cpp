// The tiler's view of a collection: features in Hilbert order, mapped back
// to the collection; candidates and tiles in collection order; property
// values interned once.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>

#include <protozero/pbf_reader.hpp>

#include "core/feature_store.hpp"
#include "core/tiles/tiler.hpp"
#include "regiomap_testing/store_builder.hpp"

namespace regiomap {
namespace {

// Points over Tianjin with a name (null for every seventh) and a rank; one
// feature in 50 without geometry. Ids descend, so that id order is not
// collection order.
std::unique_ptr<Collection> random_points(int count, std::uint32_t seed) {
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> lon(117.0, 117.5), lat(39.0, 39.5);
    testing::StoreBuilder builder;
    builder.collection("points", {{"name", FieldType::string}, {"rank", FieldType::integer}});
    for (int i = 0; i < count; ++i) {
        const double x = lon(random);
        const double y = lat(random);
        builder.add(testing::feature(100000 - i, i % 50 == 49 ? Geometry{} : testing::point(x, y),
                                     {i % 7 == 0 ? Value{} : Value{std::string("site ") + std::to_string(i % 300)},
                                      Value{std::int64_t{i % 5}}}));
    }
    return builder.take_collection();
}

double distance(Coord a, Coord b) {
    return std::hypot(a.x - b.x, a.y - b.y);
}

TEST(TileLayer, SlotsLieAlongAHilbertCurveAndMapBackToTheCollection) {
    const auto made = random_points(4000, 1);
    const Collection& c = *made;
    const TileLayer& layer = c.tile_layer();
    ASSERT_EQ(layer.size(), c.size());
    const WebMercatorProjection projection;
    MvtValues encoder;  // the same values interned again, to compare their encodings
    std::set<std::uint32_t> seen;
    double along_slots = 0;
    double along_collection = 0;
    for (std::size_t slot = 0; slot < layer.size(); ++slot) {
        const std::uint32_t position = layer.feature_position(slot);
        ASSERT_LT(position, c.size());
        EXPECT_TRUE(seen.insert(position).second) << "slot " << slot;
        const Feature& feature = c.features()[position];
        EXPECT_EQ(layer.feature_id(slot), feature.id);
        const Geometry projected = projection.project(feature.geometry);
        const GeometryView view = layer.geometry(slot);
        ASSERT_EQ(view.coords.size(), projected.coords.size());
        if (!projected.coords.empty()) {
            EXPECT_EQ(view.coords[0], projected.coords[0]);
        } else {
            EXPECT_GE(slot, layer.size() - c.size() / 50) << "features without geometry come last";
        }
        const auto ids = layer.value_ids(slot);
        ASSERT_EQ(ids.size(), 2u);
        for (std::size_t f = 0; f < 2; ++f) {
            const std::uint32_t expected = encoder.intern(feature.properties[f]);
            if (expected == MvtValues::kNull) {
                EXPECT_EQ(ids[f], MvtValues::kNull);
            } else {
                EXPECT_EQ(layer.values().encoded(ids[f]), encoder.encoded(expected));
            }
        }
        if (slot > 0 && !projected.coords.empty() && !layer.geometry(slot - 1).coords.empty()) {
            along_slots += distance(view.coords[0], layer.geometry(slot - 1).coords[0]);
        }
    }
    for (std::size_t slot = 1; slot < layer.size(); ++slot) {
        const GeometryView a = layer.geometry(slot - 1);
        const GeometryView b = layer.geometry(slot);
        if (!a.coords.empty() && !b.coords.empty()) {
            // The same pairs' distances in collection order, for scale.
            const Geometry pa = projection.project(c.features()[slot - 1].geometry);
            const Geometry pb = projection.project(c.features()[slot].geometry);
            if (!pa.coords.empty() && !pb.coords.empty()) {
                along_collection += distance(pa.coords[0], pb.coords[0]);
            }
        }
    }
    // Neighbours in slot order are near each other; in the (random)
    // collection order they are not.
    EXPECT_LT(along_slots * 10, along_collection);
    // 300 names and 5 ranks, each held once.
    EXPECT_EQ(layer.values().size(), 305u);
}

TEST(TileLayer, CandidatesAreEveryFeatureInTheBoxInCollectionOrder) {
    const auto made = random_points(3000, 2);
    const Collection& c = *made;
    const TileLayer& layer = c.tile_layer();
    const WebMercatorProjection projection;
    std::vector<Coord> corners{{117.2, 39.2}, {117.3, 39.3}};
    projection.project(corners);
    const Box box{corners[0].x, corners[0].y, corners[1].x, corners[1].y};
    std::vector<std::uint32_t> expected;
    for (std::uint32_t i = 0; i < c.size(); ++i) {
        const Geometry projected = projection.project(c.features()[i].geometry);
        if (!projected.empty() && projected.bounds().intersects(box)) {
            expected.push_back(i);
        }
    }
    ASSERT_GT(expected.size(), 50u);
    std::vector<std::uint32_t> found;
    for (std::uint32_t slot : layer.candidates(box, 20)) {
        found.push_back(layer.feature_position(slot));
    }
    EXPECT_EQ(found, expected);
}

TEST(Tiler, WritesFeaturesInCollectionOrderWithTheirProperties) {
    const auto made = random_points(3000, 3);
    const Collection& c = *made;
    const Collection* one[] = {&c};
    const std::string tile = render_tile(one, TileId{9, 422, 195}, TileOptions{});
    ASSERT_FALSE(tile.empty());
    protozero::pbf_reader tile_reader(tile);
    ASSERT_TRUE(tile_reader.next(3));
    protozero::pbf_reader layer = tile_reader.get_message();
    std::vector<std::string> keys;
    std::vector<std::string> values;
    std::vector<std::pair<std::uint64_t, std::vector<std::uint32_t>>> features;
    while (layer.next()) {
        if (layer.tag() == 2) {
            protozero::pbf_reader feature = layer.get_message();
            features.emplace_back();
            while (feature.next()) {
                if (feature.tag() == 1) {
                    features.back().first = feature.get_uint64();
                } else if (feature.tag() == 2) {
                    auto packed = feature.get_packed_uint32();
                    features.back().second.assign(packed.begin(), packed.end());
                } else {
                    feature.skip();
                }
            }
        } else if (layer.tag() == 3) {
            keys.push_back(layer.get_string());
        } else if (layer.tag() == 4) {
            protozero::pbf_reader value = layer.get_message();
            values.emplace_back();
            while (value.next()) {
                if (value.tag() == 1) {
                    values.back() = value.get_string();
                } else if (value.tag() == 5) {
                    values.back() = std::to_string(value.get_uint64());
                } else {
                    value.skip();
                }
            }
        } else {
            layer.skip();
        }
    }
    ASSERT_GT(features.size(), 100u);
    std::set<std::string> distinct(values.begin(), values.end());
    EXPECT_EQ(distinct.size(), values.size()) << "each value once";
    for (std::size_t i = 0; i < features.size(); ++i) {
        const auto& [id, tags] = features[i];
        if (i > 0) {
            EXPECT_LT(id, features[i - 1].first) << "ids descend in collection order";
        }
        const Feature& feature = *c.find(static_cast<std::int64_t>(id));
        std::map<std::string, std::string> decoded;
        for (std::size_t t = 0; t + 1 < tags.size(); t += 2) {
            decoded[keys.at(tags[t])] = values.at(tags[t + 1]);
        }
        std::map<std::string, std::string> wanted{
            {"rank", std::to_string(std::get<std::int64_t>(feature.properties[1]))}};
        if (const auto* name = std::get_if<std::string>(&feature.properties[0])) {
            wanted["name"] = *name;
        }
        EXPECT_EQ(decoded, wanted) << "feature " << id;
    }
}

}  // namespace
}  // namespace regiomap
