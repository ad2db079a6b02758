#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace regiomap::app {

// Reports an export's progress: on a terminal a bar redrawn in place with
// tiles/s and ETA, otherwise one plain line per 10 %. Pure formatting;
// the caller decides when to draw.
class ExportProgress {
public:
    ExportProgress(std::ostream& out, bool terminal, std::uint64_t total);

    std::atomic<std::uint64_t> done{0};
    std::atomic<std::uint64_t> written{0};  // non-empty tiles

    void draw();    // a redraw (terminal) or a line when a 10 % step was passed
    void finish();  // the closing line

private:
    std::string status_line(double seconds) const;

    std::ostream& out_;
    bool terminal_;
    std::uint64_t total_;
    int last_decile_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace regiomap::app
