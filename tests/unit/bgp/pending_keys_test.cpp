// PendingKeys: batches in key order taken as they are, merged when keys still wait, each
// key once, consumed from the front.
#include <gtest/gtest.h>

#include "bgp/pending_keys.hpp"
#include "unit/rib/rib_test_support.hpp"

namespace evpnd::bgp {
namespace {

evpn::EvpnRouteKey key(int n) {
  char mac[32];
  std::snprintf(mac, sizeof mac, "02:00:00:00:00:%02x", n);
  return evpn::route_key(test::macip("10.0.0.9:100", mac, nullptr, 100).route);
}

std::vector<evpn::EvpnRouteKey> keys(std::initializer_list<int> ns) {
  std::vector<evpn::EvpnRouteKey> v;
  for (int n : ns) v.push_back(key(n));
  return v;
}

std::vector<evpn::EvpnRouteKey> drain(PendingKeys& p) {
  std::vector<evpn::EvpnRouteKey> v;
  while (!p.empty()) {
    v.push_back(p.front());
    p.pop();
  }
  return v;
}

TEST(PendingKeys, ABatchIntoNothingIsTakenAsItIs) {
  PendingKeys p;
  EXPECT_TRUE(p.empty());
  p.add(keys({1, 2, 5}));
  EXPECT_EQ(p.size(), 3u);
  EXPECT_EQ(drain(p), keys({1, 2, 5}));
  EXPECT_TRUE(p.empty());
}

TEST(PendingKeys, ABatchMeetingWaitingKeysIsMergedInKeyOrderEachKeyOnce) {
  PendingKeys p;
  p.add(keys({1, 3, 5, 7}));
  p.pop();  // 1 was sent
  p.add(keys({2, 3, 8}));
  EXPECT_EQ(p.size(), 5u);
  EXPECT_EQ(drain(p), keys({2, 3, 5, 7, 8}));
}

}  // namespace
}  // namespace evpnd::bgp
