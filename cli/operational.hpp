#pragma once
// The operational (exec-mode) commands of evpnsh and the management API: `show ...`,
// `clear bgp ...`, and the `test evpn ...` hooks that originate routes until the VTEP
// milestone brings real learning. The grammar is a CommandTree like the configuration's,
// so `?` help and completion work the same way. Handlers read the speaker through its
// snapshot API; `clear` and the test hooks are the commands that change state.
//
// The test hooks inject arbitrary routes towards every peer, so they exist only when
// evpnd runs with --enable-test-commands; without it they are unknown commands.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bgp/speaker.hpp"
#include "cli/command_tree.hpp"

namespace evpnd::leaf {
class Leaf;
}

namespace evpnd::cli {

struct CommandResult {
  enum class Status { Ok, Error, UnknownCommand };
  Status status = Status::Ok;
  std::string output;
};

class OperationalCommands {
 public:
  // `running_config` prints the configuration in force (cli's config printer).
  OperationalCommands(bgp::Speaker& speaker, std::function<std::string()> running_config,
                      bool test_commands = false);

  // The VTEP, when evpnd is one (`show evpn ...`, `clear evpn dup-addr`). Not owned.
  void set_leaf(leaf::Leaf* leaf) { leaf_ = leaf; }

  CommandResult run(std::string_view line);
  [[nodiscard]] std::vector<std::string> completions(std::string_view partial_line) const;
  [[nodiscard]] std::vector<HelpItem> help(std::string_view partial_line) const;

 private:
  CommandResult show_ipv4(const Invocation& inv) const;
  CommandResult evpn_command(const Invocation& inv) const;

  bgp::Speaker& speaker_;
  leaf::Leaf* leaf_ = nullptr;
  std::function<std::string()> running_config_;
  const CommandTree& tree_;
};

// The table of exec commands, with or without the test hooks (for tests: it must
// compile without defects).
const CommandTree& operational_tree(bool test_commands = false);

// Parses the arguments of `test evpn originate|withdraw macip|multicast ...` into the
// route and the attributes it is originated with. Exposed for unit tests. `count N`
// (Type-2 only) asks for N routes with consecutive MACs from `mac` on, in one packed
// send: how tests load a large table.
struct OriginateRequest {
  evpn::EvpnNlri nlri;
  bgp::wire::PathAttributes attrs;
  std::uint32_t count = 1;
};
bgp::wire::Result<OriginateRequest, std::string> parse_originate(std::string_view kind,
                                                                 const std::vector<std::string>& args,
                                                                 bool withdraw);

}  // namespace evpnd::cli
