#pragma once
// One command tree for the config file, evpnsh and its `?` help and TAB completion.
//
// Commands are written in FRR's DEFPY grammar, so a reader can hold a line of our table
// next to FRR's bgpd/bgp_vty.c:
//
//   "neighbor <A.B.C.D|X:X::X:X>$peer timers (0-65535)$keepalive (0-65535)$hold_time"
//
//   keyword        matches itself or an unambiguous prefix ("nei" for "neighbor");
//                  lower case, digits, '-' and '.', or a lone "*" (clear bgp *)
//   A.B.C.D        an IPv4 address          X:X::X:X   an IPv6 address
//   ASNUM          AS number, asplain "65000" or asdot "1.10" (RFC 5396)
//   (lo-hi)        an integer in [lo, hi]
//   WORD           any one word             LINE...    the rest of the line (>= 1 word)
//   PGNAME         a word that is not an address (peer-group or interface names; used
//                  only by hidden commands that say "not supported yet")
//   <a|b|c>        one of the alternatives  $name      names the argument for handlers
//                                                      and for error messages
//
// Each atom carries one help line, in pattern order (FRR's doc strings).
//
// Matching follows FRR's cmd_execute rules where a user can see them: an exact keyword
// beats a typed variable (address, number), which beats a keyword prefix, which beats
// WORD, which beats LINE; a tie between two commands is "ambiguous". A value of the right
// shape but wrong content ("10.0.0.256", "70000" for (0-65535)) still selects the command,
// so the error names the value and the allowed range instead of "unknown command".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "bgp/wire/types.hpp"
#include "evpn/types.hpp"

namespace evpnd::cli {

// Where a line is read: FRR's nodes. `Unsupported` swallows the body of a stanza we
// refuse (e.g. `router bgp N vrf X`) so that one refused stanza gives one error.
enum class Context : std::uint8_t { Config, RouterBgp, AfIpv4Unicast, AfL2vpnEvpn, EvpnVni, Unsupported };

// The enclosing context (FRR's node_parent); nullopt for Config.
std::optional<Context> parent(Context c);
// FRR's prompt suffix: "config", "config-router", "config-router-af".
std::string_view context_name(Context c);

constexpr std::uint32_t in(Context c) { return 1u << static_cast<unsigned>(c); }
constexpr std::uint32_t kAllContexts = in(Context::Config) | in(Context::RouterBgp) |
                                       in(Context::AfIpv4Unicast) | in(Context::AfL2vpnEvpn) |
                                       in(Context::EvpnVni) |
                                       in(Context::Unsupported);

enum class AtomKind : std::uint8_t { Keyword, Ipv4, Ipv6, Ipv4Prefix, Asn, Range, Word, Line, PeerGroupName, Mac };

struct Atom {
  AtomKind kind = AtomKind::Keyword;
  std::string text;  // the keyword, or the placeholder as written ("A.B.C.D", "(1-65535)")
  std::int64_t lo = 0, hi = 0;  // Range only
  std::string help;
};

struct Element {
  std::vector<Atom> alternatives;
  std::string name;  // from `$name`; empty if unnamed
};

class ConfigSession;
struct Invocation;
using Handler = void (*)(ConfigSession&, const Invocation&);

// One row of a command table, as written.
struct CommandSpec {
  CommandSpec(std::uint32_t contexts_, std::string_view pattern_, std::vector<std::string_view> help_,
              Handler handler_, std::optional<Context> enters_ = std::nullopt, bool hidden_ = false)
      : contexts(contexts_), pattern(pattern_), help(std::move(help_)), handler(handler_), enters(enters_),
        hidden(hidden_) {}

