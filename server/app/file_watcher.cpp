#include "app/file_watcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace regiomap::app {

namespace {

constexpr std::uint32_t kDirectoryEvents =
    IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF;

std::runtime_error system_error(const std::string& what) {
    return std::runtime_error(what + ": " + std::strerror(errno));
}

}  // namespace

FileWatcher::FileWatcher(const std::filesystem::path& source, Timing timing, std::function<void()> on_change,
                         Logger& log)
    : timing_(timing), on_change_(std::move(on_change)), log_(log) {
    std::error_code error;
    std::filesystem::path directory;
    if (std::filesystem::is_directory(source, error)) {
        directory = source;
        description_ = "every file in " + source.string();
    } else {
        directory = source.has_parent_path() ? source.parent_path() : std::filesystem::path(".");
        name_ = source.filename().string();
        description_ = name_ + " in " + directory.string();
    }
    inotify_.reset(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    if (!inotify_) {
        throw system_error("--watch: cannot start inotify");
    }
    if (inotify_add_watch(inotify_.get(), directory.c_str(), kDirectoryEvents | IN_ONLYDIR) < 0) {
        throw system_error("--watch: cannot watch the directory " + directory.string());
    }
    wake_.reset(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (!wake_) {
        throw system_error("--watch: cannot make an eventfd");
    }
    thread_ = std::thread([this] { run(); });
}

FileWatcher::~FileWatcher() {
    const std::uint64_t one = 1;
    // An eventfd write fails only when its counter is full, which wakes the thread as well.
    [[maybe_unused]] const ssize_t written = ::write(wake_.get(), &one, sizeof one);
    thread_.join();
}

bool FileWatcher::is_change(std::string_view name, std::uint32_t mask) const {
    if (name.empty()) {
        return (mask & (IN_DELETE_SELF | IN_MOVE_SELF)) != 0;  // the directory went away or was renamed
    }
    if (name_.empty()) {
        return !name.ends_with("-shm");
    }
    if (name == name_) {
        return true;
    }
    // SQLite's WAL: only writes of frames are changes; a reader (our own
    // reload) creates, opens for writing and removes it without changing data.
    if (name.size() == name_.size() + 4 && name.starts_with(name_) && name.ends_with("-wal")) {
        return (mask & IN_MODIFY) != 0;
    }
    return false;
}

void FileWatcher::run() {
    using clock = std::chrono::steady_clock;
    bool pending = false;  // a change seen and not yet reported
    clock::time_point first_change;
    clock::time_point last_change;
    alignas(inotify_event) std::array<char, 16 * 1024> buffer{};
    std::array<pollfd, 2> fds{pollfd{inotify_.get(), POLLIN, 0}, pollfd{wake_.get(), POLLIN, 0}};
    bool directory_gone = false;
    while (true) {
        int timeout_ms = -1;
        if (pending) {
            const auto due = std::min(last_change + timing_.quiet, first_change + timing_.max_delay);
            timeout_ms = static_cast<int>(
                std::max<std::int64_t>(0, std::chrono::ceil<std::chrono::milliseconds>(due - clock::now()).count()));
        }
        const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
        if (ready < 0 && errno != EINTR) {
            log_.error(std::string("--watch: poll failed, no longer watching: ") + std::strerror(errno));
            return;
        }
        if (fds[1].revents != 0) {
            return;  // stopping
        }
        if (ready > 0 && (fds[0].revents & POLLIN) != 0) {
            ssize_t length;
            while ((length = ::read(inotify_.get(), buffer.data(), buffer.size())) > 0) {
                for (ssize_t at = 0; at < length;) {
                    const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
                    at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
                    // The queue overflowed: events were lost, so assume a change.
                    const bool overflow = (event->mask & IN_Q_OVERFLOW) != 0;
                    const std::string_view name = event->len > 0 ? std::string_view(event->name) : std::string_view{};
                    if (overflow || is_change(name, event->mask)) {
                        last_change = clock::now();
                        if (!pending) {
                            pending = true;
                            first_change = last_change;
                        }
                    }
                    if (!directory_gone && (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) != 0) {
                        directory_gone = true;
                        log_.warning("--watch: the directory of " + description_ +
                                     " was removed or renamed; changes are no longer seen (SIGHUP still reloads)");
                    }
                }
            }
        }
        if (pending) {
            const auto now = clock::now();
            if (now - last_change >= timing_.quiet || now - first_change >= timing_.max_delay) {
                pending = false;
                on_change_();
            }
        }
    }
}

}  // namespace regiomap::app
