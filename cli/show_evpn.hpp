#pragma once
// The VTEP's show commands, in FRR's (zebra's) layout and JSON keys where FRR has the
// command: `show evpn`, `show evpn vni [VNI|detail] [json]`, `show evpn mac vni <VNI|all>
// [mac M|vtep IP|duplicate] [json]`, `show evpn arp-cache vni <VNI|all> [json]`; and
// ours, `show evpn fib [json]`: the FIB programmer's queue, counters and recent failures.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "leaf/leaf.hpp"

namespace evpnd::cli {

std::string evpn_summary_text(const leaf::Leaf& leaf);
nlohmann::ordered_json evpn_summary_json(const leaf::Leaf& leaf);

// One VNI (`only`) or all of them; `detail`: every VNI in the one-VNI form.
std::string evpn_vni_text(const leaf::Leaf& leaf, std::optional<evpn::Vni> only, bool detail = false);
nlohmann::ordered_json evpn_vni_json(const leaf::Leaf& leaf, std::optional<evpn::Vni> only);

// Which MACs `show evpn mac` lists: one (`mac M`, in detail), those behind one remote
// VTEP (`vtep IP`), or the ones duplicate address detection froze (`duplicate`).
struct MacFilter {
  std::optional<evpn::MacAddress> mac;
  std::optional<bgp::wire::IpAddress> vtep;
  bool duplicate = false;
};
std::string evpn_mac_text(const leaf::Leaf& leaf, std::optional<evpn::Vni> only, const MacFilter& filter = {});
nlohmann::ordered_json evpn_mac_json(const leaf::Leaf& leaf, std::optional<evpn::Vni> only,
                                     const MacFilter& filter = {});

std::string evpn_arp_cache_text(const leaf::Leaf& leaf, std::optional<evpn::Vni> only);
nlohmann::ordered_json evpn_arp_cache_json(const leaf::Leaf& leaf, std::optional<evpn::Vni> only);

std::string evpn_fib_text(const leaf::Leaf& leaf);
nlohmann::ordered_json evpn_fib_json(const leaf::Leaf& leaf);

}  // namespace evpnd::cli
