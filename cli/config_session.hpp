#pragma once
// The state config-command handlers edit while a file is read (private to cli/).
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "bgp/config.hpp"
#include "cli/command_tree.hpp"
#include "cli/config_parser.hpp"

namespace evpnd::cli {

class ConfigSession {
 public:
  explicit ConfigSession(std::string_view file) : file_(file) {}

  bgp::BgpConfig config;
  Context context = Context::Config;
  // `frr version X.Y`: FRR keeps the defaults of the version that wrote the file
  // (ebgp-requires-policy was off before 7.4); nullopt when absent or unparsable.
  std::optional<std::pair<int, int>> frr_version;
  // FRR fixes a neighbor's ipv4-unicast state when it is created from the default at
  // that moment; tracked per neighbor (same index as config.neighbors) and folded into
  // NeighborConfig::ipv4_unicast by finish().
  std::vector<bool> ipv4_active;
  // The `vni N` stanza being read (an index into config.vnis).
  std::size_t vni_index = 0;

  // The `vni N` stanza or line for `vni`, created when new.
  evpn::VniConfig& vni(evpn::Vni vni);

  void begin_line(unsigned line, std::string_view text) {
    line_ = line;
    text_ = text;
  }
  void error(unsigned column, std::string message, std::string expected = {}) {
    errors_.push_back({file_, line_, column, std::move(message), std::move(expected)});
  }
  void ignore(std::string message) { ignored_.push_back({file_, line_, std::string(text_), std::move(message)}); }

  // The neighbor a `neighbor X ...` command names, or nullptr after reporting FRR's
  // "Specify remote-as or peer-group commands first".
  bgp::NeighborConfig* neighbor(const Arg& peer);
  bgp::NeighborConfig& add_neighbor(const bgp::wire::IpAddress& peer);

  // Normalizes what handlers left for the printer's canonical form.
  void finish();

  [[nodiscard]] std::vector<ConfigError>& errors() { return errors_; }
  [[nodiscard]] std::vector<ConfigWarning>& ignored() { return ignored_; }

 private:
  std::string file_;
  unsigned line_ = 0;
  std::string_view text_;
  std::vector<ConfigError> errors_;
  std::vector<ConfigWarning> ignored_;
};

}  // namespace evpnd::cli
