#include "core/archive/pmtiles_reader.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <rapidjson/document.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.hpp"

namespace regiomap {

MappedFile::MappedFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw Error::data_source("cannot open " + path + ": " + std::strerror(errno));
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        const int error = errno;
        ::close(fd);
        throw Error::data_source("cannot read " + path + ": " + std::strerror(error));
    }
    size_ = static_cast<std::size_t>(info.st_size);
    if (size_ > 0) {
        void* mapped = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, fd, 0);
        if (mapped == MAP_FAILED) {
            const int error = errno;
            ::close(fd);
            throw Error::data_source("cannot map " + path + ": " + std::strerror(error));
        }
        data_ = static_cast<const char*>(mapped);
    }
    ::close(fd);  // the mapping keeps the file
}

MappedFile::~MappedFile() {
    if (data_) {
        ::munmap(const_cast<char*>(data_), size_);
    }
}

namespace {

std::string inflate_section(const ByteTransform& gunzip, pmtiles::Compression compression, std::string_view bytes,
                            const std::string& what) {
    if (compression == pmtiles::Compression::none) {
        return std::string(bytes);
    }
    if (compression != pmtiles::Compression::gzip) {
        throw Error::data_source("PMTiles internal compression " + std::string(pmtiles::compression_name(compression)) +
                                 " is not supported (gzip or none)");
    }
    std::string out = gunzip(bytes);
    if (out.empty()) {
        throw Error::data_source("the " + what + " does not decompress (gzip)");
    }
    return out;
}

}  // namespace

PmtilesArchive::PmtilesArchive(const std::string& path, const ByteTransform& gunzip)
    : path_(path), file_(path), gunzip_(gunzip) {
    auto refuse = [&](const std::string& why) { return Error::data_source(path_ + ": " + why); };
    try {
        header_ = pmtiles::decode_header(file_.bytes());
    } catch (const Error& error) {
        throw refuse(error.what());
    }
    if (header_.tile_type != pmtiles::TileType::mvt) {
        throw refuse("holds tiles of type " + std::to_string(static_cast<int>(header_.tile_type)) +
                     "; only vector tiles (MVT, type 1) are served");
    }
    if (header_.tile_compression != pmtiles::Compression::gzip &&
        header_.tile_compression != pmtiles::Compression::none) {
        throw refuse("tiles are compressed with " + std::string(pmtiles::compression_name(header_.tile_compression)) +
                     "; only gzip or uncompressed tiles are served");
    }
    if (header_.min_zoom > header_.max_zoom || header_.max_zoom > kMaxTileZoom) {
        throw refuse("zooms " + std::to_string(header_.min_zoom) + "–" + std::to_string(header_.max_zoom) +
                     " are not a range within 0–" + std::to_string(kMaxTileZoom));
    }
    try {
        root_ = pmtiles::decode_directory(
            inflate_section(gunzip_, header_.internal_compression,
                            section(header_.root_offset, header_.root_length, "root directory"), "root directory"));
        check_entries(root_, false);
        leaves_ = std::make_unique<Leaf[]>(root_.size());
        for (const pmtiles::Entry& entry : root_) {
            if (entry.run_length == 0) {
                check_entries(leaf(entry), true);
            }
        }
        description_.metadata_json =
            inflate_section(gunzip_, header_.internal_compression,
                            section(header_.metadata_offset, header_.metadata_length, "metadata"), "metadata");
    } catch (const Error& error) {
        throw refuse(error.what());
    }
    if (description_.metadata_json.empty()) {
        description_.metadata_json = "{}";
    }
    rapidjson::Document metadata;
    metadata.Parse(description_.metadata_json.data(), description_.metadata_json.size());
    if (metadata.HasParseError() || !metadata.IsObject()) {
        throw refuse("the metadata is not a JSON object");
    }
    description_.format = "pmtiles";
    description_.min_zoom = header_.min_zoom;
    description_.max_zoom = header_.max_zoom;
    description_.has_bounds = header_.min_lon < header_.max_lon && header_.min_lat < header_.max_lat;
    description_.min_lon = header_.min_lon;
    description_.min_lat = header_.min_lat;
    description_.max_lon = header_.max_lon;
    description_.max_lat = header_.max_lat;
    description_.has_center = description_.has_bounds;
    description_.center_lon = header_.center_lon;
    description_.center_lat = header_.center_lat;
    description_.center_zoom = header_.center_zoom;
}

std::string_view PmtilesArchive::section(std::uint64_t offset, std::uint64_t length, const char* what) const {
    const std::uint64_t size = file_.bytes().size();
    if (offset > size || length > size - offset) {
        throw Error::data_source(std::string("truncated: the ") + what + " (bytes " + std::to_string(offset) + "–" +
                                 std::to_string(offset + length) + ") is beyond the end of the file (" +
                                 std::to_string(size) + " bytes)");
    }
    return file_.bytes().substr(offset, length);
}

void PmtilesArchive::check_entries(const std::vector<pmtiles::Entry>& entries, bool in_leaf) const {
    for (const pmtiles::Entry& entry : entries) {
        if (entry.run_length == 0) {
            if (in_leaf) {
                throw Error::data_source("leaf directories nested more than one level deep are not supported");
            }
            section(header_.leaves_offset + entry.offset, entry.length, "leaf directory");
            if (entry.offset + entry.length > header_.leaves_length) {
                throw Error::data_source("a leaf directory lies outside the leaf directory section");
            }
        } else {
            if (entry.offset + entry.length > header_.tile_data_length) {
                throw Error::data_source("tile " + std::to_string(entry.tile_id) +
                                         " lies outside the tile data section");
            }
        }
    }
    section(header_.tile_data_offset, header_.tile_data_length, "tile data");
}

std::vector<pmtiles::Entry> PmtilesArchive::leaf(const pmtiles::Entry& pointer) const {
    return pmtiles::decode_directory(inflate_section(
        gunzip_, header_.internal_compression,
        section(header_.leaves_offset + pointer.offset, pointer.length, "leaf directory"), "leaf directory"));
}

std::optional<StoredTile> PmtilesArchive::tile(TileId tile) const {
    if (tile.z < header_.min_zoom || tile.z > header_.max_zoom) {
        return std::nullopt;
    }
    const std::uint64_t id = pmtiles::tile_id(tile);
    const pmtiles::Entry* entry = pmtiles::find_entry(root_, id);
    if (entry && entry->run_length == 0) {
        Leaf& slot = leaves_[static_cast<std::size_t>(entry - root_.data())];
        std::call_once(slot.decoded, [&] { slot.entries = leaf(*entry); });
        entry = pmtiles::find_entry(slot.entries, id);
        if (entry && entry->run_length == 0) {
            return std::nullopt;  // refused at open
        }
    }
    if (!entry) {
        return std::nullopt;
    }
    const char* start = file_.bytes().data() + header_.tile_data_offset + entry->offset;
    return StoredTile{std::string(start, entry->length), header_.tile_compression == pmtiles::Compression::gzip};
}

}  // namespace regiomap
