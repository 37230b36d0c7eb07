// `show bgp l2vpn evpn summary json` and `show bgp l2vpn evpn route json`: FRR's key names
// and nesting (summary: routerId, as, peers.<addr>.{remoteAs,state,pfxRcd,...}; routes:
// rd -> prefix -> paths[]), built from hand-made peer views and from Adj-RIB-In tables
// filled with captured FRR and GoBGP routes.
#include <gtest/gtest.h>

#include "bgp/wire/message.hpp"
#include "cli/show_bgp.hpp"
#include "evpn/nlri.hpp"
#include "support/testdata.hpp"

namespace evpnd::cli {
namespace {

namespace wire = bgp::wire;
using nlohmann::ordered_json;
using namespace std::chrono_literals;

wire::IpAddress ip(const char* s) { return *wire::IpAddress::parse(s); }

bgp::BgpConfig config() {
  bgp::BgpConfig c;
  c.asn = wire::Asn{65001};
  c.router_id = wire::RouterId{0x0a000001};
  return c;
}

// Fills `table` with the EVPN routes of a captured UPDATE.
void load(rib::PathTable& table, rib::AttrStore& store, const std::string& capture) {
  const auto bytes = test::testdata(capture);
  auto m = wire::decode_message(bytes, {});
  ASSERT_TRUE(m.ok());
  const auto& u = std::get<wire::DecodedUpdate>(m.value()).update;
  ASSERT_TRUE(u.attrs.mp_reach);
  auto nlri = evpn::decode_evpn_nlris(u.attrs.mp_reach->nlri, false, 0);
  ASSERT_TRUE(nlri.ok());
  auto attrs = store.intern(u.attrs);
  for (const auto& n : *nlri) table.announce(n, attrs);
}

std::vector<std::string> keys(const ordered_json& j) {
  std::vector<std::string> k;
  for (auto it = j.begin(); it != j.end(); ++it) k.push_back(it.key());
  return k;
}

// ---- summary ----

TEST(ShowBgpSummaryJson, FrrKeysAndValues) {
  const auto now = std::chrono::steady_clock::now();
  bgp::PeerView up;
  up.address = ip("10.0.0.2");
  up.configured_remote_as = wire::Asn{65002};
  up.remote_as = wire::Asn{65002};
  up.remote_hostname = "leaf2";
  up.description = "to leaf2";
  up.state = bgp::fsm::State::Established;
  up.established_since = now - 3723s;
  up.established_transitions = 2;
  up.dropped = 1;
  up.prefixes_received = 3;
  up.prefixes_sent = 2;
  up.hold_time = 9;
  up.keepalive = 3;
  up.counters.messages_in = 10;
  up.counters.messages_out = 12;

  bgp::PeerView down;
  down.address = ip("fd00::3");
  down.configured_remote_as = wire::Asn{65003};
  down.state = bgp::fsm::State::Active;
  down.last_error = "connect: Connection refused";

  const auto j = evpn_summary_json(config(), {up, down}, now);
  EXPECT_EQ(keys(j), (std::vector<std::string>{"routerId", "as", "peers", "failedPeers", "totalPeers"}));
  EXPECT_EQ(j["routerId"], "10.0.0.1");
  EXPECT_EQ(j["as"], 65001);
  EXPECT_EQ(j["failedPeers"], 1);
  EXPECT_EQ(j["totalPeers"], 2);
  ASSERT_TRUE(j["peers"].contains("10.0.0.2"));
  ASSERT_TRUE(j["peers"].contains("fd00::3"));

  const auto& p = j["peers"]["10.0.0.2"];
  EXPECT_EQ(p["hostname"], "leaf2");
  EXPECT_EQ(p["remoteAs"], 65002);
  EXPECT_EQ(p["localAs"], 65001);
  EXPECT_EQ(p["version"], 4);
  EXPECT_EQ(p["msgRcvd"], 10);
  EXPECT_EQ(p["msgSent"], 12);
  EXPECT_EQ(p["peerUptime"], "01:02:03");
  EXPECT_EQ(p["peerUptimeMsec"], 3723000);
  EXPECT_EQ(p["pfxRcd"], 3);
  EXPECT_EQ(p["pfxSnt"], 2);
  EXPECT_EQ(p["state"], "Established");
  EXPECT_EQ(p["peerState"], "OK");
  EXPECT_EQ(p["connectionsEstablished"], 2);
  EXPECT_EQ(p["connectionsDropped"], 1);
  EXPECT_EQ(p["desc"], "to leaf2");
  EXPECT_EQ(p["idType"], "ipv4");
  EXPECT_FALSE(p.contains("lastError"));
  // Numbers are JSON numbers, as FRR prints them (consumers compare with ==).
  for (const char* k : {"remoteAs", "msgRcvd", "msgSent", "peerUptimeMsec", "pfxRcd", "pfxSnt"})
    EXPECT_TRUE(p[k].is_number_integer()) << k;

  const auto& d = j["peers"]["fd00::3"];
  EXPECT_EQ(d["remoteAs"], 65003);  // configured, nothing learned yet
  EXPECT_EQ(d["state"], "Active");
  EXPECT_EQ(d["peerUptime"], "never");
  EXPECT_EQ(d["peerUptimeMsec"], 0);
  EXPECT_EQ(d["pfxRcd"], 0);
  EXPECT_EQ(d["idType"], "ipv6");
  EXPECT_EQ(d["lastError"], "connect: Connection refused");
  EXPECT_FALSE(d.contains("hostname"));
  EXPECT_FALSE(d.contains("desc"));
}

TEST(ShowBgpSummaryJson, PolicyBlockedPeerAndEmptyConfig) {
  bgp::PeerView p;
  p.address = ip("10.0.0.2");
  p.configured_remote_as = wire::Asn{65002};
  p.state = bgp::fsm::State::Established;
  p.policy_blocked = true;
  const auto j = evpn_summary_json(config(), {p}, std::chrono::steady_clock::now());
  EXPECT_EQ(j["peers"]["10.0.0.2"]["state"], "Established");
  EXPECT_EQ(j["peers"]["10.0.0.2"]["peerState"], "Policy");
  EXPECT_EQ(j["failedPeers"], 0);

  const auto empty = evpn_summary_json(bgp::BgpConfig{}, {}, std::chrono::steady_clock::now());
  EXPECT_EQ(empty["routerId"], "0.0.0.0");
  EXPECT_EQ(empty["as"], 0);
  EXPECT_TRUE(empty["peers"].is_object());
  EXPECT_TRUE(empty["peers"].empty());
  EXPECT_EQ(empty["totalPeers"], 0);
}

// FRR's peer_uptime (bgpd.c): hh:mm:ss below a day, then days, weeks and years.
TEST(FormatUptime, FrrFormats) {
  EXPECT_EQ(format_uptime(0s), "00:00:00");
  EXPECT_EQ(format_uptime(3723s), "01:02:03");
  EXPECT_EQ(format_uptime(86399s), "23:59:59");
  EXPECT_EQ(format_uptime(86400s), "1d00h00m");
  EXPECT_EQ(format_uptime(93784s), "1d02h03m");       // 1 d 2 h 3 m 4 s
  EXPECT_EQ(format_uptime(604799s), "6d23h59m");
  EXPECT_EQ(format_uptime(604800s), "01w0d00h");      // one week
  EXPECT_EQ(format_uptime(700000s), "01w1d02h");      // 8 d 2 h 26 m 40 s
  EXPECT_EQ(format_uptime(31535999s), "52w0d23h");    // 364 d 23:59:59
  EXPECT_EQ(format_uptime(31536000s), "01y00w0d");    // 365 d
  EXPECT_EQ(format_uptime(40000000s), "01y13w6d");    // 462 d 23:06:40
}

// ---- routes ----

struct Tables {
  rib::AttrStore store;
  rib::PathTable local;
  rib::PathTable peer;
};

TEST(ShowBgpRouteJson, NestingAndPathFields) {
  Tables t;
  load(t.peer, t.store, "frr_type2_macip.hex");  // rd 10.0.0.1:2, 02:..:01:01 192.168.100.1
  load(t.peer, t.store, "frr_type3_pmsi.hex");   // rd 10.0.0.1:2, orig 10.0.0.1
  load(t.peer, t.store, "gobgp_type2_mac.hex");  // rd 10.0.0.2:100, 02:..:02:03
  const std::vector<PathSource> src = {PathSource{"10.0.0.2", false, &t.peer, {}}};
  const auto j = evpn_routes_json(config(), src, {});

  EXPECT_EQ(j["bgpLocalRouterId"], "10.0.0.1");
  EXPECT_EQ(j["defaultLocPrf"], 100);
  EXPECT_EQ(j["localAS"], 65001);
  EXPECT_EQ(j["numPrefix"], 3);
  EXPECT_EQ(j["numPaths"], 3);
  ASSERT_TRUE(j.contains("10.0.0.1:2"));
  ASSERT_TRUE(j.contains("10.0.0.2:100"));
  const auto& rd1 = j["10.0.0.1:2"];
  EXPECT_EQ(rd1["rd"], "10.0.0.1:2");

  const std::string t2 = "[2]:[0]:[48]:[02:00:00:00:01:01]:[32]:[192.168.100.1]";
  ASSERT_TRUE(rd1.contains(t2)) << rd1.dump(1);
  EXPECT_EQ(rd1[t2]["prefix"], t2);
  ASSERT_TRUE(rd1[t2]["paths"].is_array());
  ASSERT_EQ(rd1[t2]["paths"].size(), 1u);
  const auto& p = rd1[t2]["paths"][0];
  EXPECT_TRUE(p.is_object());
  EXPECT_EQ(p["valid"], true);
  EXPECT_EQ(p["pathFrom"], "external");
  EXPECT_EQ(p["routeType"], 2);
  EXPECT_EQ(p["ethTag"], 0);
  EXPECT_EQ(p["macLen"], 48);
  EXPECT_EQ(p["mac"], "02:00:00:00:01:01");
  EXPECT_EQ(p["ipLen"], 32);
  EXPECT_EQ(p["ip"], "192.168.100.1");
  EXPECT_EQ(p["label"], 100);
  EXPECT_FALSE(p.contains("label2"));
  EXPECT_EQ(p["esi"], "00:00:00:00:00:00:00:00:00:00");
  EXPECT_EQ(p["peerId"], "10.0.0.2");
  EXPECT_EQ(p["path"], "65001");
  EXPECT_EQ(p["origin"], "IGP");
  EXPECT_FALSE(p.contains("locPrf"));
  // FRR sent ENCAP then RT; FRR prints them sorted, and so do we.
  EXPECT_EQ(p["extendedCommunity"]["string"], "RT:65001:100 ET:8");
  ASSERT_TRUE(p["nexthops"].is_array());
  ASSERT_EQ(p["nexthops"].size(), 1u);
  EXPECT_EQ(p["nexthops"][0]["ip"], "10.0.0.1");
  EXPECT_EQ(p["nexthops"][0]["afi"], "ipv4");
  EXPECT_EQ(p["nexthops"][0]["used"], true);
  EXPECT_FALSE(p.contains("pmsi"));
  EXPECT_FALSE(p.contains("pathId"));

  const std::string t3 = "[3]:[0]:[32]:[10.0.0.1]";
  ASSERT_TRUE(rd1.contains(t3)) << rd1.dump(1);
  const auto& q = rd1[t3]["paths"][0];
  EXPECT_EQ(q["routeType"], 3);
  EXPECT_EQ(q["ipLen"], 32);
  EXPECT_EQ(q["originatingIp"], "10.0.0.1");
  ASSERT_TRUE(q.contains("pmsi"));
  EXPECT_EQ(q["pmsi"]["type"], "ingress-replication");
  EXPECT_EQ(q["pmsi"]["label"], 100);
  EXPECT_EQ(q["pmsi"]["tunnelId"], "10.0.0.1");
  EXPECT_EQ(q["pmsi"]["flags"], 0);
  EXPECT_EQ(q["nexthops"][0]["ip"], "10.0.0.1");

  const std::string g2 = "[2]:[0]:[48]:[02:00:00:00:02:03]";
  ASSERT_TRUE(j["10.0.0.2:100"].contains(g2));
  const auto& g = j["10.0.0.2:100"][g2]["paths"][0];
  EXPECT_EQ(g["ipLen"], 0);
  EXPECT_FALSE(g.contains("ip"));
  EXPECT_EQ(g["origin"], "incomplete");
  EXPECT_EQ(g["path"], "65002");
  EXPECT_EQ(g["nexthops"][0]["ip"], "10.0.0.2");
}

TEST(ShowBgpRouteJson, SamePrefixFromTwoSourcesIsTwoPaths) {
  Tables t;
  load(t.local, t.store, "frr_type2_mac.hex");
  load(t.peer, t.store, "frr_type2_mac.hex");
  const std::vector<PathSource> src = {PathSource{"local", true, &t.local, {}}, PathSource{"10.0.0.9", true, &t.peer, {}}};
  const auto j = evpn_routes_json(config(), src, {});
  EXPECT_EQ(j["numPrefix"], 1);
  EXPECT_EQ(j["numPaths"], 2);
  const auto& paths = j["10.0.0.1:2"]["[2]:[0]:[48]:[02:00:00:00:01:01]"]["paths"];
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths[0]["pathFrom"], "local");
  EXPECT_EQ(paths[0]["peerId"], "local");
  EXPECT_EQ(paths[1]["pathFrom"], "internal");
  EXPECT_EQ(paths[1]["peerId"], "10.0.0.9");
}

TEST(ShowBgpRoutes, TheLocRibsBestIsMarkedWithItsReason) {
  Tables t;
  load(t.local, t.store, "frr_type2_mac.hex");
  load(t.peer, t.store, "frr_type2_mac.hex");
  // The same path from the local source (weight 32768) and from an iBGP peer.
  rib::EvpnRib loc;
  rib::PeerInfo local;
  local.weight = rib::kLocalWeight;
  loc.set_peer(rib::kLocalPeer, local);
  rib::PeerInfo peer;
  peer.address = ip("10.0.0.9");
  const auto id = loc.add_peer(peer);
  for (const auto* p : t.local.sorted()) loc.announce(rib::kLocalPeer, evpn::EvpnNlri{p->path_id, p->route}, p->attrs);
  for (const auto* p : t.peer.sorted()) loc.announce(id, evpn::EvpnNlri{p->path_id, p->route}, p->attrs);
  loc.run_best_path();
  const std::vector<PathSource> src = {PathSource{"local", true, &t.local, rib::kLocalPeer},
                                       PathSource{"10.0.0.9", true, &t.peer, id}};
  const auto j = evpn_routes_json(config(), src, {}, &loc);
  const auto& paths = j["10.0.0.1:2"]["[2]:[0]:[48]:[02:00:00:00:01:01]"]["paths"];
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths[0]["bestpath"], (ordered_json{{"overall", true}, {"selectionReason", "Weight"}}));
  EXPECT_FALSE(paths[1].contains("bestpath"));
  const auto text = evpn_routes_text(config(), src, {}, &loc);
  EXPECT_NE(text.find("*>l[2]:[0]:[48]:[02:00:00:00:01:01]"), std::string::npos) << text;
  EXPECT_NE(text.find("* i[2]:[0]:[48]:[02:00:00:00:01:01]"), std::string::npos) << text;
  // Without the Loc-RIB nothing is marked.
  EXPECT_FALSE(evpn_routes_json(config(), src, {})["10.0.0.1:2"]["[2]:[0]:[48]:[02:00:00:00:01:01]"]["paths"][0]
                   .contains("bestpath"));
}

