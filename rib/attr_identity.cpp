#include "rib/attr_identity.hpp"

#include <cstdint>

namespace evpnd::rib {

namespace wire = bgp::wire;

namespace {

// A multiply-xorshift mix per word: fast, and good enough that sets differing in one
// community or one AS land in different buckets.
struct Hasher {
  std::uint64_t h = 0x9e3779b97f4a7c15ull;
  void add(std::uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  void add(const wire::ByteVec& b) {
    add(b.size());
    std::uint64_t w = 0;
    std::size_t i = 0;
    for (auto x : b) {
      w = (w << 8) | x;
      if (++i % 8 == 0) add(w), w = 0;
    }
    if (i % 8) add(w);
  }
  template <class T>
  void add_optional(const std::optional<T>& o) {
    add(o.has_value());
  }
};

}  // namespace

std::size_t attributes_hash(const wire::PathAttributes& a) {
  Hasher h;
  h.add(a.origin ? static_cast<std::uint64_t>(*a.origin) + 1 : 0);
  h.add_optional(a.as_path);
  if (a.as_path)
    for (const auto& s : a.as_path->segments) {
      h.add(static_cast<std::uint64_t>(s.type) << 32 | s.asns.size());
      for (auto asn : s.asns) h.add(asn);
    }
  h.add_optional(a.next_hop);
  if (a.next_hop) h.add(a.next_hop->v4_host_order());  // NEXT_HOP is IPv4 (RFC 4271 §5.1.3)
  h.add(a.med ? (std::uint64_t{1} << 32 | *a.med) : 0);
  h.add(a.local_pref ? (std::uint64_t{1} << 32 | *a.local_pref) : 0);
  h.add(a.atomic_aggregate);
  h.add_optional(a.aggregator);
  if (a.aggregator) h.add(std::uint64_t{a.aggregator->asn.value} << 32 | a.aggregator->address.v4_host_order());
  h.add(a.communities.size());
  for (auto c : a.communities) h.add(c);
  h.add(a.originator_id ? (std::uint64_t{1} << 32 | a.originator_id->value) : 0);
  h.add(a.cluster_list.size());
  for (auto c : a.cluster_list) h.add(c);
  h.add_optional(a.mp_reach);
  if (a.mp_reach) {
    h.add(std::uint64_t{a.mp_reach->family.afi} << 8 | a.mp_reach->family.safi);
    h.add(a.mp_reach->next_hop);
  }
  h.add(a.extended_communities.size());
  for (const auto& e : a.extended_communities) {
    std::uint64_t w = 0;
    for (auto x : e.bytes) w = (w << 8) | x;
    h.add(w);
  }
  h.add(a.large_communities.size());
  for (const auto& l : a.large_communities) {
    h.add(std::uint64_t{l.global_admin} << 32 | l.local1);
    h.add(l.local2);
  }
  h.add_optional(a.pmsi_tunnel);
  if (a.pmsi_tunnel) {
    const auto& p = *a.pmsi_tunnel;
    h.add(std::uint64_t{p.flags} << 40 | std::uint64_t{p.tunnel_type} << 32 | p.label);
    h.add(p.tunnel_id);
  }
  h.add(a.unknown.size());
  for (const auto& u : a.unknown) {
    h.add(std::uint64_t{u.flags} << 8 | u.type);
    h.add(u.value);
  }
  return static_cast<std::size_t>(h.h);
}

bool same_attributes(const wire::PathAttributes& a, const wire::PathAttributes& b) {
  if (a.mp_reach.has_value() != b.mp_reach.has_value()) return false;
  if (a.mp_reach && (a.mp_reach->family != b.mp_reach->family || a.mp_reach->next_hop != b.mp_reach->next_hop))
    return false;
  return a.origin == b.origin && a.as_path == b.as_path && a.next_hop == b.next_hop && a.med == b.med &&
         a.local_pref == b.local_pref && a.atomic_aggregate == b.atomic_aggregate && a.aggregator == b.aggregator &&
         a.communities == b.communities && a.originator_id == b.originator_id && a.cluster_list == b.cluster_list &&
         a.extended_communities == b.extended_communities && a.large_communities == b.large_communities &&
         a.pmsi_tunnel == b.pmsi_tunnel && a.unknown == b.unknown;
}

wire::PathAttributes canonical_copy(const wire::PathAttributes& a) {
  // On a miss only (once per distinct set): copy, then drop the per-message parts, freeing
  // their buffers, so what the store keeps holds no NLRI.
  wire::PathAttributes c = a;
  c.wire_order = {};
  c.mp_unreach.reset();
  if (c.mp_reach) {
    c.mp_reach->nlri = {};
    c.mp_reach->prefixes = {};
    c.mp_reach->position = {};
  }
  return c;
}

}  // namespace evpnd::rib
