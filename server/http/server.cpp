#include "http/server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <list>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/error_response.hpp"

namespace regiomap::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

class Session;

// What the acceptor and every session share. Sessions hold it by
// shared_ptr, so it outlives the last of them.
struct Shared {
    Shared(ServerLimits l, Handler h, Logger& lg, AccessLog* al, net::io_context& ioc)
        : limits(l), handler(std::move(h)), log(lg), access_log(al), drain_timer(ioc) {}

    ServerLimits limits;
    Handler handler;
    Logger& log;
    AccessLog* access_log;  // null: no access log
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> connections{0};
    net::steady_timer drain_timer;  // fires when the shutdown grace time is over

    std::mutex sessions_mutex;
    std::list<std::weak_ptr<Session>> sessions;

    void connection_closed() {
        if (connections.fetch_sub(1) == 1 && stopping) {
            net::post(drain_timer.get_executor(), [this] { drain_timer.cancel(); });
        }
    }
};

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket&& socket, std::shared_ptr<Shared> shared, std::size_t thread)
        : stream_(std::move(socket)), shared_(std::move(shared)), thread_(thread) {
        beast::error_code ec;
        // Every response is one gathered write: send it now rather than
        // let Nagle hold its tail back for the client's delayed ACK.
        stream_.socket().set_option(tcp::no_delay(true), ec);
        auto endpoint = stream_.socket().remote_endpoint(ec);
        remote_ = ec ? "?" : endpoint.address().to_string();
    }
    ~Session() { shared_->connection_closed(); }

    void start(std::list<std::weak_ptr<Session>>::iterator registration) {
        registration_ = registration;
        net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read_request, shared_from_this()));
    }

    // Called on stop: a connection waiting for its next request is closed
    // now; one in the middle of a request finishes it first.
    void close_if_idle() {
        net::post(stream_.get_executor(), [self = shared_from_this()] {
            // Waiting for a request and not one byte of it received yet.
            const bool nothing_received = self->buffer_.size() == 0 && !(self->parser_ && self->parser_->got_some());
            if (self->idle_ && nothing_received) {
                self->close();
            }
        });
    }

    // Closes the socket at once; only when no I/O thread runs any more.
    void close_now() { close(); }

private:
    void read_request() {
        if (shared_->stopping) {
            close();
            return;
        }
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(shared_->limits.header_limit));
        parser_->body_limit(shared_->limits.body_limit);
        idle_ = buffer_.size() == 0;
        stream_.expires_after(shared_->limits.io_timeout);
        bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        idle_ = false;
        if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted || ec == beast::error::timeout ||
            ec == net::error::connection_reset || ec == net::error::eof) {
            close();
            return;
        }
        if (ec) {
            // The request cannot be read: answer once, then close, since the
            // stream is no longer in a known state.
            unsigned status = 400;
            std::string description = "malformed HTTP request: " + ec.message();
            if (ec == bhttp::error::header_limit) {
                status = 431;
                description = "request headers exceed " + std::to_string(shared_->limits.header_limit) + " bytes";
            } else if (ec == bhttp::error::body_limit) {
                status = 413;
                description = "request body exceeds " + std::to_string(shared_->limits.body_limit) + " bytes";
            }
            Response response = error_response(status, description);
            response.set_header("Access-Control-Allow-Origin", "*");
            send(response, 11, false, false, "-", "-");
            return;
        }
        started_ = std::chrono::steady_clock::now();
        const auto& message = parser_->get();
        Request request;
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        for (const auto& field : message) {
            std::string name(field.name_string());
            for (char& c : name) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            request.headers.emplace_back(std::move(name), std::string(field.value()));
        }
        request.body = message.body();
        request.client = remote_;
        Response response;
        try {
            response = shared_->handler(request);
        } catch (const std::exception& error) {  // the handler should not throw; never let it kill the server
            shared_->log.error(std::string("handler failed: ") + error.what());
            response = error_response(500, "internal error");
        }
        const bool keep_alive = message.keep_alive() && !shared_->stopping;
        send(response, message.version(), keep_alive, request.method == "HEAD", request.method, request.target);
    }

    void send(Response& response, unsigned version, bool keep_alive, bool head, const std::string& method,
              const std::string& target) {
        const std::size_t body_bytes = response.body_size();
        const bool has_body = !head && response.status != 204 && response.status != 304;
        if (shared_->access_log) {
            shared_->access_log->record(
                thread_, remote_, method, target, response.status, has_body ? body_bytes : 0,
                std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_));
        }
        // The head is written by hand into a buffer the session reuses, and
        // goes out with the body in one gathered write: Beast's serializer
        // and its field list cost a tenth of a cached tile's time.
        write_head(head_, response, version, keep_alive, body_bytes);
        std::shared_ptr<const std::string> body = std::move(response.shared_body);
        if (!body && has_body) {
            body = std::make_shared<const std::string>(std::move(response.body));
        }
        const std::array<net::const_buffer, 2> buffers{net::buffer(head_),
                                                       has_body && body ? net::buffer(*body) : net::const_buffer()};
        stream_.expires_after(shared_->limits.io_timeout);
        net::async_write(
            stream_, buffers,
            [self = shared_from_this(), body = std::move(body), keep_alive](beast::error_code ec, std::size_t) {
                if (ec || !keep_alive) {
                    self->close();
                    return;
                }
                self->read_request();
            });
    }

    // The status line and header fields of `response`. Values come from
    // the handlers; one that could split the header (CR or LF, e.g. echoed
    // from a request) is left out rather than sent.
    void write_head(std::string& out, const Response& response, unsigned version, bool keep_alive,
                    std::size_t body_bytes) {
        auto safe = [](std::string_view text) {
            // A plain loop: short values, and find_first_of's two memchr
            // calls per value were 3 % of a cached tile's time.
            return std::none_of(text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; });
        };
        out.clear();
        out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
        out += std::to_string(response.status);
        out += ' ';
        out += bhttp::obsolete_reason(bhttp::int_to_status(response.status));
        out += "\r\nServer: regiomap\r\n";
        if (!response.content_type.empty() && safe(response.content_type)) {
            out += "Content-Type: ";
            out += response.content_type;
            out += "\r\n";
        }
        for (const auto& [name, value] : response.headers) {
            if (safe(name) && safe(value)) {
                out += name;
                out += ": ";
                out += value;
                out += "\r\n";
            } else {
                shared_->log.warning("header " + name + " left out: its value holds a line break");
            }
        }
        if (response.status != 204 && response.status != 304) {
            out += "Content-Length: ";  // for HEAD too: the length GET would send
            out += std::to_string(body_bytes);
            out += "\r\n";
        }
        // HTTP/1.1 keeps a connection by default, 1.0 closes it by default.
        if (version >= 11 && !keep_alive) {
            out += "Connection: close\r\n";
        } else if (version < 11 && keep_alive) {
            out += "Connection: keep-alive\r\n";
        }
        out += "\r\n";
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
        std::lock_guard lock(shared_->sessions_mutex);
        if (registered_) {
            shared_->sessions.erase(registration_);
            registered_ = false;
        }
    }

    beast::tcp_stream stream_;
    std::shared_ptr<Shared> shared_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    std::string head_;  // the response head being written; one response at a time
    std::list<std::weak_ptr<Session>>::iterator registration_;
    bool registered_ = true;
    bool idle_ = false;
    std::string remote_;
    std::size_t thread_;  // index of the I/O thread (and context) the connection lives on
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace

