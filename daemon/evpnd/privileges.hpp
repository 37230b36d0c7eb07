#pragma once
// Once evpnd has bound what needs privilege (the BGP listener on port 179, the management
// socket), it keeps only the capabilities it goes on using and gives up the rest,
// including the bounding set, so that nothing it runs later can regain them:
//   CAP_NET_BIND_SERVICE  listeners opened again at run time (port 179)
//   CAP_NET_ADMIN         with the kernel FIB backend (a VTEP leaf): the kernel checks it
//                         on every netlink request that changes the FDB or neighbours
// (CAP_NET_RAW joins the list with the in-process dataplane.) With `user`, evpnd also
// changes to that user, keeping the same capabilities.
#include <optional>
#include <string>

namespace evpnd::daemon {

// nullopt on success, else why it failed (evpnd then refuses to run on).
std::optional<std::string> drop_privileges(const std::optional<std::string>& user, bool keep_net_admin);

// "CapEff 0000000000000400" style summary of the process's capabilities, for the log.
std::string capability_summary();

}  // namespace evpnd::daemon