TEST(ShowBgpRouteJson, TypeFilterLocalPrefAndPathId) {
  Tables t;
  load(t.peer, t.store, "frr_type2_macip.hex");
  load(t.peer, t.store, "frr_type3_pmsi.hex");
  wire::PathAttributes a;
  a.origin = wire::Origin::Igp;
  a.as_path = wire::AsPath{};
  a.local_pref = 200;
  a.med = 5;
  a.mp_reach = wire::MpReach{wire::AfiSafi::l2vpn_evpn(), {10, 0, 0, 7}, {}, {}, {}};
  evpn::MacIpRoute r;
  r.rd = *evpn::RouteDistinguisher::parse("10.0.0.7:1");
  r.mac = *evpn::MacAddress::parse("02:00:00:00:07:07");
  r.label1 = evpn::Label{100};
  r.label2 = evpn::Label{5000};
  t.peer.announce(evpn::EvpnNlri{4, r}, t.store.intern(a));
  const std::vector<PathSource> src = {PathSource{"10.0.0.7", true, &t.peer, {}}};

  const auto only3 = evpn_routes_json(config(), src, EvpnRouteFilter{3});
  EXPECT_EQ(only3["numPrefix"], 1);
  EXPECT_TRUE(only3["10.0.0.1:2"].contains("[3]:[0]:[32]:[10.0.0.1]"));
  EXPECT_FALSE(only3.contains("10.0.0.7:1"));

  const auto only2 = evpn_routes_json(config(), src, EvpnRouteFilter{2});
  EXPECT_EQ(only2["numPrefix"], 2);
  const auto& p = only2["10.0.0.7:1"]["[2]:[0]:[48]:[02:00:00:00:07:07]"]["paths"][0];
  EXPECT_EQ(p["pathId"], 4);
  EXPECT_EQ(p["locPrf"], 200);
  EXPECT_EQ(p["metric"], 5);
  EXPECT_EQ(p["path"], "");
  EXPECT_EQ(p["label2"], 5000);
  EXPECT_FALSE(p.contains("extendedCommunity"));

  const auto none = evpn_routes_json(config(), src, EvpnRouteFilter{5});
  EXPECT_EQ(none["numPrefix"], 0);
  EXPECT_EQ(none["numPaths"], 0);
}

