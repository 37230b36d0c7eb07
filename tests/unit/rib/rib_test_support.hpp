#pragma once
// Helpers for the RIB tests: decode a captured UPDATE into its path attributes and EVPN
// NLRI, and build Type-2/Type-3 NLRI by hand.
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "bgp/wire/message.hpp"
#include "evpn/nlri.hpp"
#include "support/testdata.hpp"

namespace evpnd::test {

namespace wire = bgp::wire;

struct CapturedUpdate {
  wire::PathAttributes attrs;
  std::vector<evpn::EvpnNlri> announced;  // from MP_REACH
  std::vector<evpn::EvpnNlri> withdrawn;  // from MP_UNREACH
};

inline CapturedUpdate decode_capture(const std::string& file) {
  CapturedUpdate out;
  const auto bytes = testdata(file);
  auto m = wire::decode_message(bytes, wire::CodecContext{});
  EXPECT_TRUE(m.ok()) << file;
  if (!m) return out;
  const auto* u = std::get_if<wire::DecodedUpdate>(&m.value());
  EXPECT_NE(u, nullptr) << file;
  if (!u) return out;
  out.attrs = u->update.attrs;
  if (out.attrs.mp_reach) {
    auto n = evpn::decode_evpn_nlris(out.attrs.mp_reach->nlri, false, 0);
    EXPECT_TRUE(n.ok()) << file;
    if (n) out.announced = *n;
  }
  if (out.attrs.mp_unreach) {
    auto n = evpn::decode_evpn_nlris(out.attrs.mp_unreach->nlri, false, 0);
    EXPECT_TRUE(n.ok()) << file;
    if (n) out.withdrawn = *n;
  }
  return out;
}

inline wire::IpAddress ip(const char* s) { return *wire::IpAddress::parse(s); }
inline evpn::RouteDistinguisher rd(const char* s) { return *evpn::RouteDistinguisher::parse(s); }
inline evpn::MacAddress mac(const char* s) { return *evpn::MacAddress::parse(s); }

inline evpn::EvpnNlri macip(const char* rd_text, const char* mac_text, const char* ip_text, std::uint32_t label,
                            std::optional<std::uint32_t> path_id = std::nullopt) {
  evpn::MacIpRoute r;
  r.rd = rd(rd_text);
  r.mac = mac(mac_text);
  if (ip_text) r.ip = ip(ip_text);
  r.label1 = evpn::Label{label};
  return evpn::EvpnNlri{path_id, r};
}

inline evpn::EvpnNlri imet(const char* rd_text, const char* orig, std::uint32_t etag = 0) {
  return evpn::EvpnNlri{std::nullopt, evpn::ImetRoute{rd(rd_text), evpn::EthernetTag{etag}, ip(orig)}};
}

}  // namespace evpnd::test
