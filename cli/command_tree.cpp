#include "cli/command_tree.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace evpnd::cli {

std::optional<Context> parent(Context c) {
  switch (c) {
    case Context::Config: return std::nullopt;
    case Context::RouterBgp: return Context::Config;
    case Context::AfIpv4Unicast:
    case Context::AfL2vpnEvpn: return Context::RouterBgp;
    case Context::EvpnVni: return Context::AfL2vpnEvpn;
    case Context::Unsupported: return Context::Config;
  }
  return std::nullopt;
}

std::string_view context_name(Context c) {
  switch (c) {
    case Context::Config: return "config";
    case Context::RouterBgp: return "config-router";
    case Context::AfIpv4Unicast:
    case Context::AfL2vpnEvpn: return "config-router-af";
    case Context::EvpnVni: return "config-router-af-vni";
    case Context::Unsupported: return "config-unsupported";
  }
  return "config";
}

std::vector<Word> tokenize(std::string_view line) {
  std::vector<Word> out;
  std::size_t i = 0;
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (i < line.size()) {
    while (i < line.size() && blank(line[i])) ++i;
    if (i >= line.size()) break;
    std::size_t start = i;
    while (i < line.size() && !blank(line[i])) ++i;
    out.push_back({std::string(line.substr(start, i - start)), static_cast<unsigned>(start + 1)});
  }
  return out;
}

const Arg* Invocation::find(std::string_view name) const {
  for (const auto& a : args)
    if (a.name == name) return &a;
  return nullptr;
}

const Arg& Invocation::arg(std::string_view name) const {
  if (const Arg* a = find(name)) return *a;
  // Only reachable through a table bug (a handler asking for a name its pattern lacks);
  // the command-tree unit test runs every handler's pattern, so this is a programming
  // error, not an input error.
  std::abort();
}

bool Invocation::is(std::string_view name, std::string_view keyword) const {
  const Arg* a = find(name);
  return a && a->kind == AtomKind::Keyword && a->keyword == keyword;
}

