#include "cli/config_parser.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli/command_tree.hpp"
#include "cli/config_session.hpp"

namespace evpnd::cli {

std::string to_string(const ConfigError& e) {
  std::string s = e.file + ":";
  if (e.line != 0) s += std::to_string(e.line) + ":";
  s += " ERROR: " + e.message;
  if (!e.expected.empty()) s += " (expected " + e.expected + ")";
  return s;
}

std::string to_string(const ConfigWarning& w) {
  return w.file + ":" + std::to_string(w.line) + ": WARNING: " + w.message;
}

namespace {

std::string_view trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

std::string expected_text(const std::vector<std::string>& tokens) {
  auto name = [](const std::string& t) { return t == "<cr>" ? std::string("end of line") : t; };
  if (tokens.empty()) return {};
  if (tokens.size() == 1) return name(tokens[0]);
  std::string s = "one of: ";
  for (std::size_t i = 0; i < tokens.size(); ++i) s += (i ? ", " : "") + name(tokens[i]);
  return s;
}

void report(ConfigSession& s, const MatchFailure& f, std::string_view line, const std::vector<Word>& words) {
  std::string quoted = "'" + std::string(line) + "'";
  std::string message;
  switch (f.kind) {
    case MatchFailure::Kind::Unknown: message = "unknown command " + quoted; break;
    case MatchFailure::Kind::Unexpected:
      message = "unexpected '" + words[f.word_index].text + "' in " + quoted;
      break;
    case MatchFailure::Kind::Incomplete: message = "incomplete command " + quoted; break;
    case MatchFailure::Kind::Ambiguous:
      message = "ambiguous command " + quoted + ": '" + words[f.word_index].text + "' is more than one keyword";
      break;
  }
  s.error(f.column, std::move(message), expected_text(f.expected));
}

void run(ConfigSession& s, const Invocation& inv) {
  s.context = inv.context;  // FRR: a command found in an enclosing node moves there
  if (inv.invalid)
    s.error(inv.invalid->column, inv.invalid->message, inv.invalid->expected);
  else if (inv.command->handler)
    inv.command->handler(s, inv);
  // A stanza is entered even when its line had an error, so that the lines below it are
  // checked in the context their author meant.
  if (inv.command->enters) s.context = *inv.command->enters;
}

void parse_line(ConfigSession& s, const CommandTree& tree, std::string_view line, const std::vector<Word>& words) {
  if (s.context == Context::Unsupported) {
    // Inside a refused stanza: only a top-level command ends it; the rest is skipped.
    auto r = tree.match(Context::Config, words);
    if (auto* inv = std::get_if<Invocation>(&r)) run(s, *inv);
    return;
  }
  // Try the current context, then its parents (FRR's config-file walk-up). Stop at an
  // ambiguous or incomplete line in the current context, as FRR does; otherwise report
  // the failure that got furthest into the line.
  std::optional<MatchFailure> report_failure;
  for (std::optional<Context> c = s.context; c; c = parent(*c)) {
    auto r = tree.match(*c, words);
    if (auto* inv = std::get_if<Invocation>(&r)) return run(s, *inv);
    auto& f = std::get<MatchFailure>(r);
    bool first = *c == s.context;
    if (first && (f.kind == MatchFailure::Kind::Ambiguous || f.kind == MatchFailure::Kind::Incomplete))
      return report(s, f, line, words);
    if (!report_failure || f.word_index > report_failure->word_index) report_failure = f;
  }
  report(s, *report_failure, line, words);
}

}  // namespace

ParseResult parse_config(std::string_view text, std::string_view file_name) {
  const CommandTree& tree = command_tree();
  ConfigSession s(file_name);
  unsigned number = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++number;
    std::string_view line = trim(raw);
    // FRR's cmd_make_strvec: a line whose first non-blank is '!' or '#' is a comment.
    if (line.empty() || line.front() == '!' || line.front() == '#') continue;
    s.begin_line(number, line);
    parse_line(s, tree, line, tokenize(raw));  // columns count in the raw line
  }
  s.finish();
  if (!s.errors().empty()) return bgp::wire::fail(std::move(s.errors()));
  return ParsedConfig{std::move(s.config), std::move(s.ignored())};
}

ParseResult parse_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    return bgp::wire::fail(std::vector<ConfigError>{
        {path, 0, 0, "cannot read the config file: " + std::string(std::strerror(err)), ""}});
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_config(buf.str(), path);
}

}  // namespace evpnd::cli