TEST(ShowBgpRouteJson, NullTableIsSkipped) {
  const std::vector<PathSource> src = {PathSource{"10.0.0.2", false, nullptr, {}}};
  const auto j = evpn_routes_json(config(), src, {});
  EXPECT_EQ(j["numPrefix"], 0);
}

TEST(ShowBgpNeighborsJson, KeysPerPeer) {
  bgp::PeerView p;
  p.address = ip("10.0.0.2");
  p.configured_remote_as = wire::Asn{65002};
  p.remote_as = wire::Asn{65002};
  p.remote_id = wire::RouterId{0x0a000002};
  p.state = bgp::fsm::State::Established;
  p.families = {wire::AfiSafi::l2vpn_evpn()};
  p.hold_time = 9;
  p.configured_hold_time = 9;
  p.keepalive = 3;
  p.end_of_rib_received = 2;
  p.counters.updates_in = 7;
  const auto j = neighbors_json({p}, std::chrono::steady_clock::now());
  const auto& n = j["10.0.0.2"];
  EXPECT_EQ(n["remoteAs"], 65002);
  EXPECT_EQ(n["nbrInternalLink"], false);
  EXPECT_EQ(n["remoteRouterId"], "10.0.0.2");
  EXPECT_EQ(n["bgpState"], "Established");
  EXPECT_EQ(n["bgpTimerHoldTimeMsecs"], 9000);
  EXPECT_EQ(n["bgpTimerKeepAliveIntervalMsecs"], 3000);
  EXPECT_EQ(n["afiSafis"], ordered_json::array({"l2vpn-evpn"}));
  EXPECT_EQ(n["messageStats"]["updatesRecv"], 7);
  EXPECT_EQ(n["endOfRibRecv"], 2);
  EXPECT_FALSE(n.contains("lastResetDueTo"));  // never reset
  EXPECT_EQ(n["updateFindings"], ordered_json::array());
}

