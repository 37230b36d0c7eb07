#include "bgp/socket_options.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace evpnd::bgp {

namespace {

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

std::optional<std::string> set_tcp_md5(int fd, const wire::IpAddress& peer, std::string_view key) {
  if (key.size() > kMaxPasswordLength)
    return "TCP-MD5 password of " + std::to_string(key.size()) + " characters is longer than " +
           std::to_string(kMaxPasswordLength);
  tcp_md5sig sig{};
  if (peer.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&sig.tcpm_addr);
    sin->sin_family = AF_INET;
    std::memcpy(&sin->sin_addr, peer.data(), 4);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&sig.tcpm_addr);
    sin6->sin6_family = AF_INET6;
    std::memcpy(&sin6->sin6_addr, peer.data(), 16);
  }
  sig.tcpm_keylen = static_cast<std::uint16_t>(key.size());
  std::memcpy(sig.tcpm_key, key.data(), key.size());
  if (::setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof sig) != 0) {
    // Removing a key that was never set is not an error worth reporting.
    if (key.empty() && errno == ENOENT) return std::nullopt;
    return errno_text("TCP_MD5SIG");
  }
  return std::nullopt;
}

std::optional<std::string> set_gtsm(int fd, bool ipv6, std::uint8_t min_ttl) {
  const int ttl = 255;
  const int min = min_ttl;
  if (ipv6) {
    if (::setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof ttl) != 0) return errno_text("IPV6_UNICAST_HOPS");
    if (min_ttl && ::setsockopt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, &min, sizeof min) != 0)
      return errno_text("IPV6_MINHOPCOUNT");
  } else {
    if (::setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl) != 0) return errno_text("IP_TTL");
    if (min_ttl && ::setsockopt(fd, IPPROTO_IP, IP_MINTTL, &min, sizeof min) != 0) return errno_text("IP_MINTTL");
  }
  return std::nullopt;
}

std::optional<Md5DropCounters> read_md5_drop_counters() {
  // Two lines per group: names, then values ("TcpExt: A B ..." / "TcpExt: 1 2 ...").
  std::ifstream in("/proc/net/netstat");
  if (!in) return std::nullopt;
  std::string names, values;
  while (std::getline(in, names) && std::getline(in, values)) {
    if (names.rfind("TcpExt:", 0) != 0) continue;
    std::istringstream n(names), v(values);
    std::string name, skip;
    n >> skip;
    v >> skip;
    Md5DropCounters c;
    std::uint64_t value = 0;
    while (n >> name && v >> value) {
      if (name == "TCPMD5Failure") c.failure = value;
      else if (name == "TCPMD5NotFound") c.not_found = value;
      else if (name == "TCPMD5Unexpected") c.unexpected = value;
    }
    return c;
  }
  return std::nullopt;
}

}  // namespace evpnd::bgp