// One io_context per I/O thread, each run by exactly one thread: a
// connection lives on one context for its whole life, so its handlers
// never need a strand and the threads share no reactor lock (with one
// shared io_context the two threads spent a sixth of the hot-tile time
// waking each other and in strand queues). The first context also holds
// the acceptor, the signal sets and the drain timer.
struct HttpServer::Impl {
    Impl(const std::string& address, std::uint16_t port, unsigned threads, ServerLimits limits, Handler handler,
         Logger& log, AccessLog* access_log)
        : contexts(make_contexts(threads)),
          acceptor(*contexts.front()),
          signals(*contexts.front(), SIGINT, SIGTERM),
          hangup(*contexts.front(), SIGHUP),
          usr1(*contexts.front(), SIGUSR1),
          shared(std::make_shared<Shared>(limits, std::move(handler), log, access_log, *contexts.front())) {
        tcp::endpoint endpoint{net::ip::make_address(address), port};
        acceptor.open(endpoint.protocol());
        acceptor.set_option(net::socket_base::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen(net::socket_base::max_listen_connections);
    }

    static std::vector<std::unique_ptr<net::io_context>> make_contexts(unsigned threads) {
        std::vector<std::unique_ptr<net::io_context>> out;
        for (unsigned i = 0; i < std::max(threads, 1u); ++i) {
            out.push_back(std::make_unique<net::io_context>(1));  // 1: run by one thread
        }
        return out;
    }

    void accept() {
        // Connections go to the contexts in turn.
        const std::size_t thread = next_connection++ % contexts.size();
        acceptor.async_accept(*contexts[thread], [this, thread](beast::error_code ec, tcp::socket socket) {
            if (ec) {
                if (ec == net::error::operation_aborted || !acceptor.is_open()) {
                    return;  // stopping
                }
                // e.g. EMFILE: log, keep accepting rather than die.
                shared->log.warning("accept failed: " + ec.message());
            } else if (shared->connections >= shared->limits.max_connections) {
                refuse(std::move(socket));
            } else {
                ++shared->connections;
                auto session = std::make_shared<Session>(std::move(socket), shared, thread);
                std::list<std::weak_ptr<Session>>::iterator registration;
                {
                    std::lock_guard lock(shared->sessions_mutex);
                    registration = shared->sessions.insert(shared->sessions.end(), session);
                }
                session->start(registration);
            }
            if (acceptor.is_open()) {
                accept();
            }
        });
    }

    // Over the connection limit: a short 503 instead of a silent drop.
    void refuse(tcp::socket socket) {
        static constexpr std::string_view body =
            R"({"code":"ServiceUnavailable","description":"too many connections; retry shortly"})";
        auto reply = std::make_shared<std::string>(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
            "Connection: close\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + std::string(body));
        auto held = std::make_shared<tcp::socket>(std::move(socket));
        net::async_write(*held, net::buffer(*reply), [held, reply](beast::error_code, std::size_t) {
            beast::error_code ignored;
            held->shutdown(tcp::socket::shutdown_both, ignored);
            held->close(ignored);
        });
    }

    void stop() {
        net::post(acceptor.get_executor(), [this] {
            if (shared->stopping.exchange(true)) {
                return;
            }
            shared->log.info("stopping: no new connections, in-flight requests finish (grace " +
                             std::to_string(shared->limits.shutdown_grace.count()) + " s)");
            beast::error_code ignored;
            acceptor.close(ignored);
            signals.cancel(ignored);
            hangup.cancel(ignored);
            usr1.cancel(ignored);
            shared->drain_timer.expires_after(shared->limits.shutdown_grace);
            shared->drain_timer.async_wait([this](beast::error_code ec) {
                if (!ec) {
                    shared->log.warning("grace time over: closing the remaining connections");
                    for (auto& context : contexts) {
                        context->stop();
                    }
                }
                // Drained (or given up on): let every context run out of work.
                keep_running.clear();
            });
            std::vector<std::shared_ptr<Session>> open;
            {
                std::lock_guard lock(shared->sessions_mutex);
                for (auto& weak : shared->sessions) {
                    if (auto session = weak.lock()) {
                        open.push_back(std::move(session));
                    }
                }
            }
            for (auto& session : open) {
                session->close_if_idle();
            }
            if (shared->connections == 0) {
                shared->drain_timer.cancel();
            }
        });
    }

    std::vector<std::unique_ptr<net::io_context>> contexts;
    // Keeps a context without connections from returning from run().
    std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
    std::size_t next_connection = 0;  // used by the acceptor's handler only
    tcp::acceptor acceptor;
    net::signal_set signals;
    net::signal_set hangup;
    net::signal_set usr1;  // reopens the access log
    std::function<void()> on_hangup;
    std::shared_ptr<Shared> shared;

    void wait_for_hangup() {
        hangup.async_wait([this](beast::error_code ec, int) {
            if (ec) {
                return;  // cancelled: stopping
            }
            if (on_hangup) {
                on_hangup();
            }
            wait_for_hangup();
        });
    }

    void wait_for_usr1() {
        usr1.async_wait([this](beast::error_code ec, int) {
            if (ec) {
                return;  // cancelled: stopping
            }
            if (shared->access_log) {
                shared->log.info("SIGUSR1: reopening the access log");
                shared->access_log->reopen();
            }
            wait_for_usr1();
        });
    }

    // After every I/O thread has returned: closes the connections that are
    // left (those the grace time gave up on) and runs the contexts until
    // their cancelled operations have completed, so that every session, and
    // every handler a session posts to the first context as it goes, is
    // released while all contexts still exist. (Destroying the contexts
    // with sessions still queued in them freed the first context before the
    // sessions of the others posted to it: a use-after-free on stop.)
    void release_connections() {
        std::vector<std::shared_ptr<Session>> open;
        {
            std::lock_guard lock(shared->sessions_mutex);
            for (auto& weak : shared->sessions) {
                if (auto session = weak.lock()) {
                    open.push_back(std::move(session));
                }
            }
        }
        for (auto& session : open) {
            session->close_now();
        }
        open.clear();
        for (bool ran = true; ran;) {
            ran = false;
            for (auto& context : contexts) {
                context->restart();
                ran = context->poll() > 0 || ran;
            }
        }
    }
};

HttpServer::HttpServer(const std::string& address, std::uint16_t port, unsigned threads, ServerLimits limits,
                       Handler handler, Logger& log, AccessLog* access_log)
    : impl_(std::make_unique<Impl>(address, port, threads, limits, std::move(handler), log, access_log)) {}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const {
    return impl_->acceptor.local_endpoint().port();
}

void HttpServer::run() {
    impl_->signals.async_wait([this](beast::error_code ec, int) {
        if (!ec) {
            stop();
        }
    });
    impl_->wait_for_hangup();
    impl_->wait_for_usr1();
    impl_->accept();
    for (auto& context : impl_->contexts) {
        impl_->keep_running.push_back(net::make_work_guard(*context));
    }
    std::vector<std::thread> workers;
    for (std::size_t i = 1; i < impl_->contexts.size(); ++i) {
        workers.emplace_back([context = impl_->contexts[i].get()] { context->run(); });
    }
    impl_->contexts.front()->run();
    for (auto& worker : workers) {
        worker.join();
    }
    impl_->release_connections();
    impl_->shared->log.info("stopped");
}

void HttpServer::stop() {
    impl_->stop();
}

void HttpServer::on_hangup(std::function<void()> callback) {
    impl_->on_hangup = std::move(callback);
}

}  // namespace regiomap::http
