// FRR 8.4 prefix strings for EVPN routes (lib/prefix.c prefixevpn_*2str), so `show`
// output and JSON keys match what FRR users already read and script against. Every field
// in these strings is part of the route key, so keys and routes print the same.
#include <cstdio>

#include "evpn/nlri.hpp"

namespace evpnd::evpn {

namespace {

// FRR formats the Type-2/3/5 Ethernet Tag with %d (signed); keep its output for tags
// >= 2^31 (e.g. MAX-ET prints -1) so the same route has the same string on both.
int frr_signed_tag(EthernetTag t) { return static_cast<int>(static_cast<std::int32_t>(t.value)); }

int ip_bits(const wire::IpAddress& a) { return a.is_v4() ? 32 : 128; }

std::string format(const EadRouteKey& k) {
  // FRR keeps neither the VTEP IP nor a fragment id in the key of a received EAD route
  // (bgp_evpn_mh.c: "EAD route prefix doesn't include the nexthop"), so it prints an IPv4
  // zero address and fragment 0.
  char buf[160];
  std::snprintf(buf, sizeof buf, "[1]:[%u]:[%s]:[32]:[0.0.0.0]:[0]", k.etag.value, k.esi.to_string().c_str());
  return buf;
}

std::string format(const MacIpRouteKey& k) {
  char buf[160];
  if (!k.ip) {
    std::snprintf(buf, sizeof buf, "[2]:[%d]:[48]:[%s]", frr_signed_tag(k.etag), k.mac.to_string().c_str());
  } else {
    std::snprintf(buf, sizeof buf, "[2]:[%d]:[48]:[%s]:[%d]:[%s]", frr_signed_tag(k.etag),
                  k.mac.to_string().c_str(), ip_bits(*k.ip), k.ip->to_string().c_str());
  }
  return buf;
}

std::string format(const ImetRouteKey& k) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "[3]:[%d]:[%d]:[%s]", frr_signed_tag(k.etag), ip_bits(k.originating_ip),
                k.originating_ip.to_string().c_str());
  return buf;
}

std::string format(const EsRouteKey& k) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "[4]:[%s]:[%d]:[%s]", k.esi.to_string().c_str(), ip_bits(k.originating_ip),
                k.originating_ip.to_string().c_str());
  return buf;
}

std::string format(const IpPrefixRouteKey& k) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "[5]:[%d]:[%d]:[%s]", frr_signed_tag(k.etag), int{k.prefix_length},
                k.prefix.to_string().c_str());
  return buf;
}

std::string format(const UnknownRouteKey& k) {
  static constexpr char kHex[] = "0123456789abcdef";
  // Built with append: GCC 12 at -O3 warns falsely (-Wrestrict, PR105329) on "[" + str.
  std::string s;
  s.reserve(8 + 2 * k.body.size());
  s.push_back('[');
  s.append(std::to_string(k.type));
  s.append("]:[");
  for (auto b : k.body) {
    s.push_back(kHex[b >> 4]);
    s.push_back(kHex[b & 0xF]);
  }
  s.push_back(']');
  return s;
}

}  // namespace

std::string to_string(const EvpnRouteKey& k) {
  return std::visit([](const auto& x) { return format(x); }, k);
}

std::string to_string(const EvpnRoute& r) { return to_string(route_key(r)); }

}  // namespace evpnd::evpn
