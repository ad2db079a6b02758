#include <gtest/gtest.h>

#include <protozero/pbf_reader.hpp>
#include <protozero/pbf_writer.hpp>

#include "core/tiles/mvt_encoder.hpp"

namespace regiomap {
namespace {

// The examples of the MVT 2.1 specification, section 4.3.5.
TEST(MvtGeometry, SpecPoint) {
    TileGeometry g{TileGeometryType::point, {{{25, 17}}}};
    EXPECT_EQ(encode_geometry(g), (std::vector<std::uint32_t>{9, 50, 34}));
}

TEST(MvtGeometry, SpecMultiPoint) {
    TileGeometry g{TileGeometryType::point, {{{5, 7}, {3, 2}}}};
    EXPECT_EQ(encode_geometry(g), (std::vector<std::uint32_t>{17, 10, 14, 3, 9}));
}

TEST(MvtGeometry, SpecLinestring) {
    TileGeometry g{TileGeometryType::line, {{{2, 2}, {2, 10}, {10, 10}}}};
    EXPECT_EQ(encode_geometry(g), (std::vector<std::uint32_t>{9, 4, 4, 18, 0, 16, 16, 0}));
}

TEST(MvtGeometry, SpecMultiLinestring) {
    TileGeometry g{TileGeometryType::line, {{{2, 2}, {2, 10}, {10, 10}}, {{1, 1}, {3, 5}}}};
    EXPECT_EQ(encode_geometry(g), (std::vector<std::uint32_t>{9, 4, 4, 18, 0, 16, 16, 0, 9, 17, 17, 10, 4, 8}));
}

TEST(MvtGeometry, SpecPolygon) {
    TileGeometry g{TileGeometryType::polygon, {{{3, 6}, {8, 12}, {20, 34}}}};
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

TEST(MvtLayer, KeysAndValuesAreSharedAcrossFeatures) {
    MvtLayerBuilder builder("sites", 4096);
    Value market{std::string("market")}, two{std::int64_t{2}}, none{};
    TileGeometry point{TileGeometryType::point, {{{1, 1}}}};
    builder.add_feature(7, point, {{"kind", &market}, {"lanes", &two}, {"note", &none}});
    builder.add_feature(8, point, {{"kind", &market}, {"lanes", &two}, {"note", &none}});
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
    MvtLayerBuilder builder("t", 4096);
    Value text{std::string("1")}, integer{std::int64_t{1}}, real{1.0}, flag{true};
    TileGeometry point{TileGeometryType::point, {{{1, 1}}}};
    builder.add_feature(1, point, {{"a", &text}, {"b", &integer}, {"c", &real}, {"d", &flag}});
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

TEST(MvtLayer, NearlyUniqueValuesStopBeingDeduplicatedAndStayRight) {
    MvtLayerBuilder builder("t", 4096);
    const std::vector<std::string> kinds{"market", "school", "village"};
    std::vector<Value> names;
    std::vector<Value> kind_values;
    for (int i = 0; i < 300; ++i) {
        // Unique names, except that late features repeat early ones (after
        // the name key has stopped being looked up).
        names.emplace_back("site " + std::to_string(i < 250 ? i : i - 250));
        kind_values.emplace_back(kinds[i % 3]);
    }
    TileGeometry point{TileGeometryType::point, {{{1, 1}}}};
    for (int i = 0; i < 300; ++i) {
        builder.add_feature(i, point, {{"name", &names[i]}, {"kind", &kind_values[i]}});
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
    // The kinds stay shared; the names are written as they come.
    EXPECT_EQ(decode_single_layer(tile).values, 300u + 3u);
}

TEST(MvtLayer, KeysFollowTheirNamesNotTheirPosition) {
    MvtLayerBuilder builder("t", 4096);
    Value one{std::int64_t{1}};
    TileGeometry point{TileGeometryType::point, {{{1, 1}}}};
    std::string reused = "a";  // the same buffer, another name
    builder.add_feature(1, point, {{reused, &one}});
    reused = "b";
    builder.add_feature(2, point, {{reused, &one}});
    std::string tile;
    builder.append_to(tile);
    const auto properties = decode_properties(tile);
    ASSERT_EQ(properties.size(), 2u);
    EXPECT_EQ(properties[0].at(0).first, "a");
    EXPECT_EQ(properties[1].at(0).first, "b");
}

}  // namespace
}  // namespace regiomap
