#include "daemon/evpnd/privileges.hpp"

#include <cap-ng.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <fstream>

namespace evpnd::daemon {

namespace {

constexpr int kKept[] = {CAP_NET_BIND_SERVICE};

}  // namespace

std::optional<std::string> drop_privileges(const std::optional<std::string>& user, bool keep_net_admin) {
  capng_clear(CAPNG_SELECT_BOTH);
  auto keep = [](int cap) {
    return capng_update(CAPNG_ADD, static_cast<capng_type_t>(CAPNG_EFFECTIVE | CAPNG_PERMITTED), cap) == 0;
  };
  for (int cap : kKept)
    if (!keep(cap)) return "capng_update failed";
  if (keep_net_admin && !keep(CAP_NET_ADMIN)) return "capng_update failed";
  if (user) {
    const passwd* pw = ::getpwnam(user->c_str());
    if (!pw) return "no such user '" + *user + "'";
    // Changes uid and gid, drops the supplementary groups and the bounding set, and
    // keeps the capabilities selected above across the change.
    const int rc = capng_change_id(static_cast<int>(pw->pw_uid), static_cast<int>(pw->pw_gid),
                                   static_cast<capng_flags_t>(CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING));
    if (rc != 0) return "cannot change to user '" + *user + "' (capng_change_id " + std::to_string(rc) + ")";
    return std::nullopt;
  }
  if (capng_apply(CAPNG_SELECT_BOTH) != 0) return "capng_apply failed (is evpnd allowed to change capabilities?)";
  return std::nullopt;
}

std::string capability_summary() {
  std::ifstream in("/proc/self/status");
  std::string line, out;
  while (std::getline(in, line))
    if (line.rfind("CapEff:", 0) == 0 || line.rfind("CapBnd:", 0) == 0 || line.rfind("CapPrm:", 0) == 0) {
      if (!out.empty()) out += ", ";
      out += line;
    }
  return out;
}

}  // namespace evpnd::daemon
