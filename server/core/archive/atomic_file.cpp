#include "core/archive/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.hpp"

namespace regiomap {

namespace {

std::string reason(int error) {
    return std::strerror(error);
}

void write_all(int fd, std::string_view bytes, const std::string& path) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw Error::data_source("cannot write " + path + ": " + reason(errno));
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

}  // namespace

AtomicFile::AtomicFile(std::string destination) : destination_(std::move(destination)) {
    std::vector<char> name(destination_.begin(), destination_.end());
    const std::string_view suffix = ".tmp-XXXXXX";
    name.insert(name.end(), suffix.begin(), suffix.end());
    name.push_back('\0');
    fd_ = ::mkstemp(name.data());
    if (fd_ < 0) {
        const int error = errno;
        throw Error::data_source("cannot create a file in " + directory_of(destination_) + " for " + destination_ +
                                 ": " + reason(error));
    }
    temp_path_ = name.data();
    // mkstemp makes 0600; an archive is for others to read, as umask allows.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd_, 0666 & ~mask);
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
    if (!committed_) {
        ::unlink(temp_path_.c_str());
    }
}

void AtomicFile::fail(const std::string& what, int error) const {
    throw Error::data_source(what + " " + destination_ + ": " + reason(error));
}

void AtomicFile::write(std::string_view bytes) {
    write_all(fd_, bytes, destination_);
}

void AtomicFile::append_from(int source_fd, std::uint64_t length) {
    loff_t in_offset = 0;
    while (length > 0) {
        const ssize_t copied = ::copy_file_range(source_fd, &in_offset, fd_, nullptr, length, 0);
        if (copied > 0) {
            length -= static_cast<std::uint64_t>(copied);
            continue;
        }
        if (copied < 0 && errno == EINTR) {
            continue;
        }
        if (copied < 0 && errno != EXDEV && errno != ENOSYS && errno != EOPNOTSUPP && errno != EINVAL) {
            fail("cannot write", errno);
        }
        // No in-kernel copy here: through a buffer.
        std::string buffer(1 << 20, '\0');
        while (length > 0) {
            const ssize_t got =
                ::pread(source_fd, buffer.data(), std::min<std::uint64_t>(length, buffer.size()), in_offset);
            if (got <= 0) {
                fail(got == 0 ? "short scratch file for" : "cannot read back tiles for", got == 0 ? EIO : errno);
            }
            write(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
            in_offset += got;
            length -= static_cast<std::uint64_t>(got);
        }
    }
}

void AtomicFile::close_descriptor() {
    if (fd_ >= 0 && ::close(fd_) != 0) {
        fd_ = -1;
        fail("cannot write", errno);
    }
    fd_ = -1;
}

void AtomicFile::commit() {
    if (fd_ < 0) {  // written by someone else (SQLite): flush it all the same
        fd_ = ::open(temp_path_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) {
            fail("cannot reopen the finished file for", errno);
        }
    }
    if (::fsync(fd_) != 0) {
        fail("cannot write", errno);
    }
    close_descriptor();
    if (::rename(temp_path_.c_str(), destination_.c_str()) != 0) {
        fail("cannot rename the finished file onto", errno);
    }
    committed_ = true;
}

ScratchFile::ScratchFile(const std::string& near) : where_(directory_of(near)) {
    // O_TMPFILE: an unnamed file in that directory (same file system as the
    // archive, so the final copy can stay in the kernel).
    fd_ = ::open(where_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        std::vector<char> name(where_.begin(), where_.end());
        const std::string_view suffix = "/.regiomap-scratch-XXXXXX";
        name.insert(name.end(), suffix.begin(), suffix.end());
        name.push_back('\0');
        fd_ = ::mkstemp(name.data());
        if (fd_ < 0) {
            throw Error::data_source("cannot create a scratch file in " + where_ + ": " + reason(errno));
        }
        ::unlink(name.data());
    }
}

ScratchFile::~ScratchFile() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void ScratchFile::write(std::string_view bytes) {
    write_all(fd_, bytes, "a scratch file in " + where_);
}

std::string ScratchFile::read(std::uint64_t offset, std::size_t length) const {
    std::string out(length, '\0');
    std::size_t done = 0;
    while (done < length) {
        const ssize_t got = ::pread(fd_, out.data() + done, length - done, static_cast<off_t>(offset + done));
        if (got <= 0) {
            if (got < 0 && errno == EINTR) {
                continue;
            }
            throw Error::data_source("cannot read back a scratch file in " + where_);
        }
        done += static_cast<std::size_t>(got);
    }
    return out;
}

}  // namespace regiomap