// The last reset in FRR's two keys, and what the peer's UPDATEs made us note, per rule.
TEST(ShowBgpNeighborsJson, ResetReasonAndFindings) {
  bgp::PeerView p;
  p.address = ip("10.0.0.2");
  p.last_reset = "NOTIFICATION sent: Cease/Maximum Number of Prefixes Reached (limit 10)";
  p.prefix_overflow = true;
  p.unknown_route_types = 3;
  p.refresh_ignored = 1;
  p.findings.push_back({"RFC 7606 §7.2", 2, wire::AttrAction::TreatAsWithdraw, 12, "AS_PATH segment of length zero",
                        std::nullopt, 0});
  p.findings.push_back({"INTEROP §3", 0, wire::AttrAction::None, 1, "no PMSI", std::nullopt, 0});
  const auto j = neighbors_json({p}, std::chrono::steady_clock::now());
  const auto& n = j["10.0.0.2"];
  EXPECT_EQ(n["lastResetDueTo"], "BGP Notification send");
  EXPECT_EQ(n["lastNotificationReason"], "Cease/Maximum Number of Prefixes Reached");
  EXPECT_EQ(n["prefixOverflow"], true);
  EXPECT_EQ(n["evpnUnknownRouteTypes"], 3);
  EXPECT_EQ(n["routeRefreshIgnored"], 1);
  ASSERT_EQ(n["updateFindings"].size(), 2u);
  EXPECT_EQ(n["updateFindings"][0]["rule"], "RFC 7606 §7.2");
  EXPECT_EQ(n["updateFindings"][0]["attribute"], "AS_PATH");
  EXPECT_EQ(n["updateFindings"][0]["action"], "treat-as-withdraw");
  EXPECT_EQ(n["updateFindings"][0]["count"], 12);
  EXPECT_FALSE(n["updateFindings"][1].contains("attribute"));
  // A reason without a NOTIFICATION passes through whole; one with is split as FRR does.
  p.last_reset = "TCP connection failed (peer closed the connection)";
  EXPECT_EQ(neighbors_json({p}, std::chrono::steady_clock::now())["10.0.0.2"]["lastResetDueTo"],
            "TCP connection failed (peer closed the connection)");
  EXPECT_FALSE(neighbors_json({p}, std::chrono::steady_clock::now())["10.0.0.2"].contains("lastNotificationReason"));
  p.last_reset = "NOTIFICATION received: Cease/Administrative Shutdown";
  EXPECT_EQ(neighbors_json({p}, std::chrono::steady_clock::now())["10.0.0.2"]["lastResetDueTo"],
            "BGP Notification received");  // FRR's words (bgp_peer_down_str)
  p.last_reset = "NOTIFICATION sent: Hold Timer Expired";
  const auto reset = neighbors_json({p}, std::chrono::steady_clock::now())["10.0.0.2"];
  EXPECT_EQ(reset["lastResetDueTo"], "BGP Notification send");
  EXPECT_EQ(reset["lastNotificationReason"], "Hold Timer Expired");
  const auto text = neighbors_text({p}, std::chrono::steady_clock::now());
  EXPECT_NE(text.find("RFC 7606 §7.2 AS_PATH treat-as-withdraw: 12 (last: AS_PATH segment of length zero)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Last reset: NOTIFICATION sent: Hold Timer Expired"), std::string::npos);
}

}  // namespace
}  // namespace evpnd::cli
