#pragma once
// Rendering of `show bgp ...` from the speaker's read-only snapshots: plain text in
// FRR's layout, and JSON with FRR's key names where FRR has the same command
// (`show bgp l2vpn evpn summary json`, `show bgp l2vpn evpn route json`), plus evpnd's
// own keys for what FRR does not show (label, ESI, PMSI, MAC mobility per path).
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bgp/config.hpp"
#include "bgp/peer_view.hpp"
#include "rib/loc_rib.hpp"
#include "rib/path_table.hpp"

namespace evpnd::cli {

// One table of paths to show, and whose they are.
struct PathSource {
  std::string peer;  // the neighbor's address, or "local" for originated routes
  bool ibgp = true;
  const rib::PathTable* table = nullptr;
  rib::PeerId id{};  // the source in the Loc-RIB, to mark its best paths
};

struct EvpnRouteFilter {
  std::optional<std::uint8_t> route_type;  // 1..5
};

// `show bgp l2vpn evpn summary` (and, with `family` ipv4 unicast, `show bgp ipv4 unicast
// summary`): the same table, with the family's received and sent counts.
nlohmann::ordered_json evpn_summary_json(const bgp::BgpConfig& cfg, const std::vector<bgp::PeerView>& peers,
                                         std::chrono::steady_clock::time_point now,
                                         bgp::wire::AfiSafi family = bgp::wire::AfiSafi::l2vpn_evpn());
std::string evpn_summary_text(const bgp::BgpConfig& cfg, const std::vector<bgp::PeerView>& peers,
                              std::chrono::steady_clock::time_point now,
                              bgp::wire::AfiSafi family = bgp::wire::AfiSafi::l2vpn_evpn());

// With `rib`, each path the Loc-RIB chose is marked best (FRR's "*>" and
// "bestpath": {"overall": true, "selectionReason": ...}).
nlohmann::ordered_json evpn_routes_json(const bgp::BgpConfig& cfg, const std::vector<PathSource>& sources,
                                        const EvpnRouteFilter& filter, const rib::EvpnRib* rib = nullptr);
std::string evpn_routes_text(const bgp::BgpConfig& cfg, const std::vector<PathSource>& sources,
                             const EvpnRouteFilter& filter, const rib::EvpnRib* rib = nullptr);

nlohmann::ordered_json neighbors_json(const std::vector<bgp::PeerView>& peers,
                                      std::chrono::steady_clock::time_point now);
std::string neighbors_text(const std::vector<bgp::PeerView>& peers, std::chrono::steady_clock::time_point now);

// FRR's peer uptime format: "00:01:02" below a day, "1d02h03m" below a week, "01w1d02h"
// below a year, then "01y13w6d".
std::string format_uptime(std::chrono::seconds s);

}  // namespace evpnd::cli
