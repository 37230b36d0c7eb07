#include "bgp/finding_log.hpp"

namespace evpnd::bgp {

std::optional<std::string> FindingLog::add(const UpdateNote& note, Clock::time_point now) {
  Entry* e = nullptr;
  for (auto& x : entries_)
    if (x.rule == note.rule && x.attribute == note.attribute && x.action == note.action) e = &x;
  if (!e) e = &entries_.emplace_back(Entry{note.rule, note.attribute, note.action, 0, {}, std::nullopt, 0});
  ++e->count;
  ++e->since_logged;
  e->last_text = note.text;
  if (e->last_logged && now - *e->last_logged < kInterval) return std::nullopt;
  std::string line = std::string(note.rule);
  if (note.action != wire::AttrAction::None) line += " " + std::string(wire::to_string(note.action));
  line += ": " + note.text;
  if (e->since_logged > 1)
    line += " (" + std::to_string(e->since_logged) + " times since the last report)";
  e->last_logged = now;
  e->since_logged = 0;
  return line;
}

std::uint64_t FindingLog::total(bool rfc7606_only) const {
  std::uint64_t n = 0;
  for (const auto& e : entries_)
    if (!rfc7606_only || e.action != wire::AttrAction::None) n += e.count;
  return n;
}

UpdateNote to_note(const wire::AttrFinding& f) { return UpdateNote{f.rule, f.type, f.action, f.reason}; }

}  // namespace evpnd::bgp
