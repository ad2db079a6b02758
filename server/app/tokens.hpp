#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace regiomap::app {

// Who may write, and where. An editor with no collections listed may edit
// every collection; an admin may edit everything.
enum class Role { editor, admin };

std::string_view role_name(Role role);
std::optional<Role> role_from_name(std::string_view name);

struct Identity {
    std::string name;  // the token's name: what the history records as "who"
    Role role = Role::editor;
    std::vector<std::string> collections;  // empty: all

    bool may_edit(std::string_view collection) const;
};

// One entry of the tokens file. The secret itself is never stored: only
// its salted Argon2id hash (libsodium's crypto_pwhash_str), beside a short
// public id that names the entry the token belongs to, so that a
// presented token is checked against one hash, not all of them.
struct TokenEntry {
    Identity identity;
    std::string id;       // public, 8 hex digits; the token starts "rgm_<id>_"
    std::string hash;     // "$argon2id$…"
    std::string created;  // RFC 3339
};

// The tokens file: JSON, written atomically (temporary file, fsync, rename)
// with mode 0600. Errors name the file, never a token or hash.
class TokenFile {
public:
    // Reads `path`; a missing file is an empty one when `missing_ok`.
    static TokenFile read(const std::string& path, bool missing_ok = false);

    const std::vector<TokenEntry>& entries() const { return entries_; }
    const TokenEntry* find_id(std::string_view id) const;

    // Adds an entry and returns the token (shown once, stored nowhere).
    // Throws std::invalid_argument for a bad or taken name.
    std::string add(const std::string& name, Role role, std::vector<std::string> collections);
    // Removes the entries named `name`; false when there was none.
    bool revoke(const std::string& name);

    void write(const std::string& path) const;

private:
    std::vector<TokenEntry> entries_;
};

// "rgm_<id>_<secret>" split; nullopt when the text is not shaped like a token.
struct TokenParts {
    std::string_view id;
    std::string_view secret;
};
std::optional<TokenParts> split_token(std::string_view token);

// Checks bearer tokens against the tokens file, reading it again whenever
// it changes on disk (a revoked token stops working without a restart).
// A verified token is remembered by a keyed hash of it (a random key per
// process), so the slow hash is paid once per token, not per request; the
// token itself is kept nowhere.
class TokenVerifier {
public:
    explicit TokenVerifier(std::string path);  // throws std::runtime_error when the file cannot be read

    // The identity of `token`, or nullopt when it is not a valid token.
    std::optional<Identity> verify(std::string_view token);

    const std::string& path() const { return path_; }

private:
    struct FileStamp {
        std::uint64_t inode = 0, size = 0;
        std::int64_t mtime_ns = 0;
        bool operator==(const FileStamp&) const = default;
    };
    void refresh_locked();

    const std::string path_;
    std::mutex mutex_;
    FileStamp stamp_;
    TokenFile file_;
    std::string cache_key_;                     // random, for the keyed hash of verified tokens
    std::map<std::string, Identity> verified_;  // keyed hash → identity
};

}  // namespace regiomap::app
