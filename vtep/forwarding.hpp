#pragma once
// The forwarding state an EVPN VTEP wants from its dataplane, one value per entry: what
// the VTEP model decides (vtep/model.hpp) and what a fib::Backend installs. Each entry
// has a "gone" twin that removes it; an entry's identity is what names it in the
// dataplane (VNI + MAC, VNI + VTEP, VNI + IP), so a later value for the same identity
// replaces an earlier one (fib/programmer.hpp folds a backlog that way).
#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "bgp/wire/types.hpp"
#include "evpn/types.hpp"

namespace evpnd::vtep {

using IpAddress = bgp::wire::IpAddress;
using evpn::MacAddress;
using evpn::Vni;

// A host behind another VTEP: forward frames for `mac` in `vni` to `vtep`.
struct RemoteMac {
  Vni vni;
  MacAddress mac;
  IpAddress vtep;
  bool sticky = false;  // RFC 7432 §15.2: installed static (the kernel never moves it)
  friend bool operator==(const RemoteMac&, const RemoteMac&) = default;
};
struct RemoteMacGone {
  Vni vni;
  MacAddress mac;
  friend bool operator==(const RemoteMacGone&, const RemoteMacGone&) = default;
};
// Head-end replication: BUM frames of `vni` also go to `vtep` (an IMET route).
struct FloodVtep {
  Vni vni;
  IpAddress vtep;
  friend bool operator==(const FloodVtep&, const FloodVtep&) = default;
};
struct FloodVtepGone {
  Vni vni;
  IpAddress vtep;
  friend bool operator==(const FloodVtepGone&, const FloodVtepGone&) = default;
};
// ARP/ND suppression: a remote host's IP -> MAC on the VNI's SVI.
struct RemoteNeighbor {
  Vni vni;
  IpAddress ip;
  MacAddress mac;
  friend bool operator==(const RemoteNeighbor&, const RemoteNeighbor&) = default;
};
struct RemoteNeighborGone {
  Vni vni;
  IpAddress ip;
  friend bool operator==(const RemoteNeighborGone&, const RemoteNeighborGone&) = default;
};

// A local interface by its kernel name (at most 15 characters, IFNAMSIZ - 1), held
// inline so that an Operation stays as small as a RemoteMac: the programmer keeps one
// per entry, a million of them at scale.
class PortName {
 public:
  static constexpr std::size_t kMax = 15;
  static std::optional<PortName> make(std::string_view name) {
    if (name.empty() || name.size() > kMax) return std::nullopt;
    PortName p;
    std::memcpy(p.bytes_.data(), name.data(), name.size());
    return p;
  }
  [[nodiscard]] std::string_view view() const { return {bytes_.data(), ::strnlen(bytes_.data(), bytes_.size())}; }
  [[nodiscard]] std::string str() const { return std::string(view()); }
  friend auto operator<=>(const PortName&, const PortName&) = default;

 private:
  std::array<char, kMax + 1> bytes_{};
};

// `mac static` (ours): a host pinned to a local port of the VNI's bridge, as `bridge fdb
// add MAC dev PORT master static` pins it. The dataplane then reports the MAC learned as
// static, and the model advertises it sticky (RFC 7432 §15.2).
struct LocalStaticMac {
  Vni vni;
  MacAddress mac;
  PortName port;
  friend bool operator==(const LocalStaticMac&, const LocalStaticMac&) = default;
};
struct LocalStaticMacGone {
  Vni vni;
  MacAddress mac;
  PortName port;
  friend bool operator==(const LocalStaticMacGone&, const LocalStaticMacGone&) = default;
};

using Operation = std::variant<RemoteMac, RemoteMacGone, FloodVtep, FloodVtepGone, RemoteNeighbor, RemoteNeighborGone,
                               LocalStaticMac, LocalStaticMacGone>;

}  // namespace evpnd::vtep
