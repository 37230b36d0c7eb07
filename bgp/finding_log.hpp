#pragma once
// What a peer's UPDATEs made us note, counted per rule and logged at most once a minute
// per rule: RFC 7606 findings (a peer that sends AS4_PATH on a 4-octet session would
// otherwise write a warning per UPDATE) and the interop oddities inbound.cpp notes. The
// counts are shown in `show bgp neighbors`. Pure: the caller passes the time.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bgp/wire/update.hpp"

namespace evpnd::bgp {

// One thing noted about an UPDATE: an RFC 7606 finding (action above None) or an interop
// remark (action None). `rule` has static storage ("RFC 7606 §7.2", "INTEROP §4").
struct UpdateNote {
  std::string_view rule;
  std::uint8_t attribute = 0;  // type code, 0 when not about one attribute
  wire::AttrAction action = wire::AttrAction::None;
  std::string text;
};

class FindingLog {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kInterval{60};

  struct Entry {
    std::string_view rule;
    std::uint8_t attribute = 0;
    wire::AttrAction action = wire::AttrAction::None;
    std::uint64_t count = 0;  // since the peer was configured
    std::string last_text;
    std::optional<Clock::time_point> last_logged;
    std::uint64_t since_logged = 0;  // counted after the last line
  };

  // Counts the note; returns the line to log now, or nullopt when this rule was logged
  // less than kInterval ago (the count goes into the next line).
  std::optional<std::string> add(const UpdateNote& note, Clock::time_point now);

  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }
  [[nodiscard]] std::uint64_t total(bool rfc7606_only) const;

 private:
  std::vector<Entry> entries_;  // few rules ever fire: a vector beats a map here
};

UpdateNote to_note(const wire::AttrFinding& f);

}  // namespace evpnd::bgp
