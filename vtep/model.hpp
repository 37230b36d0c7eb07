#pragma once
// vtep::Model: what a VTEP knows of the hosts of its VNIs and what it wants done about
// them. Local MACs and neighbours come from the dataplane's learning; remote ones from
// the EVPN routes imported into the VNI (evpn/importer.hpp). For each MAC the model
// decides, by RFC 7432 §15, whether the host is here or behind another VTEP, and turns
// that into the forwarding entries the dataplane must hold (vtep/forwarding.hpp) and the
// Type-2 routes this VTEP must originate. Pure: events in (with the time they happened),
// changes out; no I/O, no clock of its own.
//
// The rules (RFC 7432 §15, FRR's zebra where the RFC leaves room):
//   - a MAC learned locally that is known as remote is advertised with the remote's
//     sequence + 1 (it moved here); a remote route with a higher sequence than ours means
//     the host moved away: the local entry is dropped and the remote one installed;
//     equal sequences go to the lower VTEP address (§15.1);
//   - a static (sticky) MAC, local or remote, never moves (§15.2);
//   - duplicate address detection as FRR's defaults: 5 moves within 180 s freeze the
//     MAC: its local side stops changing (no more sequence bumps or advertisements)
//     until `clear evpn dup-addr`;
//   - the anycast gateway (a MAC configured as the gateway's, present on every VTEP's
//     SVI) is local everywhere: a remote route for it is never installed, never
//     displaces it and never counts as a move;
//   - a MAC+IP route is originated for a local neighbour only while its MAC is local.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "evpn/nlri.hpp"
#include "vtep/forwarding.hpp"

namespace evpnd::vtep {

using TimePoint = std::chrono::steady_clock::time_point;

// What one imported EVPN route says of a remote MAC.
struct RemoteMacPath {
  IpAddress vtep;
  std::uint32_t sequence = 0;
  bool sticky = false;
  friend bool operator==(const RemoteMacPath&, const RemoteMacPath&) = default;
};

// A Type-2 route the VTEP originates (MAC only when `ip` is unset), and its withdrawal.
struct LocalMacRoute {
  Vni vni;
  MacAddress mac;
  std::optional<IpAddress> ip;
  std::uint32_t sequence = 0;
  bool sticky = false;
  friend bool operator==(const LocalMacRoute&, const LocalMacRoute&) = default;
};
struct LocalMacRouteGone {
  Vni vni;
  MacAddress mac;
  std::optional<IpAddress> ip;
  friend bool operator==(const LocalMacRouteGone&, const LocalMacRouteGone&) = default;
};
using Origination = std::variant<LocalMacRoute, LocalMacRouteGone>;

struct Changes {
  std::vector<Operation> forwarding;
  std::vector<Origination> originations;
  [[nodiscard]] bool empty() const { return forwarding.empty() && originations.empty(); }
};

struct DadOptions {
  bool enabled = true;
  std::uint32_t max_moves = 5;
  std::chrono::seconds window{180};
};

class Model {
 public:
  struct LocalMac {
    std::string port;
    bool is_static = false;
    std::uint32_t sequence = 0;
  };
  struct MacEntry {
    std::optional<LocalMac> local;
    // Each imported route's view, by the route that says it (a MAC-only and a MAC+IP
    // route, or routes from several VTEPs during a move).
    std::map<evpn::MacIpRouteKey, RemoteMacPath> remotes;
    std::set<IpAddress> local_ips;  // local neighbours with this MAC
    // What the model has asked for: the remote entry installed, the local route sent.
    std::optional<RemoteMac> installed;
    std::optional<LocalMacRoute> advertised;          // the MAC-only route
    std::map<IpAddress, LocalMacRoute> advertised_ips;  // the MAC+IP routes
    std::deque<TimePoint> moves;  // within the DAD window
    bool duplicate = false;       // frozen by DAD
    bool gateway = false;         // the anycast gateway MAC
  };
  struct RemoteNeighborPath {
    MacAddress mac;
    friend bool operator==(const RemoteNeighborPath&, const RemoteNeighborPath&) = default;
  };
  struct NeighborEntry {
    std::optional<MacAddress> local;
    std::map<evpn::MacIpRouteKey, RemoteNeighborPath> remotes;
    std::optional<MacAddress> installed;
  };
  struct VniState {
    IpAddress local_vtep;
    std::map<MacAddress, MacEntry> macs;
    std::map<IpAddress, NeighborEntry> neighbors;
    std::map<IpAddress, std::set<evpn::ImetRouteKey>> flood;  // VTEP -> the IMET routes naming it
  };

  explicit Model(DadOptions dad = {}) : dad_(dad) {}

  // A VNI becomes local (its VTEP address is `local_vtep`) or stops being local; going
  // removes every entry and route of it.
  void add_vni(Vni vni, IpAddress local_vtep);
  void remove_vni(Vni vni);
  // The anycast gateway MAC, local on every VTEP (`mac` configured as a gateway).
  void set_gateway_mac(Vni vni, MacAddress mac);

  // Local learning.
  void local_mac_learned(Vni vni, const MacAddress& mac, const std::string& port, bool is_static, TimePoint now);
  void local_mac_gone(Vni vni, const MacAddress& mac);
  void local_neighbor_learned(Vni vni, const IpAddress& ip, const MacAddress& mac);
  void local_neighbor_gone(Vni vni, const IpAddress& ip);

  // Imported routes: a Type-2 route's path (nullopt: the route left the VNI).
  void remote_mac_route(Vni vni, const evpn::MacIpRouteKey& key, const std::optional<RemoteMacPath>& path,
                        TimePoint now);
  // A Type-3 route naming `vtep` as a flood destination (nullopt: gone).
  void remote_imet_route(Vni vni, const evpn::ImetRouteKey& key, const std::optional<IpAddress>& vtep);

  // `clear evpn dup-addr vni N [mac M]`: unfreezes. Returns how many MACs it cleared.
  std::size_t clear_duplicates(Vni vni, const std::optional<MacAddress>& mac = std::nullopt);

  // What changed since the last call.
  Changes take_changes();

  [[nodiscard]] const std::map<Vni, VniState>& vnis() const { return vnis_; }
  [[nodiscard]] const VniState* find(Vni vni) const;

 private:
  void resolve_mac(Vni vni, VniState& v, const MacAddress& mac);
  void resolve_neighbor(Vni vni, VniState& v, const IpAddress& ip);
  void advertise_local(Vni vni, MacEntry& e, const MacAddress& mac);
  void withdraw_local(MacEntry& e);
  void count_move(MacEntry& e, TimePoint now);
  void erase_if_empty(VniState& v, const MacAddress& mac);

  DadOptions dad_;
  std::map<Vni, VniState> vnis_;
  Changes changes_;
};

}  // namespace evpnd::vtep
