// libFuzzer target for the exec and config command lines: tokenizing, matching against
// both command trees (with and without the test hooks) in every context, TAB completion
// and `?` help on the same partial line, and the arguments of `test evpn originate`.
// Nothing may crash; a match's arguments are in range of their atoms.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command_tree.hpp"
#include "cli/operational.hpp"

using namespace evpnd::cli;

namespace {

void exercise(const CommandTree& tree, Context ctx, std::string_view line) {
  const auto words = tokenize(line);
  const auto m = tree.match(ctx, words);
  if (const auto* inv = std::get_if<Invocation>(&m)) {
    if (inv->command == nullptr) __builtin_trap();
    for (const auto& a : inv->args)
      if (a.kind == AtomKind::Range && !inv->invalid && a.text.empty()) __builtin_trap();
  } else {
    const auto& f = std::get<MatchFailure>(m);
    if (f.word_index > words.size()) __builtin_trap();
  }
  (void)tree.completions(ctx, line);
  (void)tree.help(ctx, line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string line(reinterpret_cast<const char*>(data), size);
  for (bool tests : {false, true}) exercise(operational_tree(tests), Context::Config, line);
  for (Context c : {Context::Config, Context::RouterBgp, Context::AfIpv4Unicast, Context::AfL2vpnEvpn,
                    Context::Unsupported})
    exercise(command_tree(), c, line);
  std::vector<std::string> args;
  for (const auto& w : tokenize(line)) args.push_back(w.text);
  for (const char* kind : {"macip", "multicast"})
    for (bool withdraw : {false, true}) (void)parse_originate(kind, args, withdraw);
  return 0;
}
