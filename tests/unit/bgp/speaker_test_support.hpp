#pragma once
// Shared by the speaker tests: real Speakers in one io_context over loopback (127.0.0.1,
// 127.0.0.2, a free high port), each wait a bounded run of the loop in short slices.
#include "bgp/asio.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>

#include "bgp/speaker.hpp"
#include "evpn/ext_community.hpp"
#include "unit/rib/rib_test_support.hpp"

namespace evpnd::bgp {

using namespace std::chrono_literals;
using ::evpnd::test::ip;

inline const wire::IpAddress kAddrA = ip("127.0.0.1");
inline const wire::IpAddress kAddrB = ip("127.0.0.2");
inline constexpr auto kEstablishTimeout = 15s;

// A port free on both loopback addresses, below the ephemeral range so that no outgoing
// connection takes it meanwhile. The probe binds without SO_REUSEADDR, so a port with
// connections in TIME_WAIT is skipped.
inline std::uint16_t free_port() {
  static std::uint16_t next = static_cast<std::uint16_t>(20000 + (getpid() * 97) % 12000);
  asio::io_context io;
  for (int tries = 0; tries < 4000; ++tries) {
    const std::uint16_t p = next++;
    if (next >= 32000) next = 20000;
    bool ok = true;
    std::vector<tcp::acceptor> held;
    for (const auto* a : {"127.0.0.1", "127.0.0.2"}) {
      tcp::acceptor acc(io);
      boost::system::error_code ec;
      acc.open(tcp::v4(), ec);
      if (!ec) acc.bind(tcp::endpoint(asio::ip::make_address_v4(a), p), ec);
      if (ec) {
        ok = false;
        break;
      }
      held.push_back(std::move(acc));
    }
    if (ok) return p;
  }
  ADD_FAILURE() << "no free port";
  return 0;
}

struct NodeSpec {
  std::uint32_t asn;
  std::uint32_t router_id;
  wire::IpAddress self;
  wire::IpAddress peer;
  std::uint32_t peer_as;  // as configured (remote-as)
  std::uint16_t port;
  bool passive = false;  // `neighbor X passive`
};

inline BgpConfig make_config(const NodeSpec& s) {
  BgpConfig c;
  c.hostname = "node-" + s.self.to_string();
  c.asn = wire::Asn{s.asn};
  c.router_id = wire::RouterId{s.router_id};
  c.ebgp_requires_policy = false;  // `no bgp ebgp-requires-policy`
  NeighborConfig n;
  n.address = s.peer;
  n.remote_as = wire::Asn{s.peer_as};
  n.keepalive = 1;      // `neighbor X timers 1 3`
  n.hold_time = 3;
  n.connect_retry = 1;  // `neighbor X timers connect 1`
  n.update_source = s.self.to_string();
  n.port = s.port;
  n.l2vpn_evpn = true;  // `address-family l2vpn evpn` / `neighbor X activate`
  n.passive = s.passive;
  c.neighbors.push_back(n);
  return c;
}

inline std::unique_ptr<Speaker> make_speaker(asio::io_context& io, const NodeSpec& s, SessionLimits limits = {}) {
  SpeakerOptions o;
  o.listen_address = s.self;
  o.port = s.port;
  o.limits = limits;
  auto sp = std::make_unique<Speaker>(io, make_config(s), o);
  auto err = sp->start();
  EXPECT_FALSE(err) << *err;
  return sp;
}

// Runs the loop in slices until `done` holds or `limit` passes. `each` runs after every
// slice (to watch for flaps).
inline bool run_until(asio::io_context& io, const std::function<bool()>& done, std::chrono::milliseconds limit,
               const std::function<void()>& each = {}) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (io.stopped()) io.restart();
    io.run_for(20ms);
    if (each) each();
  }
  return true;
}

inline void run_for(asio::io_context& io, std::chrono::milliseconds d, const std::function<void()>& each = {}) {
  run_until(io, [] { return false; }, d, each);
}

inline PeerView view(const Speaker& s) {
  const auto v = s.peers();
  EXPECT_EQ(v.size(), 1u);
  return v.empty() ? PeerView{} : v.front();
}

inline bool established(const Speaker& s) { return view(s).state == fsm::State::Established; }

inline std::size_t rib_size(const Speaker& s, const wire::IpAddress& peer) {
  const auto t = s.adj_rib_in(peer);
  return t ? t->size() : 0;
}

// The attributes `test evpn originate` builds (cli::parse_originate): ORIGIN IGP, the
// VTEP as MP next hop, RT + VXLAN encapsulation, and for Type-3 a PMSI ingress
// replication tunnel to the originating IP with the VNI as label.
inline wire::PathAttributes originate_attrs(const char* vtep, std::uint16_t rt_as, std::uint32_t vni, bool pmsi) {
  const auto nh = ip(vtep);
  wire::PathAttributes a;
  a.origin = wire::Origin::Igp;
  a.mp_reach = wire::MpReach{wire::AfiSafi::l2vpn_evpn(), wire::ByteVec(nh.data(), nh.data() + nh.size()), {}, {}, {}};
  a.extended_communities.push_back(evpn::RouteTarget::as2(rt_as, vni).encode());
  a.extended_communities.push_back(evpn::Encapsulation{evpn::Encapsulation::kVxlan}.encode());
  if (pmsi)
    a.pmsi_tunnel = wire::PmsiTunnel{0, wire::PmsiTunnel::kIngressReplication, vni,
                                     wire::ByteVec(nh.data(), nh.data() + nh.size())};
  return a;
}


}  // namespace evpnd::bgp
