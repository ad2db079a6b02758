#include "http/compression.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include <libdeflate.h>
#include <zlib.h>

namespace regiomap::http {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// The q value of one coding entry ("gzip;q=0.5"); 1 when absent.
double quality(std::string_view params) {
    auto q = params.find("q=");
    if (q == std::string_view::npos) {
        return 1.0;
    }
    std::string value(trim(params.substr(q + 2)));
    char* end = nullptr;
    double parsed = std::strtod(value.c_str(), &end);
    return end == value.c_str() ? 1.0 : parsed;
}

// RAII for a z_stream in inflate mode.
class Inflater {
public:
    Inflater() = default;
    ~Inflater() {
        if (initialised_) {
            inflateEnd(&stream_);
        }
    }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;

    bool init() {
        initialised_ = inflateInit2(&stream_, 15 + 16) == Z_OK;  // windowBits 15 + 16: gzip, not zlib
        return initialised_;
    }
    z_stream& get() { return stream_; }

private:
    bool initialised_ = false;
    z_stream stream_{};
};

}  // namespace

bool accepts_gzip(std::string_view header) {
    bool star = false;
    while (!header.empty()) {
        auto comma = header.find(',');
        std::string_view entry = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        auto semicolon = entry.find(';');
        std::string_view coding = trim(entry.substr(0, semicolon));
        std::string_view params =
            semicolon == std::string_view::npos ? std::string_view{} : entry.substr(semicolon + 1);
        if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
            return quality(params) > 0;
        }
        if (coding == "*") {
            star = quality(params) > 0;
        }
    }
    return star;
}

void GzipCompressor::Free::operator()(libdeflate_compressor* compressor) const {
    libdeflate_free_compressor(compressor);
}

GzipCompressor::GzipCompressor(int level) : level_(level) {
    if (level < kMinGzipLevel || level > kMaxGzipLevel) {
        throw std::invalid_argument("gzip level " + std::to_string(level) + " is not from " +
                                    std::to_string(kMinGzipLevel) + " to " + std::to_string(kMaxGzipLevel));
    }
}

GzipCompressor::~GzipCompressor() = default;

std::optional<std::string> GzipCompressor::compress(std::string_view data) const {
    Owned compressor;
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            compressor = std::move(idle_.back());
            idle_.pop_back();
        }
    }
    if (!compressor) {
        compressor.reset(libdeflate_alloc_compressor(level_));
        if (!compressor) {
            return std::nullopt;
        }
    }
    std::string out;
    out.resize(libdeflate_gzip_compress_bound(compressor.get(), data.size()));
    const std::size_t written =
        libdeflate_gzip_compress(compressor.get(), data.data(), data.size(), out.data(), out.size());
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(compressor));
    }
    if (written == 0) {
        return std::nullopt;
    }
    out.resize(written);
    return out;
}

std::optional<std::string> gzip_compress(std::string_view data, int level) {
    if (level < kMinGzipLevel || level > kMaxGzipLevel) {
        return std::nullopt;
    }
    return GzipCompressor(level).compress(data);
}

std::optional<std::string> gzip_decompress(std::string_view data) {
    Inflater z;
    if (!z.init()) {
        return std::nullopt;
    }
    std::string out;
    char chunk[16384];
    z.get().next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.get().avail_in = static_cast<uInt>(data.size());
    int status = Z_OK;
    while (status == Z_OK) {
        z.get().next_out = reinterpret_cast<Bytef*>(chunk);
        z.get().avail_out = sizeof chunk;
        status = inflate(&z.get(), Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END) {
            return std::nullopt;
        }
        out.append(chunk, sizeof chunk - z.get().avail_out);
    }
    return out;
}

}  // namespace regiomap::http
