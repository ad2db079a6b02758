#include <gtest/gtest.h>

#include <protozero/pbf_reader.hpp>
#include <protozero/pbf_writer.hpp>

#include "core/feature_store.hpp"
#include "core/tiles/mvt_encoder.hpp"
#include "core/tiles/tiler.hpp"

namespace regiomap {
namespace {

// The examples of the MVT 2.1 specification, section 4.3.5.
TEST(MvtGeometry, SpecPoint) {
    const auto g = TileGeometry::from_parts(TileGeometryType::point, {{{25, 17}}});
    EXPECT_EQ(encode_geometry(g), (std::vector<std::uint32_t>{9, 50, 34}));
}

TEST(MvtGeometry, SpecMultiPoint) {
    const auto g = TileGeometry::from_parts(TileGeometryType::point, {{{5, 7}, {3, 2}}});
    EXPECT_EQ(encode_geometry(g), (std::vector<std::uint32_t>{17, 10, 14, 3, 9}));
}

TEST(MvtGeometry, SpecLinestring) {
    const auto g = TileGeometry::from_parts(TileGeometryType::line, {{{2, 2}, {2, 10}, {10, 10}}});
    EXPECT_EQ(encode_geometry(g), (std::vector<std::uint32_t>{9, 4, 4, 18, 0, 16, 16, 0}));
}

TEST(MvtGeometry, SpecMultiLinestring) {
    const auto g = TileGeometry::from_parts(TileGeometryType::line, {{{2, 2}, {2, 10}, {10, 10}}, {{1, 1}, {3, 5}}});
    EXPECT_EQ(encode_geometry(g), (std::vector<std::uint32_t>{9, 4, 4, 18, 0, 16, 16, 0, 9, 17, 17, 10, 4, 8}));
}

TEST(MvtGeometry, SpecPolygon) {
    const auto g = TileGeometry::from_parts(TileGeometryType::polygon, {{{3, 6}, {8, 12}, {20, 34}}});
    EXPECT_EQ(encode_geometry(g), (std::vector<std::uint32_t>{9, 6, 12, 18, 10, 12, 24, 44, 15}));
}

struct DecodedLayer {
    std::string name;
    std::uint32_t version = 0;
    std::uint32_t extent = 0;
    std::vector<std::string> keys;
    std::size_t values = 0;
    std::vector<std::uint64_t> ids;
};

DecodedLayer decode_single_layer(const std::string& tile) {
    protozero::pbf_reader tile_reader(tile);
    DecodedLayer out;
    int layers = 0;
    while (tile_reader.next(3)) {
        ++layers;
        protozero::pbf_reader layer = tile_reader.get_message();
        while (layer.next()) {
            switch (layer.tag()) {
                case 1:
                    out.name = layer.get_string();
                    break;
                case 2: {
                    protozero::pbf_reader feature = layer.get_message();
                    while (feature.next()) {
                        if (feature.tag() == 1)
                            out.ids.push_back(feature.get_uint64());
                        else
                            feature.skip();
                    }
                    break;
                }
                case 3:
                    out.keys.push_back(layer.get_string());
                    break;
                case 4:
                    layer.skip();
                    ++out.values;
                    break;
                case 5:
                    out.extent = layer.get_uint32();
                    break;
                case 15:
                    out.version = layer.get_uint32();
                    break;
                default:
                    layer.skip();
            }
        }
    }
    EXPECT_EQ(layers, 1);
    return out;
}

const TileGeometry kPoint = TileGeometry::from_parts(TileGeometryType::point, {{{1, 1}}});

TEST(MvtLayer, KeysAndValuesAreSharedAcrossFeatures) {
    MvtValues values;
    const std::uint32_t market = values.intern(std::string("market"));
    const std::uint32_t two = values.intern(std::int64_t{2});
    const std::uint32_t none = values.intern(Value{});
    EXPECT_EQ(none, MvtValues::kNull);
    MvtLayerBuilder builder("sites", 4096, {"kind", "lanes", "note"}, values);
    const std::vector<std::uint32_t> tags{market, two, none};
    builder.add_feature(7, kPoint, tags);
    builder.add_feature(8, kPoint, tags);
    std::string tile;
    builder.append_to(tile);
    DecodedLayer layer = decode_single_layer(tile);
    EXPECT_EQ(layer.name, "sites");
    EXPECT_EQ(layer.version, 2u);
    EXPECT_EQ(layer.extent, 4096u);
    EXPECT_EQ(layer.keys, (std::vector<std::string>{"kind", "lanes"}));  // null "note" left out
    EXPECT_EQ(layer.values, 2u);
    EXPECT_EQ(layer.ids, (std::vector<std::uint64_t>{7, 8}));
}

TEST(MvtLayer, TypedValuesAreDistinct) {
    MvtValues values;
    const std::vector<std::uint32_t> tags{values.intern(std::string("1")), values.intern(std::int64_t{1}),
                                          values.intern(1.0), values.intern(true)};
    EXPECT_EQ(values.size(), 4u);
    MvtLayerBuilder builder("t", 4096, {"a", "b", "c", "d"}, values);
    builder.add_feature(1, kPoint, tags);
    std::string tile;
    builder.append_to(tile);
    EXPECT_EQ(decode_single_layer(tile).values, 4u);
}

// Every feature's properties as (key, encoded Value message) pairs, read
// back through the layer's key and value tables.
std::vector<std::vector<std::pair<std::string, std::string>>> decode_properties(const std::string& tile) {
    protozero::pbf_reader tile_reader(tile);
    std::vector<std::string> keys;
    std::vector<std::string> values;
    std::vector<std::vector<std::uint32_t>> tags;
    EXPECT_TRUE(tile_reader.next(3));
    protozero::pbf_reader layer = tile_reader.get_message();
    while (layer.next()) {
        if (layer.tag() == 2) {
            protozero::pbf_reader feature = layer.get_message();
            tags.emplace_back();
            while (feature.next()) {
                if (feature.tag() == 2) {
                    auto packed = feature.get_packed_uint32();
                    tags.back().assign(packed.begin(), packed.end());
                } else {
                    feature.skip();
                }
            }
        } else if (layer.tag() == 3) {
            keys.push_back(layer.get_string());
        } else if (layer.tag() == 4) {
            values.push_back(layer.get_string());  // the Value message's bytes
        } else {
            layer.skip();
        }
    }
    std::vector<std::vector<std::pair<std::string, std::string>>> out;
    for (const auto& t : tags) {
        out.emplace_back();
        for (std::size_t i = 0; i + 1 < t.size(); i += 2) {
            out.back().emplace_back(keys.at(t[i]), values.at(t[i + 1]));
        }
    }
    return out;
}

std::string encoded(const std::string& text) {
    std::string out;
    protozero::pbf_writer(out).add_string(1, text);
    return out;
}

TEST(MvtValues, EqualValuesShareAnIdAndKeepTheirEncoding) {
    MvtValues values;
    std::vector<std::uint32_t> ids;
    for (int i = 0; i < 5000; ++i) {  // enough to grow the table several times
        ids.push_back(values.intern(std::string("site ") + std::to_string(i)));
    }
    EXPECT_EQ(values.size(), 5000u);
    for (int i = 0; i < 5000; ++i) {
        EXPECT_EQ(values.intern(std::string("site ") + std::to_string(i)), ids[i]);
        EXPECT_EQ(values.encoded(ids[i]), encoded("site " + std::to_string(i)));
    }
    // A date is its ISO text, and shares the text's id.
    EXPECT_EQ(values.intern(Date{0}), values.intern(std::string("1970-01-01")));
    std::string negative;
    protozero::pbf_writer(negative).add_sint64(6, -3);
    EXPECT_EQ(values.encoded(values.intern(std::int64_t{-3})), negative);
    values.finish_interning();
    EXPECT_EQ(values.encoded(ids[4999]), encoded("site 4999"));
}

TEST(MvtLayer, HoldsOnlyTheValuesItsFeaturesUseEachOnce) {
    MvtValues values;
    const std::vector<std::string> kinds{"market", "school", "village"};
    std::vector<std::uint32_t> name_ids;
    for (int i = 0; i < 1000; ++i) {
        name_ids.push_back(values.intern(std::string("site ") + std::to_string(i)));
    }
    MvtLayerBuilder builder("t", 4096, {"name", "kind"}, values);
    for (int i = 0; i < 300; ++i) {
        // Names 0–249, then 0–49 again; three kinds.
        builder.add_feature(i, kPoint,
                            std::vector<std::uint32_t>{name_ids[i < 250 ? i : i - 250], values.intern(kinds[i % 3])});
    }
    std::string tile;
    builder.append_to(tile);
    const auto properties = decode_properties(tile);
    ASSERT_EQ(properties.size(), 300u);
    for (int i = 0; i < 300; ++i) {
        EXPECT_EQ(properties[i], (std::vector<std::pair<std::string, std::string>>{
                                     {"name", encoded("site " + std::to_string(i < 250 ? i : i - 250))},
                                     {"kind", encoded(kinds[i % 3])}}))
            << "feature " << i;
    }
    EXPECT_EQ(decode_single_layer(tile).values, 250u + 3u);
}

TEST(MvtLayer, KeysComeInTheOrderFirstUsed) {
    MvtValues values;
    const std::uint32_t one = values.intern(std::int64_t{1});
    MvtLayerBuilder builder("t", 4096, {"a", "b", "c"}, values);
    builder.add_feature(1, kPoint, std::vector<std::uint32_t>{MvtValues::kNull, MvtValues::kNull, one});
    builder.add_feature(2, kPoint, std::vector<std::uint32_t>{one, MvtValues::kNull, one});
    std::string tile;
    builder.append_to(tile);
    EXPECT_EQ(decode_single_layer(tile).keys, (std::vector<std::string>{"c", "a"}));
    const auto properties = decode_properties(tile);
    ASSERT_EQ(properties.size(), 2u);
    EXPECT_EQ(properties[0], (std::vector<std::pair<std::string, std::string>>{{"c", properties[0].at(0).second}}));
    EXPECT_EQ(properties[1].at(0).first, "a");
    EXPECT_EQ(properties[1].at(1).first, "c");
}

// A collection with a live-update overlay is one layer: the base's
// features but those it hides, and the overlay's with their own values.
TEST(MvtLayer, AnOverlayIsDrawnIntoTheSameLayer) {
    CollectionMeta meta;
    meta.id = "sites";
    meta.fields = {{"status", FieldType::string}};
    std::vector<Feature> features;
    for (int i = 0; i < 5; ++i) {
        Feature f;
        f.id = i + 1;
        f.geometry = Geometry{GeometryType::point, {{117.0 + i * 0.01, 39.0}}, {1}, {}};
        f.properties = {Value{std::string("planned")}};
        features.push_back(std::move(f));
    }
    const Collection base(meta, std::move(features));
    Feature moved;
    moved.id = 2;
    moved.geometry = Geometry{GeometryType::point, {{117.5, 39.5}}, {1}, {}};
    moved.properties = {Value{std::string("moved-overlay-value")}};
    Feature added = moved;
    added.id = 9;
    added.properties = {Value{std::string("planned")}};  // also in the base's table: written twice is fine
    auto live = base.with_changes({moved, added}, {4});
    const Collection* one[] = {live.get()};
    const std::string tile = render_tile(one, TileId{0, 0, 0}, TileOptions{});
    DecodedLayer layer = decode_single_layer(tile);  // one layer named "sites", not two
    EXPECT_EQ(layer.name, "sites");
    std::sort(layer.ids.begin(), layer.ids.end());
    EXPECT_EQ(layer.ids, (std::vector<std::uint64_t>{1, 2, 3, 5, 9}));
    EXPECT_NE(tile.find("moved-overlay-value"), std::string::npos);
    // The same features as the collection rebuilt whole.
    const auto rebuilt = live->compacted();
    const Collection* whole[] = {rebuilt.get()};
    DecodedLayer compacted = decode_single_layer(render_tile(whole, TileId{0, 0, 0}, TileOptions{}));
    std::sort(compacted.ids.begin(), compacted.ids.end());
    EXPECT_EQ(compacted.ids, layer.ids);
}

}  // namespace
}  // namespace regiomap
