#include "app/token_command.hpp"

#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "app/tokens.hpp"

namespace regiomap::app {

namespace {

constexpr std::string_view kUsage =
    "usage: regiomap token add NAME --role editor|admin [--collections a,b] --tokens-file FILE\n"
    "       regiomap token revoke NAME [NAME...] --tokens-file FILE\n"
    "       regiomap token list --tokens-file FILE\n"
    "An editor without --collections may edit every collection; an admin may edit everything.\n"
    "The token is printed once; the file keeps only a salted Argon2id hash of it.\n";

// Holds an exclusive lock on FILE.lock while the tokens file is changed.
class FileLock {
public:
    explicit FileLock(const std::string& path)
        : fd_(::open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
        if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
            throw std::runtime_error("cannot lock " + path + ".lock: " + std::strerror(errno));
        }
    }
    ~FileLock() {
        if (fd_ >= 0) {
            ::close(fd_);  // releases the lock
        }
    }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_;
};

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> items;
    while (!text.empty()) {
        const auto comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        while (!item.empty() && item.front() == ' ') {
            item.remove_prefix(1);
        }
        while (!item.empty() && item.back() == ' ') {
            item.remove_suffix(1);
        }
        if (!item.empty()) {
            items.emplace_back(item);
        }
    }
    return items;
}

struct TokenArgs {
    std::string verb;
    std::vector<std::string> names;
    std::optional<Role> role;
    std::optional<std::vector<std::string>> collections;
    std::string tokens_file;
};

TokenArgs parse(const std::vector<std::string_view>& args) {
    TokenArgs parsed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        std::string_view value;
        std::string_view option = arg;
        const bool is_option = arg.starts_with("--");
        if (is_option) {
            if (auto eq = arg.find('='); eq != std::string_view::npos) {
                option = arg.substr(0, eq);
                value = arg.substr(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args[++i];
            } else {
                throw std::invalid_argument(std::string(arg) + " needs a value");
            }
        }
        if (!is_option) {
            if (parsed.verb.empty()) {
                parsed.verb = arg;
            } else {
                parsed.names.emplace_back(arg);
            }
        } else if (option == "--role") {
            parsed.role = role_from_name(value);
            if (!parsed.role) {
                throw std::invalid_argument("--role: '" + std::string(value) + "' is not editor or admin");
            }
        } else if (option == "--collections") {
            parsed.collections = split_list(value);
        } else if (option == "--tokens-file") {
            parsed.tokens_file = value;
        } else {
            throw std::invalid_argument("unknown option '" + std::string(option) + "'");
        }
    }
    if (parsed.verb != "add" && parsed.verb != "revoke" && parsed.verb != "list") {
        throw std::invalid_argument(parsed.verb.empty() ? "say add, revoke or list"
                                                        : "'" + parsed.verb + "' is not add, revoke or list");
    }
    if (parsed.tokens_file.empty()) {
        throw std::invalid_argument("--tokens-file FILE is required");
    }
    if (parsed.verb == "add") {
        if (parsed.names.size() != 1) {
            throw std::invalid_argument("token add takes one NAME");
        }
        if (!parsed.role) {
            throw std::invalid_argument("token add needs --role editor or --role admin");
        }
        if (parsed.collections && parsed.collections->empty()) {
            throw std::invalid_argument("--collections: name at least one collection (leave it out for all)");
        }
        if (parsed.collections && *parsed.role == Role::admin) {
            throw std::invalid_argument("--collections applies to editors; an admin may edit everything");
        }
    } else if (parsed.verb == "revoke" && parsed.names.empty()) {
        throw std::invalid_argument("token revoke takes the NAME of the token(s) to revoke");
    } else if (parsed.verb == "list" && !parsed.names.empty()) {
        throw std::invalid_argument("token list takes no name");
    }
    return parsed;
}

}  // namespace

int run_token_command(const std::vector<std::string_view>& args, std::ostream& out, std::ostream& err) {
    TokenArgs parsed;
    try {
        parsed = parse(args);
    } catch (const std::invalid_argument& error) {
        err << "regiomap token: " << error.what() << "\n" << kUsage;
        return 2;
    }
    try {
        if (parsed.verb == "list") {
            const TokenFile file = TokenFile::read(parsed.tokens_file, true);
            for (const TokenEntry& entry : file.entries()) {
                std::string collections;
                for (const std::string& collection : entry.identity.collections) {
                    collections += (collections.empty() ? "" : ",") + collection;
                }
                out << entry.identity.name << "\t" << role_name(entry.identity.role) << "\t"
                    << (collections.empty() ? "*" : collections) << "\t" << entry.created << "\n";
            }
            return 0;
        }
        FileLock lock(parsed.tokens_file);
        TokenFile file = TokenFile::read(parsed.tokens_file, parsed.verb == "add");
        if (parsed.verb == "add") {
            const std::string token =
                file.add(parsed.names.front(), *parsed.role, parsed.collections.value_or(std::vector<std::string>{}));
            file.write(parsed.tokens_file);
            err << "regiomap token: added '" << parsed.names.front() << "' (" << role_name(*parsed.role) << ") to "
                << parsed.tokens_file << "; the token is shown only now:\n";
            out << token << std::endl;
            return 0;
        }
        int status = 0;
        for (const std::string& name : parsed.names) {
            if (!file.revoke(name)) {
                err << "regiomap token: no token named '" << name << "' in " << parsed.tokens_file << "\n";
                status = 1;
            }
        }
        file.write(parsed.tokens_file);
        if (status == 0) {
            err << "regiomap token: revoked; a running server stops accepting it at its next request\n";
        }
        return status;
    } catch (const std::exception& error) {
        err << "regiomap token: " << error.what() << "\n";
        return 1;
    }
}

}  // namespace regiomap::app
