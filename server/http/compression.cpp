#include "http/compression.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

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

// RAII for a z_stream in deflate or inflate mode.
class ZStream {
public:
    explicit ZStream(bool deflating) : deflating_(deflating) {}
    ~ZStream() {
        if (initialised_) {
            deflating_ ? deflateEnd(&stream_) : inflateEnd(&stream_);
        }
    }
    ZStream(const ZStream&) = delete;
    ZStream& operator=(const ZStream&) = delete;

    bool init_deflate(int level) {
        // windowBits 15 + 16: a gzip wrapper instead of zlib's.
        initialised_ = deflateInit2(&stream_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
        return initialised_;
    }
    bool init_inflate() {
        initialised_ = inflateInit2(&stream_, 15 + 16) == Z_OK;
        return initialised_;
    }
    z_stream& get() { return stream_; }

private:
    bool deflating_;
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

std::optional<std::string> gzip_compress(std::string_view data, int level) {
    ZStream z(true);
    if (!z.init_deflate(level)) {
        return std::nullopt;
    }
    std::string out;
    out.resize(deflateBound(&z.get(), static_cast<uLong>(data.size())) + 32);
    z.get().next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.get().avail_in = static_cast<uInt>(data.size());
    z.get().next_out = reinterpret_cast<Bytef*>(out.data());
    z.get().avail_out = static_cast<uInt>(out.size());
    if (deflate(&z.get(), Z_FINISH) != Z_STREAM_END) {
        return std::nullopt;
    }
    out.resize(z.get().total_out);
    return out;
}

std::optional<std::string> gzip_decompress(std::string_view data) {
    ZStream z(false);
    if (!z.init_inflate()) {
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
