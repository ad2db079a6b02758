#include "core/archive/tile_archive.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/archive/mbtiles_reader.hpp"
#include "core/archive/pmtiles_reader.hpp"

namespace regiomap {

std::unique_ptr<TileArchive> open_tile_archive(const std::string& path, const ByteTransform& gunzip) {
    char start[7] = {};
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error::data_source("cannot open the tile archive " + path + ": " + std::strerror(errno));
    }
    in.read(start, sizeof start);
    if (std::string_view(start, static_cast<std::size_t>(in.gcount())) == "PMTiles") {
        return std::make_unique<PmtilesArchive>(path, gunzip);
    }
    if (path.ends_with(".pmtiles")) {
        return std::make_unique<PmtilesArchive>(path, gunzip);  // refuses it with the reason
    }
    return std::make_unique<MbtilesArchive>(path);
}

}  // namespace regiomap
