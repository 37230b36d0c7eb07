#include "bgp/tcp_transport.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <cstring>
#include <vector>

#include "bgp/socket_options.hpp"

namespace evpnd::bgp {

namespace {

// Ends a connection so that the peer reads all we sent: a FIN after our last message
// (the NOTIFICATION), then the peer's last messages read and dropped until it closes too
// or `limit` passes. Closing with unread input makes the kernel answer with a RST, which
// throws away what is still unsent: the peer would see "connection reset" instead of
// our NOTIFICATION. Keeps itself alive through its handlers.
class LingeringClose : public std::enable_shared_from_this<LingeringClose> {
 public:
  explicit LingeringClose(tcp::socket socket) : socket_(std::move(socket)), timer_(socket_.get_executor()) {}
  void start(std::chrono::milliseconds limit) {
    boost::system::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    timer_.expires_after(limit);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code&) { self->close(); });
    drain();
  }

 private:
  void drain() {
    socket_.async_read_some(asio::buffer(buf_),
                            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                              if (ec) return self->close();
                              self->drain();
                            });
  }
  void close() {
    timer_.cancel();
    boost::system::error_code ec;
    socket_.close(ec);
  }
  tcp::socket socket_;
  asio::steady_timer timer_;
  std::array<std::uint8_t, 4096> buf_{};
};

class TcpTransport final : public Transport {
 public:
  explicit TcpTransport(tcp::socket socket) : socket_(std::move(socket)) {}
  ~TcpTransport() override {
    boost::system::error_code ec;
    socket_.close(ec);
  }

  void read_some(std::span<std::uint8_t> into, Done done) override {
    socket_.async_read_some(asio::buffer(into.data(), into.size()), std::move(done));
  }
  void write(std::span<const asio::const_buffer> buffers, Done done) override {
    asio::async_write(socket_, std::vector<asio::const_buffer>(buffers.begin(), buffers.end()), std::move(done));
  }
  void close(bool graceful, std::chrono::milliseconds linger) override {
    if (!socket_.is_open()) return;
    if (graceful) {
      std::make_shared<LingeringClose>(std::move(socket_))->start(linger);
    } else {
      boost::system::error_code ec;
      socket_.close(ec);
    }
  }
  [[nodiscard]] std::optional<tcp::endpoint> local_endpoint() const override {
    boost::system::error_code ec;
    auto ep = socket_.local_endpoint(ec);
    if (ec) return std::nullopt;
    return ep;
  }

 private:
  tcp::socket socket_;
};

// GTSM's minimum TTL is per neighbor, so it is set on every connection; TCP-MD5 only on
// ours (an accepted socket has the key the Speaker set on the listener).
void apply_socket_options(tcp::socket& socket, const SessionEndpoint& ep, bool accepted, const std::string& name) {
  const int fd = socket.native_handle();
  if (!accepted && !ep.password.empty()) {
    if (auto err = set_tcp_md5(fd, ep.remote, ep.password))
      spdlog::error("[{}] TCP-MD5 not set, the session cannot come up: {}", name, *err);
  }
  if (ep.ttl_security_hops) {
    if (auto err = set_gtsm(fd, ep.remote.is_v6(), gtsm_min_ttl(ep.ttl_security_hops)))
      spdlog::error("[{}] ttl-security not set: {}", name, *err);
  }
}

}  // namespace

tcp::endpoint to_endpoint(const wire::IpAddress& a, std::uint16_t port) {
  if (a.is_v4()) return {asio::ip::address_v4(a.v4_host_order()), port};
  asio::ip::address_v6::bytes_type b{};
  std::memcpy(b.data(), a.data(), 16);
  return {asio::ip::address_v6(b), port};
}

Connector::Cancel TcpConnector::connect(const SessionEndpoint& endpoint, const std::string& log_name, Connected done) {
  const auto remote = to_endpoint(endpoint.remote, endpoint.port);
  auto socket = std::make_shared<tcp::socket>(io_);
  // Cancelling closes the socket (the SYN is abandoned) and silences the handler.
  auto cancelled = std::make_shared<bool>(false);
  Cancel cancel = [socket = std::weak_ptr<tcp::socket>(socket), cancelled] {
    *cancelled = true;
    if (auto s = socket.lock()) {
      boost::system::error_code ignored;
      s->close(ignored);
    }
  };
  boost::system::error_code ec;
  socket->open(remote.protocol(), ec);
  if (!ec) apply_socket_options(*socket, endpoint, false, log_name);
  if (!ec && endpoint.local) socket->bind(to_endpoint(*endpoint.local, 0), ec);
  if (ec) {
    // Reported from the event loop, as a failed connect would be.
    asio::post(io_, [done = std::move(done), cancelled, why = "connect: " + ec.message()] {
      if (!*cancelled) done(nullptr, why);
    });
    return cancel;
  }
  socket->async_connect(remote, [socket, cancelled, done = std::move(done)](const boost::system::error_code& err) {
    if (*cancelled) return;
    if (err) return done(nullptr, "connect: " + err.message());
    boost::system::error_code nd;
    socket->set_option(tcp::no_delay(true), nd);
    done(std::make_unique<TcpTransport>(std::move(*socket)), {});
  });
  return cancel;
}

std::unique_ptr<Transport> adopt_tcp(tcp::socket socket, const SessionEndpoint& endpoint, const std::string& log_name) {
  apply_socket_options(socket, endpoint, true, log_name);
  return std::make_unique<TcpTransport>(std::move(socket));
}

}  // namespace evpnd::bgp
