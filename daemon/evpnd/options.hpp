#pragma once
// evpnd's command-line flags (Boost.Program_options), in FRR's spelling where bgpd has
// the same flag (-f, -l, -p).
#include <cstddef>
#include <optional>
#include <string>

namespace evpnd::daemon {

struct Options {
  std::string config_file = "/etc/evpnd/evpnd.conf";
  std::optional<std::string> listen_address;  // -l; unset: all addresses
  std::uint16_t port = 179;                    // -p; 0 disables the listener (as bgpd -p 0)
  std::string socket_path = "/run/evpnd/evpnd.sock";
  std::string log_level = "info";
  std::optional<std::string> log_file;
  bool check_only = false;                     // -C: parse the config, print it, exit
  // Management socket: mode 0660, owned by this group (unset: root's group), so that
  // operators in the group run evpnsh without being root.
  std::optional<std::string> socket_group;
  std::optional<std::string> user;             // -u: run as this user once the sockets are bound
  bool keep_privileges = false;                // do not drop capabilities (debugging only)
  // `test evpn originate|withdraw`: injects arbitrary routes toward every peer, so only
  // tests get it.
  bool enable_test_commands = false;
  std::size_t peer_output_limit_mb = 64;       // encoded output a peer may hold before reset
};

// Parses argv; on --help or a bad flag prints to stdout/stderr and returns the exit code.
struct ParsedOptions {
  std::optional<Options> options;
  int exit_code = 0;
};
ParsedOptions parse_options(int argc, char** argv);

}  // namespace evpnd::daemon
