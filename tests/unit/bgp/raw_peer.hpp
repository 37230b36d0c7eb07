#pragma once
// A scripted BGP peer for the speaker's fault tests: a non-blocking TCP socket the test
// drives between slices of the io_context, so everything stays on one thread and in
// order. It sends what the test tells it to (an OPEN, KEEPALIVEs, UPDATEs, ROUTE-REFRESH)
// and reads only when asked, so "a peer that stops reading" is a peer whose test does
// not call read(). Its receive buffer is kept small so that the window closes quickly.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "bgp/wire/message.hpp"

namespace evpnd::test {

class RawPeer {
 public:
  RawPeer() = default;
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;
  ~RawPeer() { close(); }

  // Connects from `local` to `remote`:`port` (loopback addresses), non-blocking once
  // connected. False if the connection is refused.
  bool connect(const char* local, const char* remote, std::uint16_t port, int rcvbuf = 4096) {
    close();
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return false;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    sockaddr_in me{};
    me.sin_family = AF_INET;
    ::inet_pton(AF_INET, local, &me.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&me), sizeof me) != 0) return false;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    ::inet_pton(AF_INET, remote, &to.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
      close();
      return false;
    }
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
    closed_by_peer_ = false;
    rx_.clear();
    return true;
  }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  [[nodiscard]] bool connected() const { return fd_ >= 0 && !closed_by_peer_; }
  [[nodiscard]] bool closed_by_peer() const { return closed_by_peer_; }

  // Sends a whole message; the socket's send buffer is ample for what tests send, a
  // short write is retried (it only happens while the speaker is not reading).
  bool send(const bgp::wire::ByteVec& msg) {
    std::size_t off = 0;
    while (off < msg.size()) {
      const ssize_t n = ::send(fd_, msg.data() + off, msg.size() - off, MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }
  bool send(const bgp::wire::Message& m, const bgp::wire::CodecContext& ctx = {}) { return send(bgp::wire::encode_message(m, ctx)); }

  bool send_open(std::uint32_t asn, std::uint32_t id, std::uint16_t hold,
                 std::vector<bgp::wire::Capability> extra = {}) {
    std::vector<bgp::wire::Capability> caps = {bgp::wire::MultiprotocolCap{bgp::wire::AfiSafi::l2vpn_evpn()}, bgp::wire::RouteRefreshCap{},
                                          bgp::wire::EnhancedRouteRefreshCap{}, bgp::wire::FourOctetAsCap{bgp::wire::Asn{asn}}};
    caps.insert(caps.end(), extra.begin(), extra.end());
    return send(bgp::wire::Message{bgp::wire::make_open(bgp::wire::Asn{asn}, hold, bgp::wire::RouterId{id}, caps)});
  }
  bool send_keepalive() { return send(bgp::wire::Message{bgp::wire::KeepaliveMessage{}}); }

  // Reads what has arrived (up to `max_bytes`) and returns the whole messages, decoded.
  // Remembers when the speaker closed the connection.
  std::vector<bgp::wire::DecodedMessage> read(std::size_t max_bytes = SIZE_MAX) {
    std::vector<bgp::wire::DecodedMessage> out;
    std::uint8_t buf[65536];
    std::size_t total = 0;
    while (fd_ >= 0 && total < max_bytes) {
      const ssize_t n = ::recv(fd_, buf, std::min(sizeof buf, max_bytes - total), 0);
      if (n == 0) {
        closed_by_peer_ = true;
        break;
      }
      if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) closed_by_peer_ = true;
        break;
      }
      rx_.insert(rx_.end(), buf, buf + n);
      total += static_cast<std::size_t>(n);
    }
    bgp::wire::CodecContext ctx;
    ctx.extended_message_rx = true;  // whatever the speaker may send
    std::size_t off = 0;
    while (true) {
      auto framed = bgp::wire::frame_length(bgp::wire::ByteSpan(rx_.data() + off, rx_.size() - off), ctx);
      if (!framed || !*framed) break;
      auto m = bgp::wire::decode_message(bgp::wire::ByteSpan(rx_.data() + off, **framed), ctx);
      off += **framed;
      if (m) out.push_back(std::move(*m));
    }
    rx_.erase(rx_.begin(), rx_.begin() + static_cast<std::ptrdiff_t>(off));
    return out;
  }

 private:
  int fd_ = -1;
  bool closed_by_peer_ = false;
  std::vector<std::uint8_t> rx_;
};

// Helpers over what read() returns.
template <class T>
std::vector<T> messages_of(const std::vector<bgp::wire::DecodedMessage>& ms) {
  std::vector<T> out;
  for (const auto& m : ms)
    if (const auto* t = std::get_if<T>(&m)) out.push_back(*t);
  return out;
}

}  // namespace evpnd::test
