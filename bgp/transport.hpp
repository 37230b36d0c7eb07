#pragma once
// bgp::Transport: the byte stream under a Session, and bgp::Connector, which opens one
// towards a neighbor. The daemon uses TCP (bgp/tcp_transport.hpp: TCP-MD5, GTSM, the
// lingering close); the conformance harness uses in-memory pipes driven by the test, so
// that a session can be replayed message by message without sockets.
//
// Handlers run from the io_context, never from inside the call that starts the
// operation. After close() the transport calls no handler with success.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "bgp/asio.hpp"
#include "bgp/wire/types.hpp"

namespace evpnd::bgp {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct SessionEndpoint {
  wire::IpAddress remote;
  std::uint16_t port = 179;
  std::optional<wire::IpAddress> local;  // bind before connecting (update-source)
  std::string password;                  // TCP-MD5 (RFC 2385); empty: none
  std::uint8_t ttl_security_hops = 0;    // GTSM (RFC 5082); 0: off
};

class Transport {
 public:
  using Done = std::function<void(const boost::system::error_code&, std::size_t)>;
  virtual ~Transport() = default;
  // Reads what has arrived, at most into.size() bytes; asio::error::eof when the peer
  // closed its side.
  virtual void read_some(std::span<std::uint8_t> into, Done done) = 0;
  // Writes all of `buffers`, in order (a gathered write). The buffers stay valid until
  // `done` runs.
  virtual void write(std::span<const asio::const_buffer> buffers, Done done) = 0;
  // Ends the connection. `graceful`: everything written has been handed over; let the
  // peer read it before the connection goes (for at most `linger`).
  virtual void close(bool graceful, std::chrono::milliseconds linger) = 0;
  // Our address on the connection (next-hop-self, `show`).
  [[nodiscard]] virtual std::optional<tcp::endpoint> local_endpoint() const = 0;
};

class Connector {
 public:
  // `transport` is null when the connection failed; `error` then says why.
  using Connected = std::function<void(std::unique_ptr<Transport> transport, const std::string& error)>;
  // Abandons a connection attempt that has not finished: `done` is not called.
  using Cancel = std::function<void()>;
  virtual ~Connector() = default;
  virtual Cancel connect(const SessionEndpoint& endpoint, const std::string& log_name, Connected done) = 0;
};

}  // namespace evpnd::bgp
