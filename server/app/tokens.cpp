#include "app/tokens.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace regiomap::app {

namespace {

constexpr std::string_view kPrefix = "rgm_";
constexpr std::size_t kIdBytes = 4;       // 8 hex digits: names the entry, not secret
constexpr std::size_t kSecretBytes = 32;  // 256 bits from the system's CSPRNG
constexpr std::size_t kMaxCached = 4096;

void init_sodium() {
    // Idempotent and thread-safe; fails only without a usable RNG.
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium could not be initialised (no random source)");
    }
}

std::string hex(const unsigned char* bytes, std::size_t size) {
    std::string out(size * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes, size);
    out.pop_back();
    return out;
}

std::string base64url(const unsigned char* bytes, std::size_t size) {
    const std::size_t length = sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    std::string out(length, '\0');
    sodium_bin2base64(out.data(), out.size(), bytes, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::string now_rfc3339() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

bool valid_name(std::string_view name) {
    if (name.empty() || name.size() > 64) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-' || c == '@';
    });
}

// Closes a descriptor on every path.
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

}  // namespace

std::string_view role_name(Role role) {
    return role == Role::admin ? "admin" : "editor";
}

std::optional<Role> role_from_name(std::string_view name) {
    if (name == "editor") {
        return Role::editor;
    }
    if (name == "admin") {
        return Role::admin;
    }
    return std::nullopt;
}

bool Identity::may_edit(std::string_view collection) const {
    return role == Role::admin || collections.empty() ||
           std::find(collections.begin(), collections.end(), collection) != collections.end();
}

std::optional<TokenParts> split_token(std::string_view token) {
    if (!token.starts_with(kPrefix)) {
        return std::nullopt;
    }
    token.remove_prefix(kPrefix.size());
    const auto underscore = token.find('_');
    if (underscore != kIdBytes * 2 || token.size() <= underscore + 1 || token.size() > 128) {
        return std::nullopt;
    }
    return TokenParts{token.substr(0, underscore), token.substr(underscore + 1)};
}

TokenFile TokenFile::read(const std::string& path, bool missing_ok) {
    std::ifstream in(path);
    if (!in) {
        if (missing_ok && errno == ENOENT) {
            return {};
        }
        throw std::runtime_error("cannot read the tokens file " + path + ": " + std::strerror(errno));
    }
    TokenFile file;
    try {
        const nlohmann::json document = nlohmann::json::parse(in);
        for (const auto& item : document.at("tokens")) {
            TokenEntry entry;
            entry.identity.name = item.at("name").get<std::string>();
            auto role = role_from_name(item.at("role").get<std::string>());
            if (!role) {
                throw std::runtime_error("entry " + entry.identity.name + " has an unknown role");
            }
            entry.identity.role = *role;
            entry.identity.collections = item.value("collections", std::vector<std::string>{});
            entry.id = item.at("id").get<std::string>();
            entry.hash = item.at("hash").get<std::string>();
            entry.created = item.value("created", "");
            file.entries_.push_back(std::move(entry));
        }
    } catch (const nlohmann::json::exception&) {
        // The parser's message may quote the file's content: say only where.
        throw std::runtime_error("the tokens file " + path +
                                 " is not a regiomap tokens file (JSON with a \"tokens\" list)");
    } catch (const std::runtime_error& error) {
        throw std::runtime_error("the tokens file " + path + ": " + error.what());
    }
    return file;
}

const TokenEntry* TokenFile::find_id(std::string_view id) const {
    for (const TokenEntry& entry : entries_) {
        if (entry.id == id) {
            return &entry;
        }
    }
    return nullptr;
}

std::string TokenFile::add(const std::string& name, Role role, std::vector<std::string> collections) {
    init_sodium();
    if (!valid_name(name)) {
        throw std::invalid_argument("token name '" + name +
                                    "': use 1-64 letters, digits, '.', '_', '-' or '@' (it is shown in the history)");
    }
    for (const TokenEntry& entry : entries_) {
        if (entry.identity.name == name) {
            throw std::invalid_argument("a token named '" + name + "' exists; revoke it first");
        }
    }
    TokenEntry entry;
    do {
        unsigned char id[kIdBytes];
        randombytes_buf(id, sizeof id);
        entry.id = hex(id, sizeof id);
    } while (find_id(entry.id));
    unsigned char secret_bytes[kSecretBytes];
    randombytes_buf(secret_bytes, sizeof secret_bytes);
    std::string secret = base64url(secret_bytes, sizeof secret_bytes);
    sodium_memzero(secret_bytes, sizeof secret_bytes);
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, secret.data(), secret.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        throw std::runtime_error("hashing the token failed (out of memory)");
    }
    entry.hash = hash;
    entry.identity.name = name;
    entry.identity.role = role;
    entry.identity.collections = std::move(collections);
    entry.created = now_rfc3339();
    std::string token = std::string(kPrefix) + entry.id + "_" + secret;
    sodium_memzero(secret.data(), secret.size());
    entries_.push_back(std::move(entry));
    return token;
}

