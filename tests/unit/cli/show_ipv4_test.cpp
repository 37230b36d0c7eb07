// `show bgp ipv4 unicast [json]` from a Loc-RIB built here: every path of a prefix, the
// best one marked in FRR's way ("*>", "bestpath": true with selectionReason), iBGP paths
// with "i", our own prefix with next hop 0.0.0.0 and weight 32768, and one source's paths
// alone for `neighbors X routes`.
#include <gtest/gtest.h>

#include "cli/show_ipv4.hpp"

namespace evpnd::cli {
namespace {

namespace wire = bgp::wire;

wire::IpAddress ip(const char* s) { return *wire::IpAddress::parse(s); }

struct ShowIpv4Test : ::testing::Test {
  rib::AttrStore store;
  rib::Ipv4Rib rib;
  bgp::BgpConfig cfg;
  rib::PeerId ibgp_peer, ebgp_peer;

  ShowIpv4Test() {
    cfg.asn = wire::Asn{65000};
    cfg.router_id = wire::RouterId{ip("10.0.0.2").v4_host_order()};
    rib::PeerInfo local;
    local.weight = rib::kLocalWeight;
    rib.set_peer(rib::kLocalPeer, local);
    rib::PeerInfo i;
    i.address = ip("10.10.0.1");
    i.asn = 65000;
    ibgp_peer = rib.add_peer(i);
    rib::PeerInfo e;
    e.address = ip("10.12.0.1");
    e.asn = 65100;
    e.ibgp = false;
    ebgp_peer = rib.add_peer(e);

    wire::PathAttributes own;
    own.origin = wire::Origin::Igp;
    own.as_path = wire::AsPath{};
    rib.announce(rib::kLocalPeer, wire::Prefix{ip("10.0.0.2"), 32, std::nullopt}, store.intern(own));
    // One prefix from both peers: eBGP wins (both AS paths are one long).
    wire::PathAttributes from_i = own;
    from_i.as_path->segments.push_back({wire::AsPathSegmentType::Sequence, {65200}});
    from_i.next_hop = ip("10.10.0.1");
    from_i.local_pref = 100;
    rib.announce(ibgp_peer, wire::Prefix{ip("203.0.113.0"), 24, std::nullopt}, store.intern(from_i));
    wire::PathAttributes from_e = own;
    from_e.as_path->segments.push_back({wire::AsPathSegmentType::Sequence, {65100}});
    from_e.next_hop = ip("10.12.0.1");
    from_e.med = 5;
    rib.announce(ebgp_peer, wire::Prefix{ip("203.0.113.0"), 24, std::nullopt}, store.intern(from_e));
    (void)rib.run_best_path();
  }

  SourceNames names() const {
    return [this](rib::PeerId id) {
      if (id == rib::kLocalPeer) return SourceName{"", true, true};
      return SourceName{rib.peer(id).address.to_string(), false, rib.peer(id).ibgp};
    };
  }
};

TEST_F(ShowIpv4Test, JsonHasEveryPathWithFrrKeysAndTheBestMarked) {
  const auto j = ipv4_routes_json(cfg, rib, names());
  EXPECT_EQ(j["routerId"], "10.0.0.2");
  EXPECT_EQ(j["localAS"], 65000);
  ASSERT_EQ(j["routes"].size(), 2u);
  const auto& own = j["routes"]["10.0.0.2/32"][0];
  EXPECT_EQ(own["pathFrom"], "local");
  EXPECT_EQ(own["peerId"], "(unspec)");
  EXPECT_EQ(own["weight"], 32768);
  EXPECT_EQ(own["nexthops"][0]["ip"], "0.0.0.0");
  EXPECT_EQ(own["bestpath"], true);

  const auto& two = j["routes"]["203.0.113.0/24"];
  ASSERT_EQ(two.size(), 2u);  // in (source, path id) order: the iBGP peer was added first
  EXPECT_EQ(two[0]["pathFrom"], "internal");
  EXPECT_FALSE(two[0].contains("bestpath"));
  EXPECT_EQ(two[0]["locPrf"], 100);
  EXPECT_EQ(two[1]["pathFrom"], "external");
  EXPECT_EQ(two[1]["bestpath"], true);
  EXPECT_EQ(two[1]["selectionReason"], "Peer Type");
  EXPECT_EQ(two[1]["metric"], 5);
  EXPECT_EQ(two[1]["path"], "65100");
  EXPECT_EQ(two[1]["prefixLen"], 24);
  EXPECT_EQ(two[1]["peerId"], "10.12.0.1");
}

TEST_F(ShowIpv4Test, TextIsFrrsTableWithTheNetworkOnItsFirstPathOnly) {
  const auto t = ipv4_routes_text(cfg, rib, names());
  EXPECT_NE(t.find("local router ID is 10.0.0.2"), std::string::npos) << t;
  EXPECT_NE(t.find("   Network          Next Hop            Metric LocPrf Weight Path\n"), std::string::npos) << t;
  // Columns under the header's: Metric, LocPrf and Weight right-aligned to its words.
  EXPECT_NE(t.find("*> 10.0.0.2/32      0.0.0.0                            32768 i\n"), std::string::npos) << t;
  EXPECT_NE(t.find("* i203.0.113.0/24   10.10.0.1                     100      0 65200 i\n"), std::string::npos) << t;
  EXPECT_NE(t.find("*>                  10.12.0.1                5             0 65100 i\n"), std::string::npos) << t;
  EXPECT_NE(t.find("Displayed  2 routes and 3 total paths"), std::string::npos) << t;
}

TEST_F(ShowIpv4Test, OneSourcesPathsAlone) {
  const auto j = ipv4_routes_json(cfg, rib, names(), ebgp_peer);
  ASSERT_EQ(j["routes"].size(), 1u);
  EXPECT_EQ(j["routes"]["203.0.113.0/24"].size(), 1u);
  EXPECT_EQ(j["routes"]["203.0.113.0/24"][0]["peerId"], "10.12.0.1");
  EXPECT_NE(ipv4_routes_text(cfg, rib, names(), ebgp_peer).find("Displayed  1 routes and 1 total paths"),
            std::string::npos);
}

}  // namespace
}  // namespace evpnd::cli
