// The access log off the request path: whole lines, nothing lost on
// close, logrotate's two conventions (rename + reopen, copytruncate).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "http/access_log.hpp"

namespace regiomap::http {
namespace {

namespace fs = std::filesystem;

class AccessLogTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("regiomap-access-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    static std::string read(const fs::path& file) {
        std::ifstream in(file, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    static std::vector<std::string> lines(const std::string& text) {
        std::vector<std::string> out;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);) {
            out.push_back(line);
        }
        return out;
    }
    void record(AccessLog& log, std::size_t thread, const std::string& target) {
        log.record(thread, "127.0.0.1", "GET", target, 200, 1234, std::chrono::microseconds(2500));
    }

    fs::path dir_;
    std::ostringstream server_log_text_;
    Logger server_log_{server_log_text_};
};

TEST_F(AccessLogTest, LinesAreLogfmtAndAllWrittenOnClose) {
    const fs::path file = dir_ / "access.log";
    AccessLog log({AccessLogTarget::Kind::file, file.string()}, 2, server_log_);
    record(log, 0, "/tiles/1/0/0.mvt?v=\"x\"\n");
    record(log, 1, "/collections");
    log.close();
    auto written = lines(read(file));
    ASSERT_EQ(written.size(), 2u);
    EXPECT_NE(written[0].find(R"(info access remote=127.0.0.1 method=GET target="/tiles/1/0/0.mvt?v=\"x\"\x0a" )"
                              R"(status=200 bytes=1234 ms=2.5)"),
              std::string::npos)
        << written[0];
    EXPECT_EQ(written[0][4], '-');  // starts with the RFC 3339 time
    EXPECT_TRUE(written[0].find("Z info access") == 23) << written[0];
}

TEST_F(AccessLogTest, ManyThreadsNeverInterleaveOrLoseALine) {
    const fs::path file = dir_ / "access.log";
    constexpr int kThreads = 4;
    constexpr int kPerThread = 20000;
    {
        AccessLog log({AccessLogTarget::Kind::file, file.string()}, kThreads, server_log_);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) {
                    record(log, static_cast<std::size_t>(t), "/t" + std::to_string(t) + "/" + std::to_string(i));
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
    }  // the destructor flushes
    auto written = lines(read(file));
    ASSERT_EQ(written.size(), static_cast<std::size_t>(kThreads * kPerThread));
    std::vector<int> next(kThreads, 0);
    for (const std::string& line : written) {
        auto at = line.find("target=\"/t");
        ASSERT_NE(at, std::string::npos) << line;
        ASSERT_TRUE(line.ends_with(" ms=2.5")) << line;
        const int thread = line[at + 10] - '0';
        const int index = std::stoi(line.substr(at + 12));
        EXPECT_EQ(index, next[static_cast<std::size_t>(thread)]++) << "one thread's lines stay in order";
    }
}

// A busy server fills a buffer long before the periodic flush: past 64 KiB
// the writer must wake and write at once. With an hour-long period, only
// the early flush can put these lines in the file before close().
TEST_F(AccessLogTest, AFullBufferIsWrittenWithoutWaitingForThePeriod) {
    const fs::path file = dir_ / "access.log";
    AccessLog log({AccessLogTarget::Kind::file, file.string()}, 1, server_log_, std::chrono::hours(1));
    record(log, 0, "/small");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(read(file), "") << "one short line waits for the period";

    const std::string target = "/tiles/" + std::string(200, 'x');
    for (int i = 0; i < 1000; ++i) {  // ~300 KiB
        record(log, 0, target);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::size_t seen = 0;
    while (seen == 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        seen = lines(read(file)).size();
    }
    EXPECT_GT(seen, 0u) << "nothing written 20 s after the buffer passed 64 KiB";
    log.close();
    EXPECT_EQ(lines(read(file)).size(), 1001u) << "nothing lost either way";
}

TEST_F(AccessLogTest, ReopenAfterRenameWritesToTheNewFile) {
    const fs::path file = dir_ / "access.log";
    AccessLog log({AccessLogTarget::Kind::file, file.string()}, 1, server_log_);
    record(log, 0, "/before");
    log.reopen();  // nothing renamed yet: the same file again
    for (int i = 0; i < 100 && read(file).find("/before") == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    fs::rename(file, dir_ / "access.log.1");
    record(log, 0, "/between");  // may land in either: the writer holds the old file until the reopen
    log.reopen();
    for (int i = 0; i < 100 && !fs::exists(file); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    record(log, 0, "/after");
    log.close();
    const std::string old_text = read(dir_ / "access.log.1");
    const std::string new_text = read(file);
    EXPECT_NE(old_text.find("/before"), std::string::npos);
    EXPECT_NE(new_text.find("/after"), std::string::npos);
    EXPECT_EQ(old_text.find("/after"), std::string::npos);
    EXPECT_EQ(lines(old_text).size() + lines(new_text).size(), 3u);
}

TEST_F(AccessLogTest, CopytruncateLeavesNoHole) {
    const fs::path file = dir_ / "access.log";
    AccessLog log({AccessLogTarget::Kind::file, file.string()}, 1, server_log_);
    for (int i = 0; i < 50; ++i) {
        record(log, 0, "/first/" + std::to_string(i));
    }
    log.reopen();  // a reopen forces a write of what is buffered
    for (int i = 0; i < 100 && read(file).find("/first/49") == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    fs::resize_file(file, 0);  // what logrotate's copytruncate does after copying
    record(log, 0, "/second");
    log.close();
    const std::string text = read(file);
    EXPECT_TRUE(text.find('\0') == std::string::npos) << "O_APPEND: no zeros before the next line";
    EXPECT_EQ(lines(text).size(), 1u);
    EXPECT_NE(text.find("/second"), std::string::npos);
}

TEST_F(AccessLogTest, SharesTheServerLogStreamWholeLines) {
    AccessLog log({}, 1, server_log_);
    record(log, 0, "/x");
    server_log_.info("a server line");
    log.close();
    auto written = lines(server_log_text_.str());
    ASSERT_EQ(written.size(), 2u);
    EXPECT_NE(written[1].find("target=\"/x\""), std::string::npos);  // flushed on close, after the other line
}

TEST_F(AccessLogTest, UnwritableFileIsAClearError) {
    EXPECT_THROW(AccessLog({AccessLogTarget::Kind::file, (dir_ / "missing" / "access.log").string()}, 1, server_log_),
                 std::runtime_error);
}

}  // namespace
}  // namespace regiomap::http
