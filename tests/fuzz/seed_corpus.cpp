// seed_corpus OUT_DIR: writes the seed corpus of every fuzz target into OUT_DIR/<target>/,
// each in the unit its target reads, from the captured FRR and GoBGP messages and the
// config goldens. The corpora in tests/fuzz/corpus/ are its output, committed
// (scripts/fuzz.sh --seed regenerates them); the fuzz tests only read them.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "bgp/fsm/negotiation.hpp"
#include "bgp/wire/message.hpp"
#include "cli/mgmt.pb.h"
#include "cli/mgmt_frame.hpp"
#include "evpn/ext_community.hpp"
#include "evpn/nlri.hpp"
#include "fib/netlink/nl_messages.hpp"
#include "support/testdata.hpp"
#include "unit/netlink/captured.hpp"
#include "unit/netlink/composed.hpp"

namespace fs = std::filesystem;
namespace wire = evpnd::bgp::wire;
namespace evpn = evpnd::evpn;
using Bytes = std::vector<std::uint8_t>;

namespace {

class Out {
 public:
  explicit Out(fs::path root) : root_(std::move(root)) {}
  void put(const std::string& target, const std::string& name, const Bytes& data) {
    const fs::path dir = root_ / target;
    fs::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary).write(reinterpret_cast<const char*>(data.data()),
                                                      static_cast<std::streamsize>(data.size()));
    ++count_[target];
  }
  void put(const std::string& target, const std::string& name, const std::string& text) {
    put(target, name, Bytes(text.begin(), text.end()));
  }
  void report() const {
    for (const auto& [t, n] : count_) std::cout << t << ": " << n << " seeds\n";
  }

 private:
  fs::path root_;
  std::map<std::string, int> count_;
};

