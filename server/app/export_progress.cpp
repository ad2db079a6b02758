#include "app/export_progress.hpp"

#include <cstdio>

namespace regiomap::app {

namespace {

std::string duration(double seconds) {
    const auto total = static_cast<long>(seconds + 0.5);
    char text[32];
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
    return text;
}

}  // namespace

ExportProgress::ExportProgress(std::ostream& out, bool terminal, std::uint64_t total)
    : out_(out), terminal_(terminal), total_(total) {}

std::string ExportProgress::status_line(double seconds) const {
    const std::uint64_t now = done.load();
    const double rate = seconds > 0 ? static_cast<double>(now) / seconds : 0;
    const double eta = rate > 0 ? static_cast<double>(total_ - now) / rate : 0;
    char text[160];
    std::snprintf(text, sizeof text, "%llu/%llu tiles (%llu with data), %.0f tiles/s, ETA %s",
                  static_cast<unsigned long long>(now), static_cast<unsigned long long>(total_),
                  static_cast<unsigned long long>(written.load()), rate, duration(eta).c_str());
    return text;
}

void ExportProgress::draw() {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double fraction = total_ ? static_cast<double>(done.load()) / static_cast<double>(total_) : 1.0;
    if (terminal_) {
        constexpr int width = 30;
        const int filled = static_cast<int>(fraction * width);
        std::string bar(static_cast<std::size_t>(filled), '#');
        bar.append(static_cast<std::size_t>(width - filled), '.');
        char percent[16];
        std::snprintf(percent, sizeof percent, "%5.1f%%", fraction * 100);
        out_ << "\r[" << bar << "] " << percent << " " << status_line(seconds) << "\x1b[K" << std::flush;
        return;
    }
    const int decile = static_cast<int>(fraction * 10);
    if (decile > last_decile_ && decile < 10) {
        last_decile_ = decile;
        out_ << "export: " << decile * 10 << " %, " << status_line(seconds) << "\n" << std::flush;
    }
}

void ExportProgress::finish() {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (terminal_) {
        draw();
        out_ << "\n";
    }
    char took[32];
    std::snprintf(took, sizeof took, "%.2f s", seconds);
    out_ << "export: " << status_line(seconds) << " in " << took << "\n" << std::flush;
}

}  // namespace regiomap::app
