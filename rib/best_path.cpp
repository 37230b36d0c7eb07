#include "rib/best_path.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace evpnd::rib {

namespace wire = bgp::wire;

std::string_view to_string(SelectionReason r) {
  switch (r) {
    case SelectionReason::OnlyPath: return "First path received";
    case SelectionReason::EvpnStickyMac: return "EVPN Sticky Mac";
    case SelectionReason::EvpnSequence: return "EVPN sequence number";
    case SelectionReason::EvpnLowerIp: return "EVPN lower IP";
    case SelectionReason::Weight: return "Weight";
    case SelectionReason::LocalPref: return "Local Pref";
    case SelectionReason::LocalRoute: return "Local Route";
    case SelectionReason::AsPath: return "AS Path";
    case SelectionReason::Origin: return "Origin";
    case SelectionReason::Med: return "MED";
    case SelectionReason::PeerType: return "Peer Type";
    case SelectionReason::IgpMetric: return "IGP Metric";
    case SelectionReason::RouterId: return "Router ID";
    case SelectionReason::ClusterLength: return "Cluster length";
    case SelectionReason::NeighborIp: return "Neighbor IP";
    case SelectionReason::PathId: return "Path ID";
    case SelectionReason::NothingLeft: return "Nothing left to compare";
  }
  return "?";
}

namespace {

// The step's verdict when the values differ: `a_wins` says which way.
std::optional<Comparison> decide(bool differ, bool a_wins, SelectionReason why) {
  if (!differ) return std::nullopt;
  return Comparison{a_wins ? Preferred::First : Preferred::Second, why};
}
template <typename T>
std::optional<Comparison> higher_wins(const T& a, const T& b, SelectionReason why) {
  return decide(a != b, a > b, why);
}
template <typename T>
std::optional<Comparison> lower_wins(const T& a, const T& b, SelectionReason why) {
  return decide(a != b, a < b, why);
}

std::size_t as_path_length(const wire::PathAttributes& a) { return a.as_path ? a.as_path->length() : 0; }
std::optional<std::uint32_t> neighbor_as(const wire::PathAttributes& a) {
  return a.as_path ? a.as_path->first_as() : std::nullopt;
}
std::uint32_t origin_rank(const wire::PathAttributes& a) {
  return static_cast<std::uint32_t>(a.origin.value_or(wire::Origin::Incomplete));
}

// RFC 7432 §15 as FRR applies it to every EVPN path (bgp_path_info_cmp, SAFI_EVPN).
std::optional<Comparison> compare_evpn(const EvpnSummary& a, const EvpnSummary& b) {
  // §15.2 leaves two sticky claims to the operator; a sticky MAC beats a moving one.
  if (auto c = higher_wins(a.sticky, b.sticky, SelectionReason::EvpnStickyMac)) return c;
  // §15.1: "the route with the higher sequence number wins".
  if (auto c = higher_wins(a.mobility_sequence, b.mobility_sequence, SelectionReason::EvpnSequence)) return c;
  // §15.1: with equal sequence numbers "the PE with the lower IP address" wins.
  if (a.next_hop && b.next_hop)
    if (auto c = lower_wins(*a.next_hop, *b.next_hop, SelectionReason::EvpnLowerIp)) return c;
  return std::nullopt;
}

}  // namespace

Comparison compare(const Candidate& a, const Candidate& b, const BestPathOptions& o) {
  const auto& x = *a.attrs;
  const auto& y = *b.attrs;
  const auto& p = *a.peer;
  const auto& q = *b.peer;
  if (a.evpn && b.evpn)
    if (auto c = compare_evpn(*a.evpn, *b.evpn)) return *c;
  if (auto c = higher_wins(p.weight, q.weight, SelectionReason::Weight)) return *c;
  if (auto c = higher_wins(x.local_pref.value_or(o.default_local_pref), y.local_pref.value_or(o.default_local_pref),
                           SelectionReason::LocalPref))
    return *c;
  if (auto c = higher_wins(p.local(), q.local(), SelectionReason::LocalRoute)) return *c;
  if (auto c = lower_wins(as_path_length(x), as_path_length(y), SelectionReason::AsPath)) return *c;
  if (auto c = lower_wins(origin_rank(x), origin_rank(y), SelectionReason::Origin)) return *c;
  // RFC 4271 §9.1.2.2 c): MEDs compare only between routes from the same neighbouring
  // AS; FRR also compares them between two internal routes (both AS paths empty).
  const bool internal = as_path_length(x) == 0 && as_path_length(y) == 0;
  const auto nx = neighbor_as(x);
  const bool same_neighbor = nx && nx == neighbor_as(y);
  if (o.always_compare_med || internal || same_neighbor)
    if (auto c = lower_wins(x.med.value_or(0), y.med.value_or(0), SelectionReason::Med)) return *c;
  if (auto c = higher_wins(!p.ibgp, !q.ibgp, SelectionReason::PeerType)) return *c;
  if (auto c = lower_wins(a.igp_metric, b.igp_metric, SelectionReason::IgpMetric)) return *c;
  // RFC 4456 §9: "If a route carries the ORIGINATOR_ID attribute, then in Step f) ...
  // the ORIGINATOR_ID SHOULD be treated as the BGP Identifier of the BGP speaker that
  // has advertised the route."
  const auto id_a = x.originator_id.value_or(p.router_id);
  const auto id_b = y.originator_id.value_or(q.router_id);
  if (auto c = lower_wins(id_a, id_b, SelectionReason::RouterId)) return *c;
  if (auto c = lower_wins(x.cluster_list.size(), y.cluster_list.size(), SelectionReason::ClusterLength)) return *c;
  if (auto c = lower_wins(p.address, q.address, SelectionReason::NeighborIp)) return *c;
  if (auto c = lower_wins(a.path_id, b.path_id, SelectionReason::PathId)) return *c;
  return Comparison{Preferred::First, SelectionReason::NothingLeft};
}

namespace {

// A plain walk: the running best meets each path in turn.
Selection walk(std::span<const Candidate> c, std::span<const std::size_t> order, const BestPathOptions& o) {
  Selection best{order[0], SelectionReason::OnlyPath};
  for (std::size_t k = 1; k < order.size(); ++k) {
    const auto i = order[k];
    const auto r = compare(c[i], c[best.index], o);
    best = r.preferred == Preferred::First ? Selection{i, r.reason} : Selection{best.index, r.reason};
  }
  return best;
}

}  // namespace

Selection select_best(std::span<const Candidate> c, const BestPathOptions& o) {
  std::vector<std::size_t> all(c.size());
  for (std::size_t i = 0; i < c.size(); ++i) all[i] = i;
  if (!o.deterministic_med || c.size() < 3) return walk(c, all, o);
  // Group by neighbouring AS (internal paths form one group), in order of first
  // appearance, pick each group's best, then the best of those.
  std::vector<std::pair<std::optional<std::uint32_t>, std::vector<std::size_t>>> groups;
  for (std::size_t i = 0; i < c.size(); ++i) {
    const auto as = neighbor_as(*c[i].attrs);
    auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& e) { return e.first == as; });
    if (g == groups.end()) g = groups.insert(groups.end(), {as, {}});
    g->second.push_back(i);
  }
  if (groups.size() == 1) return walk(c, groups.front().second, o);
  std::vector<std::size_t> winners;
  winners.reserve(groups.size());
  for (const auto& [as, members] : groups) winners.push_back(walk(c, members, o).index);
  return walk(c, winners, o);
}

}  // namespace evpnd::rib
