// Route keys (RFC 7432 §7, RFC 9136 §3.1, INTEROP.md §11): what is and is not part of each
// type's key, and that keys work in ordered and hashed containers. gobgp#2804/#3662 are the
// cautionary tale: a key with too little (MAC only) folds MAC and MAC+IP routes together,
// a key with too much (labels, ESI) keeps stale duplicates.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "evpn/nlri.hpp"
#include "route_samples.hpp"

using namespace evpnd::evpn;
namespace wire = evpnd::bgp::wire;

namespace {
using evpnd::test::ip;
using evpnd::test::kEsi;
using evpnd::test::kMac;
using evpnd::test::kRd;

template <class T>
std::size_t hash_of(const T& v) {
  return std::hash<T>{}(v);
}
}  // namespace

TEST(RouteKey, Type2IgnoresLabelsAndEsi) {
  MacIpRoute a{kRd, {}, {}, kMac, ip("192.168.100.1"), Label{100}, std::nullopt};
  MacIpRoute b = a;
  b.label1 = Label{0};  // FRR withdrawals zero the label (INTEROP.md)
  b.label2 = Label{4001};
  b.esi = kEsi;
  EXPECT_EQ(route_key(a), route_key(b));
  EXPECT_EQ(hash_of(route_key(a)), hash_of(route_key(b)));
  const auto k = std::get<MacIpRouteKey>(route_key(a));
  EXPECT_EQ(k.rd, kRd);
  EXPECT_EQ(k.mac, kMac);
  EXPECT_EQ(k.ip, ip("192.168.100.1"));
}

TEST(RouteKey, Type2DistinguishesMacOnlyFromMacIpAndEveryKeyField) {
  MacIpRoute base{kRd, {}, {}, kMac, std::nullopt, Label{100}, std::nullopt};
  std::vector<MacIpRoute> variants;
  auto v = base;
  variants.push_back(v);
  v.ip = ip("192.168.100.1");
  variants.push_back(v);
  v.ip = ip("192.168.100.2");
  variants.push_back(v);
  v.ip = ip("fe80::1");
  variants.push_back(v);
  v = base;
  v.etag = EthernetTag{10};
  variants.push_back(v);
  v = base;
  v.rd = RouteDistinguisher::make_type1(0x0a000001, 3);
  variants.push_back(v);
  v = base;
  v.mac.bytes[5] = 2;
  variants.push_back(v);
  std::unordered_set<EvpnRouteKey> hashed;
  std::set<EvpnRouteKey> ordered;
  for (const auto& r : variants) {
    hashed.insert(route_key(r));
    ordered.insert(route_key(r));
  }
  EXPECT_EQ(hashed.size(), variants.size());
  EXPECT_EQ(ordered.size(), variants.size());
}

TEST(RouteKey, Type1IsRdEsiEtagNotLabel) {
  EadRoute a{kRd, kEsi, EthernetTag{EthernetTag::kMaxEt}, Label{1}};
  EadRoute b = a;
  b.label = Label{2};
  EXPECT_EQ(route_key(a), route_key(b));
  b.esi.bytes[9] = 0;
  EXPECT_NE(route_key(a), route_key(b));
  b = a;
  b.etag = EthernetTag{0};
  EXPECT_NE(route_key(a), route_key(b));
  EXPECT_EQ(std::get<EadRouteKey>(route_key(a)).esi, kEsi);
}

TEST(RouteKey, Type3Type4Type5Fields) {
  ImetRoute i{kRd, EthernetTag{0}, ip("10.0.0.1")};
  auto i2 = i;
  i2.originating_ip = ip("10.0.0.2");
  EXPECT_NE(route_key(i), route_key(i2));
  EXPECT_EQ(std::get<ImetRouteKey>(route_key(i)).originating_ip, ip("10.0.0.1"));

  EsRoute e{kRd, kEsi, ip("10.0.0.1")};
  auto e2 = e;
  e2.esi = {};
  EXPECT_NE(route_key(e), route_key(e2));

  IpPrefixRoute p{kRd, {}, EthernetTag{0}, ip("10.1.1.0"), 24, ip("0.0.0.0"), Label{5000}};
  auto p2 = p;
  p2.label = Label{1};
  p2.gateway = ip("10.1.1.1");
  p2.esi = kEsi;
  EXPECT_EQ(route_key(p), route_key(p2));  // ESI and gateway are overlay indexes, not key
  p2.prefix_length = 25;
  EXPECT_NE(route_key(p), route_key(p2));
  const auto pk = std::get<IpPrefixRouteKey>(route_key(p));
  EXPECT_EQ(pk.prefix, ip("10.1.1.0"));
  EXPECT_EQ(pk.prefix_length, 24);
}

TEST(RouteKey, DifferentTypesNeverCollideAndUnknownKeysUseTheBody) {
  UnknownRoute u{7, {1, 2, 3}};
  UnknownRoute u2{7, {1, 2, 4}};
  UnknownRoute u3{8, {1, 2, 3}};
  std::unordered_map<EvpnRouteKey, int> m;
  m[route_key(u)] = 1;
  m[route_key(u2)] = 2;
  m[route_key(u3)] = 3;
  m[route_key(ImetRoute{kRd, {}, ip("10.0.0.1")})] = 4;
  m[route_key(EsRoute{kRd, {}, ip("10.0.0.1")})] = 5;
  EXPECT_EQ(m.size(), 5u);
  EXPECT_EQ(m[route_key(UnknownRoute{7, {1, 2, 3}})], 1);
  EXPECT_EQ(to_string(route_key(u)), "[7]:[010203]");
}

TEST(RouteKey, KeyStringsMatchRouteStrings) {
  MacIpRoute m{kRd, kEsi, {}, kMac, ip("192.168.100.1"), Label{100}, Label{200}};
  EXPECT_EQ(to_string(route_key(m)), to_string(EvpnRoute{m}));
  EXPECT_EQ(to_string(route_key(m)), "[2]:[0]:[48]:[02:00:00:00:01:01]:[32]:[192.168.100.1]");
  EXPECT_EQ(route_type(m), 2);
  const EvpnRoute as_route{m};
  EXPECT_EQ(*route_rd(as_route), kRd);
  EXPECT_EQ(route_type(EadRoute{}), 1);
  EXPECT_EQ(route_type(ImetRoute{}), 3);
  EXPECT_EQ(route_type(EsRoute{}), 4);
  EXPECT_EQ(route_type(IpPrefixRoute{}), 5);
}

TEST(RouteKey, NoAllocationForKnownTypesIsImpliedBySmallValueKeys) {
  // Keys of types 1-5 are plain values: copying them is a memcpy (no heap), which is what
  // lets the RIB key millions of routes cheaply.
  static_assert(std::is_trivially_copyable_v<MacIpRouteKey>);
  static_assert(std::is_trivially_copyable_v<ImetRouteKey>);
  static_assert(std::is_trivially_copyable_v<EadRouteKey>);
  static_assert(std::is_trivially_copyable_v<EsRouteKey>);
  static_assert(std::is_trivially_copyable_v<IpPrefixRouteKey>);
  EXPECT_LE(sizeof(MacIpRouteKey), 48u);
}