  std::uint32_t contexts;              // bitmask of in(Context)
  std::string_view pattern;
  std::vector<std::string_view> help;  // one line per atom, in order
  Handler handler = nullptr;
  std::optional<Context> enters;       // the context after the line (stanza commands)
  bool hidden = false;                 // matched, but not offered by completion or help
};

struct Command {
  std::string pattern;
  std::vector<Element> elements;
  std::uint32_t contexts = 0;
  Handler handler = nullptr;
  std::optional<Context> enters;
  bool hidden = false;
};

struct Word {
  std::string text;
  unsigned column = 0;  // 1-based, in the raw line
};
// Splits on blanks (space, tab, CR), like FRR's cmd_make_strvec.
std::vector<Word> tokenize(std::string_view line);

// A matched argument, converted by its atom kind.
struct Arg {
  std::string name;       // the element's $name
  AtomKind kind = AtomKind::Keyword;
  std::string text;       // as typed (Line: the remaining words joined by one space)
  std::string keyword;    // Keyword: the full keyword (text may be a prefix of it)
  unsigned column = 0;
  std::uint64_t number = 0;     // Range (non-negative after validation)
  bgp::wire::IpAddress address;      // Ipv4 / Ipv6 / Ipv4Prefix (host bits cleared)
  std::uint8_t prefix_length = 0;    // Ipv4Prefix
  bgp::wire::Asn asn;                // Asn
  evpn::MacAddress mac;              // Mac
};

// A value that has the right shape for its atom but not a valid content.
struct ValueError {
  unsigned column = 0;
  std::string message;
  std::string expected;
};

struct Invocation {
  const Command* command = nullptr;
  Context context = Context::Config;  // the context the command matched in
  std::vector<Arg> args;
  std::optional<ValueError> invalid;  // set: the handler is not run

  [[nodiscard]] const Arg* find(std::string_view name) const;
  // The argument named `name`; the table guarantees it exists for the handler it calls.
  [[nodiscard]] const Arg& arg(std::string_view name) const;
  // True if the element `name` matched the keyword `keyword`.
  [[nodiscard]] bool is(std::string_view name, std::string_view keyword) const;
};

struct MatchFailure {
  enum class Kind : std::uint8_t { Unknown, Unexpected, Incomplete, Ambiguous };
  Kind kind = Kind::Unknown;
  std::size_t word_index = 0;
  unsigned column = 0;
  std::vector<std::string> expected;  // token names; "<cr>" for end of line
};

using MatchResult = std::variant<Invocation, MatchFailure>;

struct HelpItem {
  std::string token;  // a keyword, a placeholder ("A.B.C.D"), or "<cr>"
  std::string text;
  friend bool operator==(const HelpItem&, const HelpItem&) = default;
};

class CommandTree {
 public:
  explicit CommandTree(const std::vector<CommandSpec>& specs);

  // Matches in `context` only (callers walk up the parents, as FRR does for files).
  [[nodiscard]] MatchResult match(Context context, const std::vector<Word>& words) const;

  // The keywords that can follow `partial_line` in `context` (the last word, if not
  // followed by a blank, is a prefix to complete), sorted. Variables are not offered:
  // they cannot be completed, only described by help().
  [[nodiscard]] std::vector<std::string> completions(Context context, std::string_view partial_line) const;
  // What `?` prints after `partial_line`: every token that can come next (filtered by the
  // partial last word), in table order, and "<cr>" when the line is already complete.
  [[nodiscard]] std::vector<HelpItem> help(Context context, std::string_view partial_line) const;

  [[nodiscard]] const std::vector<Command>& commands() const { return commands_; }
  // Table mistakes found while compiling the patterns (bad syntax, help count). The unit
  // tests require this to be empty; a bad row is dropped rather than thrown.
  [[nodiscard]] const std::vector<std::string>& defects() const { return defects_; }

 private:
  std::vector<Command> commands_;
  std::vector<std::string> defects_;
};

// The tree of configuration commands (defined with their handlers in config_commands.cpp).
const CommandTree& command_tree();

// Shorthands on command_tree() for the shell.
std::vector<std::string> completions(Context context, std::string_view partial_line);
std::vector<HelpItem> help(Context context, std::string_view partial_line);

}  // namespace evpnd::cli