Bytes with_selector(std::uint8_t sel, const Bytes& b) {
  Bytes out{sel};
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::vector<std::string> exec_lines() {
  return {"show bgp l2vpn evpn summary json",
          "show bgp l2vpn evpn route type macip json",
          "show bgp l2vpn evpn route type 3",
          "show bgp l2vpn evpn neighbors 10.0.0.2 advertised-routes json",
          "show bgp neighbors 2001:db8::1 json",
          "show running-config",
          "clear bgp * soft in",
          "clear bgp 10.0.0.2",
          "test evpn originate macip rd 10.0.0.1:2 mac 02:00:00:00:01:01 ip 192.168.100.1 label 100 nexthop "
          "10.0.0.1 rt 65001:100 seq 3 sticky count 10",
          "test evpn originate multicast rd 10.0.0.1:2 orig 10.0.0.1 label 100 rt 65001:100 etag 5",
          "test evpn withdraw macip rd 1:1 mac 02:00:00:00:01:01 esi 00:11:22:33:44:55:66:77:88:99",
          " neighbor 10.0.0.2 maximum-prefix 100 90 restart 5",
          "neighbor 10.0.0.2 password s3cret",
          "sh bg l2 ev su",
          "router bgp 4200000000 vrf red"};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: seed_corpus OUT_DIR\n";
    return 2;
  }
  Out out(argv[1]);
  const fs::path testdata(EVPND_TESTDATA_DIR);
  std::vector<std::pair<std::string, Bytes>> messages;
  for (const auto& e : fs::directory_iterator(testdata))
    if (e.path().extension() == ".hex")
      messages.emplace_back(e.path().stem().string(), evpnd::test::parse_hex(evpnd::test::read_text(e.path().string())));
  std::sort(messages.begin(), messages.end());

  Bytes frr_stream, gobgp_stream;
  for (const auto& [name, msg] : messages) {
    out.put("message", name, msg);
    out.put("message", name + ".addpath", with_selector(0x05, msg));
    const auto type = static_cast<wire::MessageType>(msg[18]);
    if (type == wire::MessageType::Open) out.put("open", name, msg);
    if (type != wire::MessageType::Update) continue;
    out.put("update", name, msg);
    out.put("apply_update", name, msg);
    (name.starts_with("frr") ? frr_stream : gobgp_stream).insert((name.starts_with("frr") ? frr_stream : gobgp_stream).end(),
                                                                  msg.begin(), msg.end());
    auto d = wire::decode_message(msg, wire::CodecContext{});
    if (!d) continue;
    const auto& u = std::get<wire::DecodedUpdate>(*d).update;
    Bytes ecs;
    for (const auto& c : u.attrs.extended_communities) ecs.insert(ecs.end(), c.bytes.begin(), c.bytes.end());
    if (!ecs.empty()) out.put("ext_community", name, ecs);
    const Bytes* nlri = u.attrs.mp_reach ? &u.attrs.mp_reach->nlri : u.attrs.mp_unreach ? &u.attrs.mp_unreach->nlri : nullptr;
    if (nlri && !nlri->empty()) {
      out.put("evpn_nlri", name, with_selector(0x00, *nlri));
      // The same routes with ADD-PATH path ids.
      auto routes = evpn::decode_evpn_nlris(*nlri, false, 0);
      if (routes) {
        Bytes ap;
        std::uint32_t id = 1;
        for (auto r : *routes) {
          r.path_id = id++;
          evpn::encode_evpn_nlri(r, true, ap);
        }
        out.put("evpn_nlri", name + ".addpath", with_selector(0x01, ap));
      }
    }
  }
  out.put("apply_update", "frr_stream", with_selector(0x00, frr_stream));
  out.put("apply_update", "frr_stream_ibgp_keep_unknown", with_selector(0x14, frr_stream));
  out.put("apply_update", "gobgp_stream_two_octet", with_selector(0x01, gobgp_stream));
  out.put("apply_update", "gobgp_stream_policy", with_selector(0x08, gobgp_stream));
  out.put("message", "frr_stream", frr_stream);

  // Our own OPENs, with and without ADD-PATH and FQDN.
  evpnd::bgp::fsm::PeerConfig cfg;
  cfg.local_as = wire::Asn{4200000001u};
  cfg.local_id = wire::RouterId{0x0a000001};
  cfg.families = {wire::AfiSafi::l2vpn_evpn(), wire::AfiSafi::ipv4_unicast()};
  out.put("open", "evpnd_open", wire::encode_message(wire::Message{evpnd::bgp::fsm::build_open(cfg, "leaf1")}));
  cfg.add_path = {wire::AddPathCap::Entry{wire::AfiSafi::l2vpn_evpn(), wire::AddPathDirection::Both}};
  out.put("open", "evpnd_open_addpath", wire::encode_message(wire::Message{evpnd::bgp::fsm::build_open(cfg)}));

  // Every typed community once.
  Bytes typed;
  for (const evpn::ExtCommunityValue& v :
       {evpn::ExtCommunityValue{evpn::RouteTarget::as2(65001, 100)}, evpn::ExtCommunityValue{evpn::RouteTarget::ipv4(0x0a000001, 5)},
        evpn::ExtCommunityValue{evpn::RouteTarget::as4(4200000000u, 100)}, evpn::ExtCommunityValue{evpn::Encapsulation{}},
        evpn::ExtCommunityValue{evpn::MacMobility{true, 7}}, evpn::ExtCommunityValue{evpn::DefaultGateway{}},
        evpn::ExtCommunityValue{evpn::ArpNd{evpn::ArpNd::kRouterFlag}}, evpn::ExtCommunityValue{evpn::DfElection{2, 0, 100}}}) {
    const auto c = evpn::encode_ext_community(v);
    typed.insert(typed.end(), c.bytes.begin(), c.bytes.end());
  }
  out.put("ext_community", "typed", typed);

  // Captures for the capture reader.
  for (const char* pcap : {"frr_evpn.pcap", "gobgp_evpn.pcap"}) {
    std::ifstream f(testdata / pcap, std::ios::binary);
    Bytes b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    out.put("pcap", pcap, b);
  }

  // Configs: every golden input and what the printer made of it.
  for (const auto& e : fs::directory_iterator(testdata.parent_path() / "unit" / "cli" / "configs"))
    if (e.path().extension() == ".conf" || e.path().extension() == ".ok")
      out.put("config", e.path().filename().string(), evpnd::test::read_text(e.path().string()));

  // Kernel messages: the recorded links, FDB entries and neighbours, and the composed
  // ones this kernel cannot send (VLAN-aware bridge, single vxlan device and its map).
  for (const char* hex : {"captured_links.hex", "captured_fdb.hex", "captured_neigh.hex"}) {
    int n = 0;
    for (const auto& m : evpnd::fib::netlink::test::load_hex(hex)) {
      out.put("netlink", fs::path(hex).stem().string() + "_" + std::to_string(n++), m);
    }
  }
  {
    namespace composed = evpnd::fib::netlink::test::composed;
    const auto vtep = *wire::IpAddress::parse("10.0.0.2");
    composed::Link svd{21, "vxlan0", "vxlan", 20, false, 0, vtep, 0, 0, true};
    out.put("netlink", "composed_single_vxlan_device", composed::link(svd));
    out.put("netlink", "composed_vlan_tunnel_map",
            composed::port_vlans(21, 20, {10, 20, 21}, std::nullopt,
                                 {{10, 1000, 0},
                                  {20, 2000, BRIDGE_VLAN_INFO_RANGE_BEGIN},
                                  {21, 2001, BRIDGE_VLAN_INFO_RANGE_END}}));
    out.put("netlink", "composed_port_pvid", composed::port_vlans(23, 20, {10, 20}, 10));
    out.put("netlink", "composed_learned_in_vlan",
            composed::learned_mac(23, 20, *evpn::MacAddress::parse("02:00:00:00:10:01"), 10));
    std::array<std::byte, evpnd::fib::netlink::kMaxRequestSize> room{};
    const auto len = evpnd::fib::netlink::build_remote_mac(room, 1, 21, 20, *evpn::MacAddress::parse("02:00:00:00:00:01"),
                                                           vtep, false, 10, 1000);
    const auto* p = reinterpret_cast<const std::uint8_t*>(room.data());
    out.put("netlink", "built_remote_mac_src_vni", Bytes(p, p + len));
  }

  // Command lines and their management frames.
  int i = 0;
  for (const auto& line : exec_lines()) {
    out.put("exec", "line" + std::to_string(i), line);
    evpnd::mgmt::RunCommandRequest req;
    req.set_line(line);
    out.put("mgmt_frame", "frame" + std::to_string(i), evpnd::cli::frame_message(req.SerializeAsString()));
    ++i;
  }
  out.report();
  return 0;
}
