#pragma once
// EVPN instances: one per L2VNI (RFC 7432 §5: an EVI; RFC 8365 §5.1.2: VLAN-based
// service, one VNI per EVI). What the configuration says of a VNI (`vni N` with `rd` and
// `route-target import|export|both`, as FRR spells them), what is derived when it says
// nothing (FRR's auto RD and auto RT), and the import rule that decides which VNIs a
// received route belongs to. Values in, values out: no I/O.
//
// Derivation, as FRR does it (bgpd/bgp_evpn.c, facts checked against FRR 8.4):
//   - auto RD: type 1, router-id:index, the index allocated per instance from one space
//     shared with the BGP instance itself (which holds 1), so the first VNI gets 2;
//   - auto RT: 2-octet-AS type, (AS & 0xFFFF):VNI, even for a 4-octet AS; with
//     `autort rfc8365-compatible` the local part is 0x10000000 | VNI (RFC 8365 §5.1.2.1:
//     type 1, VXLAN); `autort as4` (ours, per VNI) gives the 4-octet-AS type AS:VNI, for
//     VNIs that fit 16 bits;
//   - auto import matches on the local-admin part only (any AS, any RT format), so that
//     leaves in different ASes (eBGP fabrics) import each other's routes; an explicitly
//     configured import RT matches exactly.
// Routes are imported by route target, never by RD.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bgp/wire/types.hpp"
#include "evpn/ext_community.hpp"
#include "evpn/types.hpp"

namespace evpnd::evpn {

enum class AutoRtForm : std::uint8_t { Frr, Rfc8365, As4 };

// `vni N create bridge NAME vxlan NAME local IP` (ours): the devices to create when the
// kernel has none for the VNI.
struct VniDevicesToCreate {
  std::string bridge;
  std::string vxlan;
  bgp::wire::IpAddress local;
  friend bool operator==(const VniDevicesToCreate&, const VniDevicesToCreate&) = default;
};

// `mac static MAC interface IFNAME` (ours): a host pinned to a port of the VNI's bridge,
// advertised sticky (RFC 7432 §15.2) and never moved by a remote route.
struct StaticMacConfig {
  MacAddress mac;
  std::string interface;
  friend bool operator==(const StaticMacConfig&, const StaticMacConfig&) = default;
};

// A `vni N` stanza under `address-family l2vpn evpn`.
struct VniConfig {
  Vni vni;
  std::optional<RouteDistinguisher> rd;
  std::vector<RouteTarget> import_rts;  // explicit, in the order written
  std::vector<RouteTarget> export_rts;
  std::optional<AutoRtForm> autort;     // `autort as4` (ours); unset: the global form
  std::optional<VniDevicesToCreate> create;
  std::vector<StaticMacConfig> static_macs;  // sorted by MAC, one per MAC
  // `anycast-gateway mac MAC` (ours): the distributed gateway's MAC, on the SVI of every
  // VTEP of the VNI: a remote route for it is never installed nor counted as a move.
  std::optional<MacAddress> gateway_mac;
  friend bool operator==(const VniConfig&, const VniConfig&) = default;
};

// What an instance uses: configured values, or the derived ones where none are.
struct EvpnInstance {
  Vni vni;
  RouteDistinguisher rd;
  bool rd_auto = true;
  std::vector<RouteTarget> import_rts;
  bool import_auto = true;
  std::vector<RouteTarget> export_rts;
  bool export_auto = true;
  friend bool operator==(const EvpnInstance&, const EvpnInstance&) = default;
};

// What derivation needs of the BGP instance.
struct InstanceContext {
  bgp::wire::Asn asn;
  bgp::wire::RouterId router_id;
  AutoRtForm autort = AutoRtForm::Frr;  // `autort rfc8365-compatible` sets Rfc8365
};

// The auto RT of `vni` in `form`. nullopt: the form cannot hold it (As4 with a VNI above
// 65535).
std::optional<RouteTarget> auto_route_target(Vni vni, bgp::wire::Asn asn, AutoRtForm form);

// The effective instance. `rd_index` is the instance's auto-RD index (RdIndexes below).
EvpnInstance resolve_instance(const VniConfig& config, const InstanceContext& ctx, std::uint16_t rd_index);

// Does a route carrying `route_targets` belong to `instance`?
bool imports(const EvpnInstance& instance, std::span<const RouteTarget> route_targets);

// Auto-RD indexes, FRR's way: the lowest free index from 2 up (1 is the BGP instance's),
// kept while the VNI exists, freed when it goes.
class RdIndexes {
 public:
  std::uint16_t assign(Vni vni);  // the VNI's index, assigning one if it has none
  void release(Vni vni);
  [[nodiscard]] std::optional<std::uint16_t> find(Vni vni) const;

 private:
  struct Slot {
    Vni vni;
    std::uint16_t index;
  };
  std::vector<Slot> slots_;  // by index
};

}  // namespace evpnd::evpn
