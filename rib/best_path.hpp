#pragma once
// Best path as pure functions (STYLE: like the FSM, no state, tested as a matrix).
//
// compare(a, b) follows RFC 4271 §9.1.2 in FRR's order (bgp_path_info_cmp), so that
// evpnd and the FRR leaves next to it pick the same path:
//   EVPN only (RFC 7432 §15, FRR): sticky MAC wins; higher MAC Mobility sequence wins;
//     equal sequence: the lower next hop (VTEP) wins
//   1 weight (higher)            2 LOCAL_PREF (higher; absent = the default, 100)
//   3 locally originated         4 AS_PATH length (shorter; a set counts 1)
//   5 ORIGIN (lower)             6 MED (lower; absent = 0), only between paths from the
//     same neighbouring AS or both internal, unless `bgp always-compare-med`
//   7 eBGP over iBGP             8 IGP metric to the next hop (lower; unknown = 0)
//   9 router ID (lower), the ORIGINATOR_ID standing in for it (RFC 4456 §9)
//  10 CLUSTER_LIST length (shorter; RFC 4456 §9 puts it after the router ID)
//  11 neighbour address (lower)  12 ADD-PATH path identifier (lower)
// Departures from FRR, all deterministic where FRR's are not: no "prefer the oldest
// eBGP path" step (FRR's default; it depends on arrival order, `bgp bestpath
// compare-routerid` turns it off), and CLUSTER_LIST length only after the router ID
// (FRR also compares it with the IGP metric between two iBGP paths). The EVPN proxy and
// local-ES steps of FRR need multihoming, which evpnd does not do yet.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "bgp/wire/update.hpp"
#include "rib/evpn_summary.hpp"
#include "rib/peer_info.hpp"

namespace evpnd::rib {

// Why the best path won its last comparison; the words are FRR's `selectionReason`.
enum class SelectionReason : std::uint8_t {
  OnlyPath,
  EvpnStickyMac,
  EvpnSequence,
  EvpnLowerIp,
  Weight,
  LocalPref,
  LocalRoute,
  AsPath,
  Origin,
  Med,
  PeerType,
  IgpMetric,
  RouterId,
  ClusterLength,
  NeighborIp,
  PathId,
  NothingLeft,
};
std::string_view to_string(SelectionReason r);

struct BestPathOptions {
  bool always_compare_med = false;  // `bgp always-compare-med`
  bool deterministic_med = false;   // `bgp deterministic-med`
  std::uint32_t default_local_pref = 100;  // `bgp default local-preference`
};

// One path as best path reads it. Pointers because a Candidate is built per comparison
// over paths that live in the table; none may be null except `evpn`.
struct Candidate {
  const bgp::wire::PathAttributes* attrs = nullptr;
  const PeerInfo* peer = nullptr;
  const EvpnSummary* evpn = nullptr;  // set on EVPN paths: the RFC 7432 §15 steps apply
  std::uint32_t path_id = 0;
  std::uint32_t igp_metric = 0;
};

enum class Preferred : std::uint8_t { First, Second };
struct Comparison {
  Preferred preferred = Preferred::First;
  SelectionReason reason = SelectionReason::NothingLeft;
  friend bool operator==(const Comparison&, const Comparison&) = default;
};

Comparison compare(const Candidate& a, const Candidate& b, const BestPathOptions& options);

struct Selection {
  std::size_t index = 0;
  SelectionReason reason = SelectionReason::OnlyPath;
  friend bool operator==(const Selection&, const Selection&) = default;
};

// The best of `candidates` (not empty), and why it beat the last path it was compared
// with. MED is not transitive, so the result of a plain walk depends on the order: the
// caller passes the paths in a fixed order (the table keeps them by source), and with
// `bgp deterministic-med` paths are first compared within groups of the same
// neighbouring AS, then the groups' winners against each other (RFC 4271 §9.1.2.2 c).
Selection select_best(std::span<const Candidate> candidates, const BestPathOptions& options);

}  // namespace evpnd::rib
