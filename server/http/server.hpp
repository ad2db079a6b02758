#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/log.hpp"
#include "http/access_log.hpp"
#include "http/request.hpp"

namespace regiomap::http {

struct ServerLimits {
    std::size_t header_limit = 16 * 1024;  // bytes of request line + headers; more → 431
    std::size_t body_limit = 64 * 1024;    // bytes of request body; more → 413
    // Time allowed to receive one whole request (also the keep-alive idle
    // time) and to send one response; a client slower than this is closed.
    std::chrono::seconds io_timeout{30};
    std::size_t max_connections = 2048;       // beyond this new clients get 503 and are closed
    std::chrono::seconds shutdown_grace{10};  // in-flight requests get this long on SIGINT/SIGTERM
};

using Handler = std::function<Response(const Request&)>;

// The Boost.Beast HTTP/1.1 server: keep-alive, pipelining (one request at a
// time per connection, in order), limits and timeouts, `threads` I/O
// threads (each with its own connections), and a graceful stop on
// SIGINT/SIGTERM. It knows nothing of the API: every request goes to
// `handler`, on the I/O thread of its connection. Each response is
// recorded in `access_log` (when given; one buffer per I/O thread), which
// SIGUSR1 reopens.
class HttpServer {
public:
    HttpServer(const std::string& address, std::uint16_t port, unsigned threads, ServerLimits limits, Handler handler,
               Logger& log, AccessLog* access_log = nullptr);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    std::uint16_t port() const;  // the bound port (useful with port 0)

    // Serves until stop() or a signal; returns once the in-flight requests
    // have finished or the grace time is over, and every connection is
    // closed and released (none outlives the I/O contexts).
    void run();

    // Begins a graceful stop: no new connections, idle ones closed, busy
    // ones finish their current response. Safe from any thread.
    void stop();

    // Called (on an I/O thread; keep it short) for every SIGHUP.
    void on_hangup(std::function<void()> callback);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace regiomap::http
