#pragma once
// Reads evpnd's configuration file: FRR's bgpd.conf / frr.conf grammar for the parts
// evpnd runs (`router bgp`, neighbors, `address-family l2vpn evpn`), so a leaf's FRR
// config loads without rewriting a line.
//
// Data flow: text -> lines -> words (tokenize) -> command_tree() match in the current
// context, walking up to the enclosing contexts when nothing matches there (FRR's
// command_config_read_one_line, which is why indentation does not matter) -> the
// command's handler edits a scratch BgpConfig. Every error in the file is collected and
// the result is either the whole new config or the list of errors: a caller that gets
// errors keeps running the config it has ("the running state is unchanged").
//
// Lines evpnd accepts but does not act on (`log ...`, `service integrated-vtysh-config`,
// `line vty`, `advertise-all-vni` for now) come back as warnings for the daemon to log.
#include <string>
#include <string_view>
#include <vector>

#include "bgp/config.hpp"
#include "bgp/wire/result.hpp"

namespace evpnd::cli {

struct ConfigError {
  std::string file;
  unsigned line = 0;    // 1-based; 0 when the file itself could not be read
  unsigned column = 0;  // 1-based column of the offending word; 0 when not known
  std::string message;
  std::string expected;  // what would have been accepted ("0-65535", "one of: a, b"); may be empty
  friend bool operator==(const ConfigError&, const ConfigError&) = default;
};

// "FILE:LINE: ERROR: message (expected ...)"
std::string to_string(const ConfigError& e);

// A line that was accepted but is not acted on.
struct ConfigWarning {
  std::string file;
  unsigned line = 0;
  std::string text;     // the line as written, trimmed
  std::string message;  // why it has no effect
  friend bool operator==(const ConfigWarning&, const ConfigWarning&) = default;
};

// "FILE:LINE: WARNING: message: 'text'"
std::string to_string(const ConfigWarning& w);

struct ParsedConfig {
  bgp::BgpConfig config;
  std::vector<ConfigWarning> ignored;  // accepted but ignored lines, in file order
};

using ParseResult = bgp::wire::Result<ParsedConfig, std::vector<ConfigError>>;

// Parses a whole file's text; `file_name` only labels the messages. Never throws on input.
ParseResult parse_config(std::string_view text, std::string_view file_name = "evpnd.conf");

// Reads and parses `path`; a file that cannot be read is one ConfigError with line 0.
ParseResult parse_config_file(const std::string& path);

}  // namespace evpnd::cli
