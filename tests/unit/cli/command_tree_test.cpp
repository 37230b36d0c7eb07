// The command tree: table integrity, completion, `?` help and match precedence.
#include <gtest/gtest.h>

#include "cli/command_tree.hpp"

namespace evpnd::cli {
namespace {

using Strings = std::vector<std::string>;

std::vector<std::string> tokens(const std::vector<HelpItem>& items) {
  std::vector<std::string> v;
  for (const auto& h : items) v.push_back(h.token);
  return v;
}

TEST(CommandTree, TableHasNoDefects) {
  const auto& t = command_tree();
  EXPECT_TRUE(t.defects().empty()) << t.defects().front();
  EXPECT_GE(t.commands().size(), 30u);
  // Every visible atom explains itself in `?`.
  for (const auto& c : t.commands()) {
    if (c.hidden) continue;
    for (const auto& e : c.elements)
      for (const auto& a : e.alternatives) EXPECT_FALSE(a.help.empty()) << c.pattern << ": " << a.text;
  }
}

TEST(CommandTree, DefectsAreReportedNotThrown) {
  CommandTree t({
      {in(Context::Config), "ok thing", {"a", "b"}, nullptr},
      {in(Context::Config), "missing help", {"a"}, nullptr},
      {in(Context::Config), "bad (9-1)", {"a", "b"}, nullptr},
      {in(Context::Config), "LINE... after", {"a", "b"}, nullptr},
      {in(Context::Config), "dup WORD$x WORD$x", {"a", "b", "c"}, nullptr},
  });
  EXPECT_EQ(t.commands().size(), 1u);
  EXPECT_EQ(t.defects().size(), 4u);
}

TEST(CommandTree, CompletionsAtTopLevel) {
  EXPECT_EQ(completions(Context::Config, ""),
            (Strings{"end", "exit", "frr", "hostname", "line", "log", "router", "service"}));
  EXPECT_EQ(completions(Context::Config, "r"), (Strings{"router"}));
  EXPECT_EQ(completions(Context::Config, "router "), (Strings{"bgp"}));
  EXPECT_EQ(completions(Context::Config, "router bgp "), Strings{});  // ASNUM: nothing to insert
  EXPECT_EQ(completions(Context::Config, "frr defaults "), (Strings{"datacenter", "traditional"}));
  EXPECT_EQ(completions(Context::Config, "frr d"), (Strings{"defaults"}));
  // Hidden commands are matched but not offered.
  EXPECT_EQ(completions(Context::Config, "i"), Strings{});
}

TEST(CommandTree, CompletionsInRouterBgp) {
  EXPECT_EQ(completions(Context::RouterBgp, ""),
            (Strings{"address-family", "bgp", "end", "exit", "neighbor", "no"}));
  EXPECT_EQ(completions(Context::RouterBgp, "ne"), (Strings{"neighbor"}));
  EXPECT_EQ(completions(Context::RouterBgp, "neighbor 10.0.0.1 "),
            (Strings{"allowas-in", "attribute-unchanged", "description", "maximum-prefix", "next-hop-self", "passive",
                     "password", "port", "remote-as", "route-reflector-client", "timers", "ttl-security",
                     "update-source"}));
  EXPECT_EQ(completions(Context::RouterBgp, "neighbor 2001:db8::1 ti"), (Strings{"timers"}));
  EXPECT_EQ(completions(Context::RouterBgp, "neighbor 10.0.0.1 timers "), (Strings{"connect", "send-hold"}));
  EXPECT_EQ(completions(Context::RouterBgp, "neighbor 10.0.0.1 remote-as "), (Strings{"external", "internal"}));
  EXPECT_EQ(completions(Context::RouterBgp, "nei 10.0.0.1 remote-as e"), (Strings{"external"}));
  EXPECT_EQ(completions(Context::RouterBgp, "bgp "),
            (Strings{"cluster-id", "default", "ebgp-requires-policy", "evpn", "graceful-restart", "log-neighbor-changes", "router-id"}));
  EXPECT_EQ(completions(Context::RouterBgp, "no bgp "),
            (Strings{"default", "ebgp-requires-policy", "graceful-restart", "log-neighbor-changes"}));
  EXPECT_EQ(completions(Context::RouterBgp, "address-family "), (Strings{"ipv4", "l2vpn"}));
  EXPECT_EQ(completions(Context::RouterBgp, "address-family l2vpn "), (Strings{"evpn"}));
  EXPECT_EQ(completions(Context::RouterBgp, "neighbor SPINE "), Strings{});  // peer-groups are hidden
  EXPECT_EQ(completions(Context::RouterBgp, "neighbor 10.0.0.1 description some "), Strings{});
}

TEST(CommandTree, CompletionsInAddressFamilies) {
  EXPECT_EQ(completions(Context::AfL2vpnEvpn, ""),
            (Strings{"advertise-all-vni", "autort", "end", "exit", "exit-address-family", "neighbor", "no", "vni"}));
  EXPECT_EQ(completions(Context::AfIpv4Unicast, "a"), Strings{});  // advertise-all-vni is EVPN's
  EXPECT_EQ(completions(Context::AfIpv4Unicast, "exit"), (Strings{"exit", "exit-address-family"}));
  EXPECT_EQ(completions(Context::AfL2vpnEvpn, "no neighbor 10.0.0.1 "), (Strings{"activate"}));
}

TEST(CommandTree, HelpListsTokensWithTheirText) {
  EXPECT_EQ(help(Context::RouterBgp, "neighbor "),
            (std::vector<HelpItem>{{"A.B.C.D", "Neighbor address"}, {"X:X::X:X", "Neighbor IPv6 address"}}));
  EXPECT_EQ(help(Context::RouterBgp, "neighbor 10.0.0.1 timers "),
            (std::vector<HelpItem>{{"(0-65535)", "Keepalive interval"},
                                   {"connect", "BGP connect timer"},
                                   {"send-hold", "Send hold timer (RFC 9687; evpnd, default max(480, 2 x hold time))"}}));
  EXPECT_EQ(help(Context::RouterBgp, "neighbor 10.0.0.1 timers 3 "),
            (std::vector<HelpItem>{{"(0-65535)", "Holdtime"}}));
  EXPECT_EQ(help(Context::RouterBgp, "neighbor 10.0.0.1 timers 3 9 "),
            (std::vector<HelpItem>{{"<cr>", "Enter to run the command"}}));
  EXPECT_EQ(help(Context::RouterBgp, "neighbor 10.0.0.1 passive "),
            (std::vector<HelpItem>{{"<cr>", "Enter to run the command"}}));
  EXPECT_EQ(tokens(help(Context::RouterBgp, "neighbor 10.0.0.1 p")), (Strings{"passive", "port", "password"}));
  EXPECT_EQ(tokens(help(Context::RouterBgp, "neighbor 10.0.0.1 remote-as ")),
            (Strings{"ASNUM", "internal", "external"}));
  EXPECT_EQ(tokens(help(Context::RouterBgp, "neighbor 10.0.0.1 update-source ")),
            (Strings{"A.B.C.D", "X:X::X:X", "WORD"}));
  EXPECT_EQ(tokens(help(Context::RouterBgp, "neighbor 10.0.0.1 description fabric ")), (Strings{"LINE...", "<cr>"}));
  // A partial word narrows variables too: "10." can only become an IPv4 address.
  EXPECT_EQ(tokens(help(Context::RouterBgp, "neighbor 10.")), (Strings{"A.B.C.D", "X:X::X:X"}));
  EXPECT_EQ(tokens(help(Context::RouterBgp, "neighbor fe")), (Strings{"X:X::X:X"}));
  EXPECT_EQ(help(Context::Config, "router bgp "), (std::vector<HelpItem>{{"ASNUM", "AS number"}}));
  EXPECT_EQ(help(Context::Config, "hostname leaf1 "), (std::vector<HelpItem>{{"<cr>", "Enter to run the command"}}));
  EXPECT_TRUE(help(Context::Config, "bogus ").empty());
}

TEST(CommandTree, MatchPrecedence) {
  const auto& t = command_tree();
  // An address beats WORD: the value error names the address, not an interface.
  auto r = t.match(Context::RouterBgp, tokenize("neighbor 10.0.0.1 update-source 10.0.0.2"));
  ASSERT_TRUE(std::holds_alternative<Invocation>(r));
  const auto& inv = std::get<Invocation>(r);
  EXPECT_FALSE(inv.invalid);
  EXPECT_EQ(inv.arg("source").kind, AtomKind::Ipv4);
  EXPECT_EQ(inv.arg("source").address.to_string(), "10.0.0.2");
  EXPECT_EQ(inv.arg("peer").column, 10u);

  auto word = t.match(Context::RouterBgp, tokenize("neighbor 10.0.0.1 update-source lo"));
  ASSERT_TRUE(std::holds_alternative<Invocation>(word));
  EXPECT_EQ(std::get<Invocation>(word).arg("source").kind, AtomKind::Word);

  // An exact keyword beats a variable; a typed variable beats the hidden catch-all.
  auto ra = t.match(Context::RouterBgp, tokenize("neighbor 10.0.0.1 remote-as internal"));
  ASSERT_TRUE(std::holds_alternative<Invocation>(ra));
  EXPECT_TRUE(std::get<Invocation>(ra).is("as", "internal"));
  EXPECT_FALSE(std::get<Invocation>(ra).command->hidden);

  // Abbreviations resolve to the full keyword.
  auto ab = t.match(Context::RouterBgp, tokenize("nei 10.0.0.1 remote-as ext"));
  ASSERT_TRUE(std::holds_alternative<Invocation>(ab));
  EXPECT_TRUE(std::get<Invocation>(ab).is("as", "external"));

  // A number of the right shape but out of range still selects the command.
  auto big = t.match(Context::RouterBgp, tokenize("neighbor 10.0.0.1 port 70000"));
  ASSERT_TRUE(std::holds_alternative<Invocation>(big));
  ASSERT_TRUE(std::get<Invocation>(big).invalid);
  EXPECT_EQ(std::get<Invocation>(big).invalid->expected, "1-65535");

  // Matching is per context: no walk-up here (the parser does that).
  auto af = t.match(Context::AfL2vpnEvpn, tokenize("bgp router-id 1.1.1.1"));
  ASSERT_TRUE(std::holds_alternative<MatchFailure>(af));
  EXPECT_EQ(std::get<MatchFailure>(af).kind, MatchFailure::Kind::Unknown);
}

TEST(CommandTree, ContextsAndTokenizer) {
  EXPECT_EQ(parent(Context::AfL2vpnEvpn), Context::RouterBgp);
  EXPECT_EQ(parent(Context::RouterBgp), Context::Config);
  EXPECT_EQ(parent(Context::Config), std::nullopt);
  EXPECT_EQ(context_name(Context::AfIpv4Unicast), "config-router-af");
  auto w = tokenize("\t neighbor  10.0.0.1\r");
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].text, "neighbor");
  EXPECT_EQ(w[0].column, 3u);
  EXPECT_EQ(w[1].text, "10.0.0.1");
  EXPECT_EQ(w[1].column, 13u);
}

}  // namespace
}  // namespace evpnd::cli
