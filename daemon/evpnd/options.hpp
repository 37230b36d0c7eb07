#pragma once
// evpnd's command-line flags (Boost.Program_options), in FRR's spelling where bgpd has
// the same flag (-f, -l, -p).
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
};

// Parses argv; on --help or a bad flag prints to stdout/stderr and returns the exit code.
struct ParsedOptions {
  std::optional<Options> options;
  int exit_code = 0;
};
ParsedOptions parse_options(int argc, char** argv);

}  // namespace evpnd::daemon
