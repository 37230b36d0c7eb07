// Printer round trip on random configs: for every config the parser can produce,
// parse(print(c)) == c and print is stable (TF's RandomUpdate idea, applied to config).
#include <gtest/gtest.h>

#include <random>

#include "cli/config_parser.hpp"
#include "cli/config_printer.hpp"

namespace evpnd::cli {
namespace {

using bgp::BgpConfig;
using bgp::NeighborConfig;
using bgp::wire::IpAddress;

class Gen {
 public:
  explicit Gen(unsigned seed) : rng_(seed) {}

  std::uint32_t u(std::uint32_t lo, std::uint32_t hi) { return std::uniform_int_distribution<std::uint32_t>(lo, hi)(rng_); }
  bool coin() { return u(0, 1) == 1; }

  IpAddress address(bool v4) {
    if (v4) return IpAddress::v4(u(0x01000000, 0xDFFFFFFF));
    std::array<std::uint8_t, 16> b{};
    for (auto& x : b) x = static_cast<std::uint8_t>(u(0, 255));
    b[0] = 0x20;  // global unicast, never link-local or unspecified
    if (coin()) std::fill(b.begin() + 4, b.begin() + 14, 0);  // exercise "::" compression
    return IpAddress::v6(b);
  }

  // A config in the parser's canonical form.
  BgpConfig config() {
    BgpConfig c;
    if (coin()) c.hostname = "leaf" + std::to_string(u(0, 999));
    if (coin()) c.defaults_profile = bgp::DefaultsProfile::Datacenter;
    c.asn = bgp::wire::Asn{u(1, 0xFFFFFFFF)};
    if (coin()) c.router_id = bgp::wire::RouterId{u(1, 0xFFFFFFFF)};
    c.default_ipv4_unicast = coin();
    c.ebgp_requires_policy = coin();
    c.advertise_all_vni = coin();
    c.evpn_unknown_route_types_reflect = coin();
    if (coin()) c.cluster_id = bgp::wire::RouterId{u(1, 0xFFFFFFFF)};
    for (std::uint32_t i = 0, k = u(0, 3); i < k; ++i) {
      // Canonical: host bits clear, each prefix once.
      const auto len = static_cast<std::uint8_t>(u(0, 32));
      const std::uint32_t mask = len == 0 ? 0 : ~std::uint32_t{0} << (32 - len);
      const bgp::wire::Prefix p{IpAddress::v4(u(0, 0xFFFFFFFF) & mask), len, std::nullopt};
      if (std::find(c.networks.begin(), c.networks.end(), p) == c.networks.end()) c.networks.push_back(p);
    }
    const std::uint32_t count = u(0, 6);
    while (c.neighbors.size() < count) {
      NeighborConfig n;
      n.address = address(coin());
      if (c.find_neighbor(n.address)) continue;
      switch (u(0, 2)) {
        case 0: n.remote_as_kind = bgp::fsm::RemoteAsKind::Internal; break;
        case 1: n.remote_as_kind = bgp::fsm::RemoteAsKind::External; break;
        default: n.remote_as = bgp::wire::Asn{u(1, 0xFFFFFFFF)}; break;
      }
      if (coin()) {
        std::uint16_t hold = coin() ? 0 : static_cast<std::uint16_t>(u(3, 65535));
        n.hold_time = hold;
        n.keepalive = static_cast<std::uint16_t>(u(0, hold));
      }
      if (coin()) n.connect_retry = static_cast<std::uint16_t>(u(1, 65535));
      n.passive = coin();
      if (coin()) {
        static const char* kIfs[] = {"lo", "eth0", "swp1", "vxlan100", "br-evpn"};
        n.update_source = coin() ? std::string(kIfs[u(0, 4)]) : address(n.address.is_v4()).to_string();
      }
      if (coin()) {
        static const char* kWords[] = {"spine1", "(rr)", "to", "!bang", "#hash", "AS65000", "über"};
        for (std::uint32_t i = 0, k = u(1, 4); i < k; ++i)
          n.description += (i ? " " : "") + std::string(kWords[u(0, 6)]);
      }
      if (coin()) n.port = static_cast<std::uint16_t>(u(1, 65535));
      if (coin()) n.ipv4_unicast = !c.default_ipv4_unicast;  // stored only when not the default
      n.l2vpn_evpn = coin();
      if (coin()) {
        static const char* kPasswords[] = {"s3cret", "two words", "x", "!#$%&'()*+,-./:;<=>?@[]^_`{|}~"};
        n.password = kPasswords[u(0, 3)];
      }
      if (coin()) n.ttl_security_hops = static_cast<std::uint8_t>(u(1, 254));
      if (coin()) n.send_hold_time = static_cast<std::uint16_t>(u(1, 65535));
      for (auto* m : {&n.maximum_prefix_ipv4, &n.maximum_prefix_evpn}) {
        if (!coin()) continue;
        bgp::MaximumPrefix mp;
        mp.limit = u(1, 0xFFFFFFFF);
        if (coin()) mp.threshold_percent = static_cast<std::uint8_t>(u(1, 100));
        if (coin()) mp.warning_only = true;
        else if (coin()) mp.restart_minutes = static_cast<std::uint16_t>(u(1, 65535));
        *m = mp;
      }
      for (auto* o : {&n.ipv4_options, &n.evpn_options}) {
        // route-reflector-client is for internal neighbors only (the parser says so).
        o->route_reflector_client = n.remote_as_kind == bgp::fsm::RemoteAsKind::Internal && coin();
        if (coin()) o->allowas_in = static_cast<std::uint8_t>(u(1, 10));
        o->next_hop_self = coin();
        o->next_hop_self_force = o->next_hop_self && coin();
        o->next_hop_unchanged = coin();
      }
      c.neighbors.push_back(n);
    }
    return c;
  }

 private:
  std::mt19937 rng_;
};

TEST(ConfigRoundTrip, RandomConfigsSurvivePrintAndParse) {
  Gen gen(20240611);
  for (int i = 0; i < 500; ++i) {
    BgpConfig c = gen.config();
    const std::string text = print_config(c);
    auto r = parse_config(text, "random.conf");
    ASSERT_TRUE(r.ok()) << to_string(r.error().front()) << "\n" << text;
    ASSERT_EQ(r->config, c) << text;
    ASSERT_EQ(print_config(r->config), text);
  }
}

TEST(ConfigRoundTrip, EmptyAndMinimalConfigs) {
  EXPECT_EQ(print_config(BgpConfig{}), "");
  auto empty = parse_config("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->config, BgpConfig{});
  BgpConfig named;
  named.hostname = "h";
  EXPECT_EQ(print_config(named), "hostname h\n!\n");
}

TEST(ConfigRoundTrip, PrinterOmitsDefaultsLikeFrr) {
  // Explicit values equal to the defaults are not printed (FRR's bgp_config_write).
  auto r = parse_config("router bgp 65000\n bgp ebgp-requires-policy\n bgp default ipv4-unicast\n"
                        " neighbor 10.0.0.1 remote-as 1\n address-family ipv4 unicast\n"
                        "  neighbor 10.0.0.1 activate\n exit-address-family\n address-family l2vpn evpn\n"
                        "  no neighbor 10.0.0.1 activate\n exit-address-family\nexit\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(print_config(r->config), "router bgp 65000\n neighbor 10.0.0.1 remote-as 1\nexit\n!\n");
}

}  // namespace
}  // namespace evpnd::cli
