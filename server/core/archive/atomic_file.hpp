#pragma once

#include <string>
#include <string_view>

namespace regiomap {

// A file written under a temporary name beside its destination
// ("OUT.tmp-XXXXXX", same directory so that the rename is atomic) and
// renamed onto the destination by commit(). Destroyed without commit() —
// an error, an interrupt — the temporary is removed: readers never see a
// half-written file. Errors (unwritable directory, full disk) are thrown as
// Error (data_source) naming the path and the system's reason.
class AtomicFile {
public:
    explicit AtomicFile(std::string destination);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::string& destination() const { return destination_; }
    const std::string& temp_path() const { return temp_path_; }
    int fd() const { return fd_; }

    // Writes all of `bytes` at the current end (retries short writes).
    void write(std::string_view bytes);
    // Appends `length` bytes of `source_fd` from offset 0 (in the kernel
    // where it can).
    void append_from(int source_fd, std::uint64_t length);
    // Closes the descriptor without committing: for writers (SQLite) that
    // open temp_path() themselves.
    void close_descriptor();
    // Flushes to disk and renames onto the destination.
    void commit();

private:
    [[noreturn]] void fail(const std::string& what, int error) const;

    std::string destination_;
    std::string temp_path_;
    int fd_ = -1;
    bool committed_ = false;
};

// A scratch file beside `near` that is unlinked as soon as it is created: it
// vanishes with the process however the process ends.
class ScratchFile {
public:
    explicit ScratchFile(const std::string& near);
    ~ScratchFile();
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;

    int fd() const { return fd_; }
    void write(std::string_view bytes);
    // Reads `length` bytes at `offset` (for comparing de-duplicated tiles).
    std::string read(std::uint64_t offset, std::size_t length) const;

private:
    std::string where_;
    int fd_ = -1;
};

}  // namespace regiomap
