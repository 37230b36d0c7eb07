#pragma once
// Socket options the BGP security features need, on raw descriptors so that both the
// listener and each session's socket can use them:
//  - TCP-MD5 signatures (RFC 2385, `neighbor X password WORD`): every segment to and
//    from the peer carries a keyed digest; the kernel drops segments whose digest is
//    missing or wrong, silently, so the only trace is a kernel counter (read below);
//  - GTSM (RFC 5082, `neighbor X ttl-security hops N`): we send with TTL (hop limit)
//    255 and the kernel accepts only segments that arrive with at least 256 - N.
// Each returns an error text when the kernel refuses.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bgp/config.hpp"
#include "bgp/wire/types.hpp"

namespace evpnd::bgp {

// Signs the segments exchanged with `peer` on socket `fd` (a listener or a connection);
// an empty key removes the signature.
std::optional<std::string> set_tcp_md5(int fd, const wire::IpAddress& peer, std::string_view key);

// Sends with TTL / hop limit 255 (`min_ttl` 0: only that) and accepts only segments
// arriving with at least `min_ttl`.
std::optional<std::string> set_gtsm(int fd, bool ipv6, std::uint8_t min_ttl);

// The TTL a ttl-security peer's segments must arrive with: 256 - hops (RFC 5082 §3).
constexpr std::uint8_t gtsm_min_ttl(std::uint8_t hops) { return static_cast<std::uint8_t>(256 - hops); }

// The kernel's TCP-MD5 drop counters of this network namespace (/proc/net/netstat,
// TcpExt): segments with a wrong digest, without one where one was expected, and with
// one where none was configured.
struct Md5DropCounters {
  std::uint64_t failure = 0, not_found = 0, unexpected = 0;
  [[nodiscard]] std::uint64_t total() const { return failure + not_found + unexpected; }
};
std::optional<Md5DropCounters> read_md5_drop_counters();

}  // namespace evpnd::bgp
