#pragma once
// fib::Backend: the one small interface between the FIB programmer and a forwarding
// plane (the Linux kernel over netlink here; the in-process dataplane of issue 9 next).
// Operations go in as values, in batches, and come back as one result each; what the
// forwarding plane learns by itself (local MACs and neighbours, VNIs and links going up
// and down) comes back as events. A backend runs on the programmer's thread only
// (fib/programmer.hpp), so it needs no locking, and it may block: nothing on that
// thread keeps a BGP session alive.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "bgp/wire/types.hpp"
#include "evpn/types.hpp"
#include "vtep/forwarding.hpp"

namespace evpnd::fib {

using IpAddress = bgp::wire::IpAddress;
using evpn::MacAddress;
using evpn::Vni;

// An L2VNI as the forwarding plane holds it: the bridge its hosts are on, the VXLAN
// device carrying the VNI, and the local tunnel address (the VTEP IP). `svi` is where the
// VNI's neighbours (ARP/ND) live: on a bridge without VLAN filtering, the bridge itself
// (zebra's rule).
struct VniDevice {
  Vni vni;
  std::string bridge;
  std::string vxlan;
  std::optional<IpAddress> local;  // the vxlan device's `local`; none: not a usable VTEP
  std::string svi;  // empty: none (a VLAN-aware bridge without a VLAN device for the VNI)
  bool up = false;  // the vxlan device is up
  std::uint16_t vlan = 0;  // the VNI's VLAN on a VLAN-aware bridge; 0 on a bridge without
  friend bool operator==(const VniDevice&, const VniDevice&) = default;
};

// `vni N create bridge NAME vxlan NAME local IP` (ours): what ensure_vni creates when
// the devices are missing. Without `create`, existing devices are only adopted.
struct VniSpec {
  Vni vni;
  std::optional<std::string> bridge;
  std::optional<std::string> vxlan;
  std::optional<IpAddress> local;
  bool create = false;
  friend bool operator==(const VniSpec&, const VniSpec&) = default;
};

// The forwarding entries an EVPN VTEP installs (vtep/forwarding.hpp), as operations.
using vtep::FloodVtep;
using vtep::FloodVtepGone;
using vtep::LocalStaticMac;
using vtep::LocalStaticMacGone;
using vtep::Operation;
using vtep::RemoteMac;
using vtep::RemoteMacGone;
using vtep::RemoteNeighbor;
using vtep::RemoteNeighborGone;

struct OperationResult {
  int error = 0;  // 0: done; else an errno value
  std::string message;  // the backend's words for a failure (netlink's extended ack)
  [[nodiscard]] bool ok() const { return error == 0; }
};

// What the forwarding plane reports by itself.
struct LocalMacLearned {  // a host appeared (or moved) on a local port of the VNI's bridge
  Vni vni;
  MacAddress mac;
  std::string port;
  bool is_static = false;  // configured by the operator on the port, never aged or moved
  friend bool operator==(const LocalMacLearned&, const LocalMacLearned&) = default;
};
struct LocalMacGone {  // aged out or deleted
  Vni vni;
  MacAddress mac;
  friend bool operator==(const LocalMacGone&, const LocalMacGone&) = default;
};
struct LocalNeighborLearned {  // a local host's IP -> MAC on the VNI's SVI
  Vni vni;
  IpAddress ip;
  MacAddress mac;
  friend bool operator==(const LocalNeighborLearned&, const LocalNeighborLearned&) = default;
};
struct LocalNeighborGone {
  Vni vni;
  IpAddress ip;
  friend bool operator==(const LocalNeighborGone&, const LocalNeighborGone&) = default;
};
struct VniAppeared {  // discovered, or changed (local address, link state)
  VniDevice device;
  friend bool operator==(const VniAppeared&, const VniAppeared&) = default;
};
struct VniGone {
  Vni vni;
  friend bool operator==(const VniGone&, const VniGone&) = default;
};

using Event = std::variant<LocalMacLearned, LocalMacGone, LocalNeighborLearned, LocalNeighborGone, VniAppeared,
                           VniGone>;

// What a backend reports it holds of its own making (reconcile on start): the remote
// MACs, flood entries and neighbours it installed in an earlier life.
struct Installed {
  std::vector<RemoteMac> macs;
  std::vector<FloodVtep> flood;
  std::vector<RemoteNeighbor> neighbors;
};

class Backend {
 public:
  virtual ~Backend() = default;

  // Adopts the VNI's devices (or creates them when `spec.create`), and from then on
  // reports its local MACs and neighbours. A string: it failed, and why.
  virtual std::variant<VniDevice, std::string> ensure_vni(const VniSpec& spec) = 0;
  // Every usable L2VNI present now (advertise-all-vni): a vxlan device with a VNI and a
  // local address, enslaved to a bridge.
  virtual std::vector<VniDevice> discover() = 0;
  // The local MACs and neighbours of the VNIs ensured so far, as events, so that
  // learning starts from what is already there.
  virtual std::vector<Event> local_state() = 0;
  // What this backend installed that is still present, in the VNIs ensured so far.
  virtual Installed installed() = 0;
  // Applies the operations in order, in as few round trips as the backend can; one
  // result per operation.
  virtual std::vector<OperationResult> apply(std::span<const Operation> ops) = 0;

  // Events arrive on a descriptor: when it is readable, read_events() returns what is
  // there without blocking. -1: this backend has no events.
  [[nodiscard]] virtual int event_fd() const = 0;
  virtual std::vector<Event> read_events() = 0;
};

}  // namespace evpnd::fib