namespace {

// ---- pattern compilation ----------------------------------------------------------

std::optional<Atom> compile_atom(std::string_view t) {
  Atom a;
  a.text = std::string(t);
  if (t == "A.B.C.D") a.kind = AtomKind::Ipv4;
  else if (t == "A.B.C.D/M") a.kind = AtomKind::Ipv4Prefix;
  else if (t == "X:X::X:X") a.kind = AtomKind::Ipv6;
  else if (t == "X:X:X:X:X:X") a.kind = AtomKind::Mac;
  else if (t == "ASNUM") a.kind = AtomKind::Asn;
  else if (t == "WORD") a.kind = AtomKind::Word;
  else if (t == "LINE...") a.kind = AtomKind::Line;
  else if (t == "PGNAME") a.kind = AtomKind::PeerGroupName;
  else if (t.size() > 4 && t.front() == '(' && t.back() == ')') {
    auto body = t.substr(1, t.size() - 2);
    auto dash = body.find('-', 1);
    if (dash == std::string_view::npos) return std::nullopt;
    auto lo = body.substr(0, dash), hi = body.substr(dash + 1);
    a.kind = AtomKind::Range;
    if (std::from_chars(lo.data(), lo.data() + lo.size(), a.lo).ec != std::errc{} ||
        std::from_chars(hi.data(), hi.data() + hi.size(), a.hi).ec != std::errc{} || a.lo > a.hi)
      return std::nullopt;
  } else {
    if (t.empty()) return std::nullopt;
    // `*` stands alone as a keyword (FRR's `clear bgp *`).
    if (t != "*")
      for (char c : t)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return std::nullopt;
    a.kind = AtomKind::Keyword;
  }
  return a;
}

std::optional<Command> compile(const CommandSpec& spec, std::string& defect) {
  Command cmd;
  cmd.pattern = std::string(spec.pattern);
  cmd.contexts = spec.contexts;
  cmd.handler = spec.handler;
  cmd.enters = spec.enters;
  cmd.hidden = spec.hidden;
  std::size_t help_index = 0;
  for (const Word& w : tokenize(spec.pattern)) {
    std::string_view tok = w.text;
    Element e;
    if (auto dollar = tok.find('$'); dollar != std::string_view::npos) {
      e.name = std::string(tok.substr(dollar + 1));
      tok = tok.substr(0, dollar);
    }
    std::vector<std::string_view> parts;
    if (tok.size() >= 2 && tok.front() == '<' && tok.back() == '>') {
      auto body = tok.substr(1, tok.size() - 2);
      std::size_t start = 0;
      for (std::size_t i = 0; i <= body.size(); ++i)
        if (i == body.size() || body[i] == '|') {
          parts.push_back(body.substr(start, i - start));
          start = i + 1;
        }
    } else {
      parts.push_back(tok);
    }
    for (auto p : parts) {
      auto atom = compile_atom(p);
      if (!atom) {
        defect = "'" + cmd.pattern + "': bad token '" + std::string(p) + "'";
        return std::nullopt;
      }
      if (help_index < spec.help.size()) atom->help = std::string(spec.help[help_index]);
      ++help_index;
      e.alternatives.push_back(std::move(*atom));
    }
    if (!cmd.elements.empty() && cmd.elements.back().alternatives.front().kind == AtomKind::Line) {
      defect = "'" + cmd.pattern + "': LINE... must be last";
      return std::nullopt;
    }
    if (e.alternatives.size() > 1)
      for (const auto& a : e.alternatives)
        if (a.kind == AtomKind::Line) {
          defect = "'" + cmd.pattern + "': LINE... cannot be an alternative";
          return std::nullopt;
        }
    // An unnamed keyword element is named after itself so handlers can test it.
    if (e.name.empty() && e.alternatives.size() == 1 && e.alternatives[0].kind == AtomKind::Keyword)
      e.name = e.alternatives[0].text;
    cmd.elements.push_back(std::move(e));
  }
  if (cmd.elements.empty()) {
    defect = "empty pattern";
    return std::nullopt;
  }
  for (std::size_t i = 0; i < cmd.elements.size(); ++i)
    for (std::size_t j = i + 1; j < cmd.elements.size(); ++j)
      if (!cmd.elements[i].name.empty() && cmd.elements[i].name == cmd.elements[j].name) {
        defect = "'" + cmd.pattern + "': two elements are named '" + cmd.elements[i].name + "'";
        return std::nullopt;
      }
  if (help_index != spec.help.size()) {
    defect = "'" + cmd.pattern + "': " + std::to_string(help_index) + " atoms but " +
             std::to_string(spec.help.size()) + " help lines";
    return std::nullopt;
  }
  return cmd;
}

// ---- matching ------------------------------------------------------------------------

// Higher is more specific (see the header comment).
enum Score : int { kNone = 0, kLine = 1, kWord = 2, kPartial = 3, kTyped = 4, kExact = 5 };

bool all_of(std::string_view s, std::string_view allowed) {
  return !s.empty() && s.find_first_not_of(allowed) == std::string_view::npos;
}
constexpr std::string_view kDigits = "0123456789";
bool looks_ipv4(std::string_view s) { return all_of(s, "0123456789.") && s.find('.') != std::string_view::npos; }
// Loose on purpose: "2001:db8::g" is still meant as an IPv6 address, and the value check
// then says what is wrong with it.
constexpr std::string_view kIpv6Chars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ:.";
bool looks_ipv6(std::string_view s) { return s.find(':') != std::string_view::npos && all_of(s, kIpv6Chars); }
bool looks_address(std::string_view s) { return looks_ipv4(s) || s.find(':') != std::string_view::npos; }
bool looks_asn(std::string_view s) {
  auto dot = s.find('.');
  if (dot == std::string_view::npos) return all_of(s, kDigits);
  return all_of(s.substr(0, dot), kDigits) && all_of(s.substr(dot + 1), kDigits);
}
// Six hex pairs with colons: the shape, not yet the value (a typed atom beats a word).
bool looks_mac(std::string_view s) {
  return s.size() == 17 && all_of(s, "0123456789abcdefABCDEF:") && std::count(s.begin(), s.end(), ':') == 5;
}
bool looks_number(std::string_view s) {
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  return all_of(s, kDigits);
}

int score_atom(const Atom& a, std::string_view w) {
  switch (a.kind) {
    case AtomKind::Keyword:
      if (w == a.text) return kExact;
      return (!w.empty() && a.text.starts_with(w)) ? kPartial : kNone;
    case AtomKind::Ipv4: return looks_ipv4(w) ? kTyped : kNone;
    case AtomKind::Ipv4Prefix: return all_of(w, "0123456789./") && w.find('/') != std::string_view::npos ? kTyped : kNone;
    case AtomKind::Ipv6: return looks_ipv6(w) ? kTyped : kNone;
    case AtomKind::Mac: return looks_mac(w) ? kTyped : kNone;
    case AtomKind::Asn: return looks_asn(w) ? kTyped : kNone;
    case AtomKind::Range: return looks_number(w) ? kTyped : kNone;
    case AtomKind::Word: return kWord;
    case AtomKind::PeerGroupName: return looks_address(w) ? kNone : kWord;
    case AtomKind::Line: return kLine;
  }
  return kNone;
}

// Could `prefix` still grow into something the atom accepts? (help after a partial word)
bool accepts_prefix(const Atom& a, std::string_view prefix) {
  if (prefix.empty()) return true;
  switch (a.kind) {
    case AtomKind::Keyword: return a.text.starts_with(prefix);
    case AtomKind::Ipv4: return all_of(prefix, "0123456789.");
    case AtomKind::Ipv4Prefix: return all_of(prefix, "0123456789./");
    case AtomKind::Ipv6: return all_of(prefix, "0123456789abcdefABCDEF:.");  // what can still be valid
    case AtomKind::Mac: return all_of(prefix, "0123456789abcdefABCDEF:");
    case AtomKind::Asn: return all_of(prefix, "0123456789.");
    case AtomKind::Range: return looks_number(prefix) || prefix == "-";
    case AtomKind::PeerGroupName: return !looks_address(prefix);
    case AtomKind::Word:
    case AtomKind::Line: return true;
  }
  return false;
}

struct Attempt {
  bool full = false;
  std::size_t depth = 0;        // words matched
  bool words_left = false;      // all elements matched but words remain
  std::vector<int> scores;      // per element
  std::vector<const Atom*> atoms;  // chosen alternative per element
};

// Matches `words` against `cmd`; on an element with tied partial keywords the first wins
// here and the ambiguity is found by the caller across all commands.
Attempt attempt(const Command& cmd, const std::vector<Word>& words) {
  Attempt at;
  std::size_t wi = 0;
  for (const Element& e : cmd.elements) {
    if (wi >= words.size()) {
      at.depth = wi;
      return at;
    }
    const Atom* best = nullptr;
    int best_score = kNone;
    for (const Atom& a : e.alternatives) {
      int s = score_atom(a, words[wi].text);
      if (s > best_score) best_score = s, best = &a;
    }
    if (!best) {
      at.depth = wi;
      return at;
    }
    at.scores.push_back(best_score);
    at.atoms.push_back(best);
    wi = best->kind == AtomKind::Line ? words.size() : wi + 1;
  }
  at.depth = wi;
  at.words_left = wi < words.size();
  at.full = !at.words_left;
  return at;
}

std::string token_name(const Atom& a) { return a.text; }

std::string label_of(const Element& e, const Atom& a) {
  if (e.name.empty()) return a.text;
  std::string s = e.name;
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

// Converts the matched words into typed arguments; the first bad value is reported.
void convert(const Command& cmd, const Attempt& at, const std::vector<Word>& words, Invocation& inv) {
  std::size_t wi = 0;
  for (std::size_t i = 0; i < cmd.elements.size(); ++i) {
    const Element& e = cmd.elements[i];
    const Atom& a = *at.atoms[i];
    const Word& w = words[wi];
    Arg arg;
    arg.name = e.name;
    arg.kind = a.kind;
    arg.column = w.column;
    arg.text = w.text;
    auto bad = [&](std::string message, std::string expected) {
      if (!inv.invalid) inv.invalid = ValueError{w.column, std::move(message), std::move(expected)};
    };
    switch (a.kind) {
      case AtomKind::Keyword: arg.keyword = a.text; break;
      case AtomKind::Ipv4:
      case AtomKind::Ipv6: {
        auto ip = bgp::wire::IpAddress::parse(w.text);
        bool v4 = a.kind == AtomKind::Ipv4;
        if (!ip || ip->is_v4() != v4)
          bad("'" + w.text + "' is not a valid " + (v4 ? "IPv4" : "IPv6") + " address", a.text);
        else
          arg.address = *ip;
        break;
      }
      case AtomKind::Mac: {
        if (auto m = evpn::MacAddress::parse(w.text)) {
          arg.mac = *m;
        } else {
          bad("'" + w.text + "' is not a valid MAC address", a.text);
        }
        break;
      }
      case AtomKind::Ipv4Prefix: {
        const auto slash = w.text.find('/');
        auto ip = bgp::wire::IpAddress::parse(w.text.substr(0, slash));
        unsigned len = 33;
        const std::string_view l = std::string_view(w.text).substr(slash + 1);
        if (!l.empty() && l.size() <= 2 && all_of(l, kDigits)) std::from_chars(l.data(), l.data() + l.size(), len);
        if (!ip || !ip->is_v4() || len > 32) {
          bad("'" + w.text + "' is not a valid IPv4 prefix", a.text);
        } else {
          // As FRR does: the host bits of `network 10.0.0.1/24` are dropped.
          const std::uint32_t mask = len == 0 ? 0 : ~std::uint32_t{0} << (32 - len);
          arg.address = bgp::wire::IpAddress::v4(ip->v4_host_order() & mask);
          arg.prefix_length = static_cast<std::uint8_t>(len);
        }
        break;
      }
      case AtomKind::Asn: {
        // RFC 5396 asplain / asdot; like FRR's asn_str2asn: no leading zeros, AS 0 is
        // reserved (RFC 7607), asdot halves are 16 bits each.
        std::string_view t = w.text;
        auto part = [](std::string_view p, std::uint64_t max) -> std::optional<std::uint64_t> {
          if (p.empty() || (p.size() > 1 && p.front() == '0') || p.size() > 10) return std::nullopt;
          std::uint64_t v = 0;
          std::from_chars(p.data(), p.data() + p.size(), v);
          return v <= max ? std::optional(v) : std::nullopt;
        };
        std::optional<std::uint64_t> value;
        if (auto dot = t.find('.'); dot == std::string_view::npos) {
          value = part(t, 0xFFFFFFFFu);
        } else {
          auto hi = part(t.substr(0, dot), 0xFFFF), lo = part(t.substr(dot + 1), 0xFFFF);
          if (hi && lo) value = (*hi << 16) | *lo;
        }
        if (!value || *value == 0)
          bad("'" + w.text + "' is not a valid AS number",
              "1-4294967295 or asdot 0.1-65535.65535");
        else
          arg.asn = bgp::wire::Asn{static_cast<std::uint32_t>(*value)};
        break;
      }
      case AtomKind::Range: {
        std::string_view t = w.text;
        bool negative = !t.empty() && t.front() == '-';
        std::uint64_t v = 0;
        auto digits = t.substr(negative ? 1 : 0);
        auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
        bool overflow = r.ec == std::errc::result_out_of_range;
        if (negative || overflow || static_cast<std::int64_t>(v) < a.lo || v > static_cast<std::uint64_t>(a.hi))
          bad(label_of(e, a) + " " + w.text + " is out of range",
              std::to_string(a.lo) + "-" + std::to_string(a.hi));
        else
          arg.number = v;
        break;
      }
      case AtomKind::Line: {
        std::string joined;
        for (std::size_t j = wi; j < words.size(); ++j) joined += (j > wi ? " " : "") + words[j].text;
        arg.text = joined;
        break;
      }
      case AtomKind::Word:
      case AtomKind::PeerGroupName: break;
    }
    inv.args.push_back(std::move(arg));
    wi = a.kind == AtomKind::Line ? words.size() : wi + 1;
  }
}

void add_unique(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

// Does `cmd` accept words[0..k) as a prefix (abbreviations allowed, values unchecked)?
// Returns the element index for word k, or nullopt; `in_line` is set when a LINE...
// element already consumes word k.
std::optional<std::size_t> prefix_position(const Command& cmd, const std::vector<Word>& words, std::size_t k,
                                           bool& in_line) {
  in_line = false;
  std::size_t ei = 0;
  for (std::size_t wi = 0; wi < k; ++wi) {
    if (ei >= cmd.elements.size()) return std::nullopt;
    const Element& e = cmd.elements[ei];
    int best = kNone;
    bool line = false;
    for (const Atom& a : e.alternatives) {
      int s = score_atom(a, words[wi].text);
      if (s > best) best = s, line = a.kind == AtomKind::Line;
    }
    if (best == kNone) return std::nullopt;
    if (line) {
      in_line = true;
      return ei;
    }
    ++ei;
  }
  return ei;
}

}  // namespace

CommandTree::CommandTree(const std::vector<CommandSpec>& specs) {
  for (const auto& spec : specs) {
    std::string defect;
    if (auto cmd = compile(spec, defect))
      commands_.push_back(std::move(*cmd));
    else
      defects_.push_back(std::move(defect));
  }
}

MatchResult CommandTree::match(Context context, const std::vector<Word>& words) const {
  const std::uint32_t bit = in(context);
  const Command* best = nullptr;
  Attempt best_at;
  std::vector<const Command*> tied;
  std::size_t max_depth = 0;
  std::vector<std::pair<const Command*, Attempt>> attempts;

  for (const Command& cmd : commands_) {
    if (!(cmd.contexts & bit)) continue;
    Attempt at = attempt(cmd, words);
    if (at.full) {
      if (!best || at.scores > best_at.scores) {
        best = &cmd, best_at = at, tied.clear();
      } else if (at.scores == best_at.scores) {
        tied.push_back(&cmd);
      }
    }
    max_depth = std::max(max_depth, at.depth);
    attempts.emplace_back(&cmd, std::move(at));
  }

  if (best) {
    // An abbreviation is ambiguous when it also abbreviates a different keyword of
    // another (visible) command that is still possible at that word (FRR: "% Ambiguous
    // command"), or when two commands match equally well.
    std::size_t ei = 0;
    for (std::size_t wi = 0; wi < words.size() && ei < best->elements.size(); ++wi, ++ei) {
      if (best_at.scores[ei] == kLine) break;
      if (best_at.scores[ei] != kPartial) continue;
      std::vector<std::string> keywords;
      for (const Command& other : commands_) {
        if (!(other.contexts & bit) || other.hidden) continue;
        bool in_line = false;
        auto pos = prefix_position(other, words, wi, in_line);
        if (!pos || in_line || *pos >= other.elements.size()) continue;
        for (const Atom& a : other.elements[*pos].alternatives)
          if (a.kind == AtomKind::Keyword && a.text.starts_with(words[wi].text)) add_unique(keywords, a.text);
      }
      if (keywords.size() > 1)
        return MatchFailure{MatchFailure::Kind::Ambiguous, wi, words[wi].column, keywords};
    }
    if (!tied.empty()) {
      std::vector<std::string> names{best->pattern};
      for (const Command* t : tied) names.push_back(t->pattern);
      return MatchFailure{MatchFailure::Kind::Ambiguous, 0, words.empty() ? 0u : words[0].column, names};
    }
    Invocation inv;
    inv.command = best;
    inv.context = context;
    convert(*best, best_at, words, inv);
    return inv;
  }

  MatchFailure f;
  f.word_index = max_depth;
  if (max_depth >= words.size()) {
    f.kind = MatchFailure::Kind::Incomplete;
    f.column = words.empty() ? 0 : words.back().column + static_cast<unsigned>(words.back().text.size());
  } else {
    f.kind = max_depth == 0 ? MatchFailure::Kind::Unknown : MatchFailure::Kind::Unexpected;
    f.column = words[max_depth].column;
  }
  for (const auto& [cmd, at] : attempts) {
    if (cmd->hidden || at.depth != max_depth) continue;
    if (at.words_left) {
      add_unique(f.expected, "<cr>");
      continue;
    }
    // The element for word `max_depth` is the number of atoms chosen so far.
    std::size_t ei = at.atoms.size();
    if (ei < cmd->elements.size())
      for (const Atom& a : cmd->elements[ei].alternatives) add_unique(f.expected, token_name(a));
  }
  return f;
}

std::vector<std::string> CommandTree::completions(Context context, std::string_view partial_line) const {
  std::vector<Word> words = tokenize(partial_line);
  std::string partial;
  bool ends_blank = partial_line.empty() || partial_line.back() == ' ' || partial_line.back() == '\t';
  if (!ends_blank && !words.empty()) {
    partial = words.back().text;
    words.pop_back();
  }
  std::vector<std::string> out;
  for (const Command& cmd : commands_) {
    if (!(cmd.contexts & in(context)) || cmd.hidden) continue;
    bool in_line = false;
    auto pos = prefix_position(cmd, words, words.size(), in_line);
    if (!pos || in_line || *pos >= cmd.elements.size()) continue;
    for (const Atom& a : cmd.elements[*pos].alternatives)
      if (a.kind == AtomKind::Keyword && a.text.starts_with(partial)) add_unique(out, a.text);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<HelpItem> CommandTree::help(Context context, std::string_view partial_line) const {
  std::vector<Word> words = tokenize(partial_line);
  std::string partial;
  bool ends_blank = partial_line.empty() || partial_line.back() == ' ' || partial_line.back() == '\t';
  if (!ends_blank && !words.empty()) {
    partial = words.back().text;
    words.pop_back();
  }
  std::vector<HelpItem> out;
  bool complete = false;
  auto add = [&](const Atom& a) {
    for (const auto& h : out)
      if (h.token == a.text) return;
    out.push_back({a.text, a.help});
  };
  for (const Command& cmd : commands_) {
    if (!(cmd.contexts & in(context)) || cmd.hidden) continue;
    bool in_line = false;
    auto pos = prefix_position(cmd, words, words.size(), in_line);
    if (!pos) continue;
    if (in_line) {  // inside free text: more text or the end
      add(cmd.elements[*pos].alternatives.front());
      if (partial.empty()) complete = true;
      continue;
    }
    if (*pos >= cmd.elements.size()) {
      if (partial.empty()) complete = true;
      continue;
    }
    for (const Atom& a : cmd.elements[*pos].alternatives)
      if (accepts_prefix(a, partial)) add(a);
  }
  if (complete) out.push_back({"<cr>", "Enter to run the command"});
  return out;
}

std::vector<std::string> completions(Context context, std::string_view partial_line) {
  return command_tree().completions(context, partial_line);
}

std::vector<HelpItem> help(Context context, std::string_view partial_line) {
  return command_tree().help(context, partial_line);
}

}  // namespace evpnd::cli
