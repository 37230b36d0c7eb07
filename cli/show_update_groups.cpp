#include "cli/show_update_groups.hpp"

namespace evpnd::cli {

namespace {
nlohmann::ordered_json counters_json(const bgp::UpdateGroups::Counters& c) {
  nlohmann::ordered_json j;
  j["messagesEncoded"] = c.messages_encoded;
  j["routesEncoded"] = c.routes_encoded;
  j["messagesDelivered"] = c.messages_delivered;
  return j;
}
}  // namespace

nlohmann::ordered_json update_groups_json(const std::vector<bgp::Speaker::UpdateGroupView>& groups,
                                          const bgp::UpdateGroups::Counters& totals) {
  nlohmann::ordered_json j;
  auto& list = j["updateGroups"] = nlohmann::ordered_json::array();
  for (const auto& g : groups) {
    nlohmann::ordered_json e;
    e["id"] = g.group.id;
    e["addressFamily"] = bgp::wire::to_string(g.family);
    e["settings"] = bgp::describe(g.group.key);
    auto& members = e["members"] = nlohmann::ordered_json::array();
    for (const auto& a : g.members) members.push_back(a.to_string());
    e["routesSent"] = g.group.adj_rib_out;
    e["routesPending"] = g.group.pending;
    e["tableSend"] = g.group.table_send;
    e.update(counters_json(g.group.counters));
    list.push_back(std::move(e));
  }
  // Including groups that have since merged into others or emptied.
  j["totals"] = counters_json(totals);
  return j;
}

std::string update_groups_text(const std::vector<bgp::Speaker::UpdateGroupView>& groups,
                               const bgp::UpdateGroups::Counters& totals) {
  std::string s;
  for (const auto& g : groups) {
    const auto& c = g.group.counters;
    s += "Update-group " + std::to_string(g.group.id) + ":\n";
    s += "  Address family: " + bgp::wire::to_string(g.family) + "\n";
    s += "  Settings: " + bgp::describe(g.group.key) + "\n";
    s += "  Routes sent: " + std::to_string(g.group.adj_rib_out) + ", pending: " + std::to_string(g.group.pending) +
         (g.group.table_send ? ", table send in progress" : "") + "\n";
    s += "  UPDATEs encoded: " + std::to_string(c.messages_encoded) + " (" + std::to_string(c.routes_encoded) +
         " routes), delivered: " + std::to_string(c.messages_delivered) + "\n";
    s += "  Members (" + std::to_string(g.members.size()) + "):\n";
    for (const auto& a : g.members) s += "    " + a.to_string() + "\n";
  }
  s += "Total UPDATEs encoded: " + std::to_string(totals.messages_encoded) +
       ", delivered: " + std::to_string(totals.messages_delivered) + "\n";
  return s;
}

}  // namespace evpnd::cli