bool TokenFile::revoke(const std::string& name) {
    const auto before = entries_.size();
    std::erase_if(entries_, [&](const TokenEntry& entry) { return entry.identity.name == name; });
    return entries_.size() != before;
}

void TokenFile::write(const std::string& path) const {
    nlohmann::ordered_json tokens = nlohmann::ordered_json::array();
    for (const TokenEntry& entry : entries_) {
        tokens.push_back({{"name", entry.identity.name},
                          {"role", role_name(entry.identity.role)},
                          {"collections", entry.identity.collections},
                          {"id", entry.id},
                          {"hash", entry.hash},
                          {"created", entry.created}});
    }
    const nlohmann::ordered_json document{
        {"comment", "regiomap API tokens: salted Argon2id hashes only. Manage with 'regiomap token add|revoke|list'."},
        {"tokens", std::move(tokens)}};
    const std::string text = document.dump(2) + "\n";
    const std::string temporary = path + ".tmp";
    {
        Fd out{::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
        if (out.fd < 0) {
            throw std::runtime_error("cannot write " + temporary + ": " + std::strerror(errno));
        }
        ::fchmod(out.fd, 0600);  // also when the file was there with other bits
        std::size_t written = 0;
        while (written < text.size()) {
            const ssize_t n = ::write(out.fd, text.data() + written, text.size() - written);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                throw std::runtime_error("cannot write " + temporary + ": " + std::strerror(errno));
            }
            written += static_cast<std::size_t>(n);
        }
        if (::fsync(out.fd) != 0) {
            throw std::runtime_error("cannot write " + temporary + ": " + std::strerror(errno));
        }
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        throw std::runtime_error("cannot replace " + path + ": " + std::strerror(errno));
    }
}

TokenVerifier::TokenVerifier(std::string path) : path_(std::move(path)) {
    init_sodium();
    unsigned char key[crypto_generichash_KEYBYTES];
    randombytes_buf(key, sizeof key);
    cache_key_.assign(reinterpret_cast<const char*>(key), sizeof key);
    sodium_memzero(key, sizeof key);
    std::lock_guard lock(mutex_);
    refresh_locked();
}

void TokenVerifier::refresh_locked() {
    struct stat info {};
    if (::stat(path_.c_str(), &info) != 0) {
        throw std::runtime_error("cannot read the tokens file " + path_ + ": " + std::strerror(errno));
    }
    const FileStamp stamp{static_cast<std::uint64_t>(info.st_ino), static_cast<std::uint64_t>(info.st_size),
                          static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
    if (stamp == stamp_ && stamp_.inode != 0) {
        return;
    }
    file_ = TokenFile::read(path_);
    stamp_ = stamp;
    verified_.clear();  // a revoked token must not live on in the cache
}

std::optional<Identity> TokenVerifier::verify(std::string_view token) {
    const auto parts = split_token(token);
    if (!parts) {
        return std::nullopt;
    }
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                       reinterpret_cast<const unsigned char*>(cache_key_.data()), cache_key_.size());
    const std::string cache_entry(reinterpret_cast<const char*>(digest), sizeof digest);
    std::string hash;
    {
        std::lock_guard lock(mutex_);
        try {
            refresh_locked();
        } catch (const std::runtime_error&) {
            // The file went away or is being rewritten: keep the entries
            // read last (a revocation rewrites it by rename, atomically).
        }
        if (auto hit = verified_.find(cache_entry); hit != verified_.end()) {
            return hit->second;
        }
        const TokenEntry* entry = file_.find_id(parts->id);
        if (!entry) {
            return std::nullopt;
        }
        hash = entry->hash;
    }
    // The slow hash runs outside the lock: other requests go on meanwhile.
    if (crypto_pwhash_str_verify(hash.c_str(), parts->secret.data(), parts->secret.size()) != 0) {
        return std::nullopt;
    }
    std::lock_guard lock(mutex_);
    const TokenEntry* entry = file_.find_id(parts->id);
    if (!entry || entry->hash != hash) {
        return std::nullopt;  // revoked while we checked
    }
    if (verified_.size() >= kMaxCached) {
        verified_.clear();
    }
    verified_.emplace(cache_entry, entry->identity);
    return entry->identity;
}

}  // namespace regiomap::app
