#pragma once
// `show bgp ipv4 unicast [json]` and `show bgp ipv4 unicast neighbors X advertised-routes
// [json]`: the ipv4 unicast Loc-RIB in FRR's table layout and JSON keys (every path of
// each prefix, the best one marked "*>" / "bestpath": true with FRR's selectionReason).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bgp/config.hpp"
#include "bgp/speaker.hpp"
#include "rib/loc_rib.hpp"

namespace evpnd::cli {

// Who a source is, for show: its address and iBGP or not (routes we originate are
// "local", with FRR's peerId "(unspec)").
struct SourceName {
  std::string address;
  bool local = false;
  bool ibgp = true;
};
using SourceNames = std::function<SourceName(rib::PeerId)>;

// `only`: the paths of one source (`show bgp ipv4 unicast neighbors X routes`).
nlohmann::ordered_json ipv4_routes_json(const bgp::BgpConfig& cfg, const rib::Ipv4Rib& rib, const SourceNames& names,
                                        std::optional<rib::PeerId> only = std::nullopt);
std::string ipv4_routes_text(const bgp::BgpConfig& cfg, const rib::Ipv4Rib& rib, const SourceNames& names,
                             std::optional<rib::PeerId> only = std::nullopt);

// What a neighbor was sent, attributes as sent (no best marks: the choice was ours).
nlohmann::ordered_json ipv4_advertised_json(const bgp::BgpConfig& cfg, const std::vector<bgp::Speaker::SentPrefix>& sent);
std::string ipv4_advertised_text(const bgp::BgpConfig& cfg, const std::vector<bgp::Speaker::SentPrefix>& sent);

}  // namespace evpnd::cli
