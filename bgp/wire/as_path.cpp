// AS_PATH: the value type's queries, the segment codec for 2- and 4-octet sessions, and
// the RFC 6793 machinery that lets a 4-octet path cross a 2-octet session (AS_TRANS in
// AS_PATH plus the real numbers in AS4_PATH, merged again on receipt).
//
// Segments (RFC 4271 §4.3): <type octet, count octet, count AS numbers>, type 1 AS_SET,
// 2 AS_SEQUENCE, 3 AS_CONFED_SEQUENCE and 4 AS_CONFED_SET (RFC 5065 §3).
#include <algorithm>
#include <string>

#include "bgp/wire/attributes_internal.hpp"
#include "bgp/wire/reader.hpp"
#include "bgp/wire/update.hpp"
#include "bgp/wire/writer.hpp"

namespace evpnd::bgp::wire {

namespace {

bool is_confed(AsPathSegmentType t) {
  return t == AsPathSegmentType::ConfedSequence || t == AsPathSegmentType::ConfedSet;
}

// RFC 4271 §9.1.2.2 a) and RFC 5065 §5.3: a set counts as one AS whatever its size,
// confederation segments do not count. RFC 6793 §4.2.3 counts "AS numbers" the same way
// (as FRR's and BIRD's reconciliation do), so one function serves both.
std::size_t segment_count(const AsPathSegment& s) {
  switch (s.type) {
    case AsPathSegmentType::Sequence: return s.asns.size();
    case AsPathSegmentType::Set: return s.asns.empty() ? 0 : 1;
    case AsPathSegmentType::ConfedSequence:
    case AsPathSegmentType::ConfedSet: return 0;
  }
  return 0;
}

}  // namespace

std::size_t AsPath::length() const {
  std::size_t n = 0;
  for (const auto& s : segments) n += segment_count(s);
  return n;
}

std::optional<std::uint32_t> AsPath::first_as() const {
  if (segments.empty() || segments.front().type != AsPathSegmentType::Sequence || segments.front().asns.empty())
    return std::nullopt;
  return segments.front().asns.front();
}

bool AsPath::contains(std::uint32_t asn) const {
  return std::any_of(segments.begin(), segments.end(), [asn](const AsPathSegment& s) {
    return std::find(s.asns.begin(), s.asns.end(), asn) != s.asns.end();
  });
}

std::size_t AsPath::count(std::uint32_t asn) const {
  std::size_t n = 0;
  for (const auto& s : segments) n += static_cast<std::size_t>(std::count(s.asns.begin(), s.asns.end(), asn));
  return n;
}

std::string AsPath::to_string() const {
  // FRR's rendering (bgp_aspath.c): sequences bare and space-separated, "{a,b}" for a
  // set, "(a b)" for a confederation sequence, "[a,b]" for a confederation set.
  std::string out;
  for (const auto& s : segments) {
    if (!out.empty()) out += ' ';
    char open = 0, close = 0, sep = ' ';
    switch (s.type) {
      case AsPathSegmentType::Sequence: break;
      case AsPathSegmentType::Set: open = '{', close = '}', sep = ','; break;
      case AsPathSegmentType::ConfedSequence: open = '(', close = ')'; break;
      case AsPathSegmentType::ConfedSet: open = '[', close = ']', sep = ','; break;
    }
    if (open) out += open;
    for (std::size_t i = 0; i < s.asns.size(); ++i) {
      if (i) out += sep;
      out += std::to_string(s.asns[i]);
    }
    if (close) out += close;
  }
  return out;
}

namespace detail {

std::optional<AsPath> decode_as_path(ByteSpan value, std::size_t asn_size, std::string& why) {
  AsPath path;
  Reader r(value);
  while (!r.empty()) {
    // RFC 7606 §7.2: "there is only a single octet remaining (that is, there is not
    // enough unconsumed data to provide even an empty segment header)" -> malformed.
    if (r.remaining() < 2) {
      why = "AS_PATH ends with a lone octet after the last segment";
      return std::nullopt;
    }
    const std::uint8_t type = *r.u8();
    const std::uint8_t count = *r.u8();
    if (type < 1 || type > 4) {
      why = "AS_PATH segment type " + std::to_string(type) + " is not 1..4";
      return std::nullopt;
    }
    // RFC 7606 §7.2: a segment whose length field is zero is malformed.
    if (count == 0) {
      why = "AS_PATH segment of length zero";
      return std::nullopt;
    }
    // RFC 7606 §7.2: a segment that overruns the attribute is malformed. Checked before
    // reserving, so the count octet cannot make us allocate beyond the input.
    if (r.remaining() < std::size_t{count} * asn_size) {
      why = "AS_PATH segment of " + std::to_string(count) + " AS numbers overruns the attribute";
      return std::nullopt;
    }
    AsPathSegment seg;
    seg.type = static_cast<AsPathSegmentType>(type);
    seg.asns.reserve(count);
    for (unsigned i = 0; i < count; ++i) seg.asns.push_back(asn_size == 4 ? *r.u32() : std::uint32_t{*r.u16()});
    path.segments.push_back(std::move(seg));
  }
  return path;
}

void encode_as_path(const AsPath& path, std::size_t asn_size, ByteVec& out) {
  Writer w(out);
  for (const auto& s : path.segments) {
    for (std::size_t i = 0; i < s.asns.size(); i += 255) {
      const std::size_t n = std::min<std::size_t>(255, s.asns.size() - i);
      w.u8(static_cast<std::uint8_t>(s.type));
      w.u8(static_cast<std::uint8_t>(n));
      for (std::size_t j = i; j < i + n; ++j) {
        const std::uint32_t asn = s.asns[j];
        if (asn_size == 4)
          w.u32(asn);
        else
          w.u16(asn > 0xFFFF ? Asn::kAsTrans : static_cast<std::uint16_t>(asn));
      }
    }
  }
}

bool needs_as4_path(const AsPath& path) {
  for (const auto& s : path.segments)
    if (!is_confed(s.type))
      for (auto asn : s.asns)
      if (asn > 0xFFFF) return true;
  return false;
}

bool has_confed_segment(const AsPath& path) {
  return std::any_of(path.segments.begin(), path.segments.end(),
                     [](const AsPathSegment& s) { return is_confed(s.type); });
}

AsPath without_confed_segments(const AsPath& path) {
  AsPath out;
  for (const auto& s : path.segments)
    if (!is_confed(s.type)) out.segments.push_back(s);
  return out;
}

AsPath merge_as4_path(const AsPath& as_path, const AsPath& as4_path) {
  // RFC 6793 §4.2.3: "the AS path information SHALL be constructed by taking as many AS
  // numbers and path segments as necessary from the leading part of the AS_PATH
  // attribute, and then prepending them to the AS4_PATH attribute so that the AS path
  // information has a number of AS numbers identical to that of the AS_PATH attribute.
  // Note that a valid AS_CONFED_SEQUENCE or AS_CONFED_SET path segment SHALL be
  // prepended if it is either the leading path segment or is adjacent to a path segment
  // that is prepended."
  std::size_t need = as_path.length() - as4_path.length();
  AsPath out;
  bool split_sequence = false;  // we stopped inside an AS_SEQUENCE
  for (const auto& s : as_path.segments) {
    if (is_confed(s.type)) {
      // We are still in the leading run: either nothing counted precedes this segment
      // (it leads the path) or the segment before it was prepended (it is adjacent).
      out.segments.push_back(s);
      continue;
    }
    if (need == 0) break;
    if (s.asns.empty()) continue;
    if (s.type == AsPathSegmentType::Set) {
      out.segments.push_back(s);  // a set counts one, taken whole
      --need;
      continue;
    }
    const std::size_t take = std::min(need, s.asns.size());
    AsPathSegment head{s.type, std::vector<std::uint32_t>(s.asns.begin(), s.asns.begin() + static_cast<std::ptrdiff_t>(take))};
    out.segments.push_back(std::move(head));
    need -= take;
    if (take < s.asns.size()) {
      split_sequence = true;
      break;
    }
  }
  auto it = as4_path.segments.begin();
  if (split_sequence && it != as4_path.segments.end() && it->type == AsPathSegmentType::Sequence) {
    // The AS_PATH sequence we cut was one segment: join its head with the AS4 tail.
    auto& tail = out.segments.back().asns;
    tail.insert(tail.end(), it->asns.begin(), it->asns.end());
    ++it;
  }
  out.segments.insert(out.segments.end(), it, as4_path.segments.end());
  return out;
}

}  // namespace detail

}  // namespace evpnd::bgp::wire
