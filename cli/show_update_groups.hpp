#pragma once
// `show bgp update-groups [json]`: each update group with its settings, members, how
// many routes it was sent and how many UPDATEs it encoded once and delivered to its
// members (the figure that says update groups work: delivered / encoded = members).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bgp/speaker.hpp"

namespace evpnd::cli {

nlohmann::ordered_json update_groups_json(const std::vector<bgp::Speaker::UpdateGroupView>& groups,
                                          const bgp::UpdateGroups::Counters& totals);
std::string update_groups_text(const std::vector<bgp::Speaker::UpdateGroupView>& groups,
                               const bgp::UpdateGroups::Counters& totals);

}  // namespace evpnd::cli
