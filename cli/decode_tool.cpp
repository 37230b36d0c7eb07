#include "cli/decode_tool.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <optional>

#include <nlohmann/json.hpp>

#include "bgp/wire/message.hpp"
#include "cli/message_framer.hpp"
#include "cli/message_render.hpp"
#include "cli/pcap_reader.hpp"

namespace evpnd::cli {

namespace wire = bgp::wire;
using nlohmann::ordered_json;

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One message found in an input, with where it was found.
struct Record {
  std::uint64_t offset = 0;  // in the hex input, or in the TCP stream
  std::optional<std::uint64_t> frame;
  std::optional<CaptureTime> time;
  std::optional<Endpoint> src, dst;
  wire::ByteVec bytes;
  std::optional<wire::DecodeError> header_error;
};

struct Problem {
  std::optional<std::uint64_t> frame;
  std::string what;
};

// A record or a problem, in the order they are shown.
struct Entry {
  const Record* record = nullptr;
  const Problem* problem = nullptr;
};

struct Found {
  std::string format;  // "hex", "pcap (...)", "pcapng"
  std::uint64_t frames = 0;
  std::vector<Record> records;
  std::vector<Problem> problems;
};

Found from_hex(const wire::ByteVec& content, const wire::CodecContext& ctx) {
  Found f;
  f.format = "hex";
  const std::string_view text(reinterpret_cast<const char*>(content.data()), content.size());
  auto bytes = parse_hex_dump(text);
  if (!bytes) {
    f.problems.push_back(Problem{std::nullopt, "not a hex dump: " + bytes.error()});
    return f;
  }
  MessageFramer framer(ctx);
  std::vector<FramedItem> items;
  framer.push(*bytes, items);
  framer.finish(items);
  for (auto& item : items) {
    switch (item.kind) {
      case FramedItem::Kind::Message:
      case FramedItem::Kind::HeaderError:
        f.records.push_back(Record{item.offset, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                   std::move(item.bytes), std::move(item.error)});
        break;
      case FramedItem::Kind::Skipped:
        f.problems.push_back(Problem{std::nullopt, "skipped " + std::to_string(item.length) + " bytes at offset " +
                                                       std::to_string(item.offset) +
                                                       " to reach the next valid message header"});
        break;
      case FramedItem::Kind::Incomplete:
        f.problems.push_back(Problem{std::nullopt, "the input ends " + std::to_string(item.length) +
                                                       " bytes into a message at offset " +
                                                       std::to_string(item.offset)});
        break;
    }
  }
  return f;
}

Found from_capture(const wire::ByteVec& content, const DecodeOptions& opts) {
  Capture c = read_capture(content, opts.ctx, opts.ports);
  Found f;
  f.format = c.format;
  f.frames = c.frames;
  for (auto& m : c.messages)
    f.records.push_back(Record{m.stream_offset, m.frame, m.time, m.src, m.dst, std::move(m.bytes),
                               std::move(m.header_error)});
  for (auto& p : c.problems)
    f.problems.push_back(Problem{p.frame ? std::optional<std::uint64_t>(p.frame) : std::nullopt, std::move(p.what)});
  return f;
}

// Messages and problems by frame, a problem after the messages of its frame; problems
// of the file as a whole (no frame) first. Hex inputs have no frames: their messages,
// then their problems.
std::vector<Entry> ordered(const Found& f) {
  std::vector<Entry> v;
  for (const auto& r : f.records) v.push_back(Entry{&r, nullptr});
  for (const auto& p : f.problems) v.push_back(Entry{nullptr, &p});
  auto frame = [](const Entry& e) -> std::uint64_t {
    return e.record ? e.record->frame.value_or(0) : e.problem->frame.value_or(0);
  };
  std::stable_sort(v.begin(), v.end(), [&](const Entry& a, const Entry& b) { return frame(a) < frame(b); });
  return v;
}

std::string utc_text(const CaptureTime& t) {
  std::tm tm{};
  const std::time_t secs = static_cast<std::time_t>(t.seconds);
  if (!gmtime_r(&secs, &tm)) return std::to_string(t.seconds) + "." + std::to_string(t.nanoseconds);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09uZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, t.nanoseconds);
  return buf;
}

// Seconds since `base`, to the microsecond (as the capture's messages.txt shows them).
std::int64_t micros_since(const CaptureTime& t, const CaptureTime& base) {
  return (t.seconds - base.seconds) * 1000000 +
         (static_cast<std::int64_t>(t.nanoseconds) - static_cast<std::int64_t>(base.nanoseconds)) / 1000;
}

std::string relative_text(std::int64_t us) {
  char buf[48];
  const char* sign = us < 0 ? "-" : "";
  const auto a = static_cast<unsigned long long>(us < 0 ? -us : us);
  std::snprintf(buf, sizeof buf, "%s%llu.%06llu", sign, a / 1000000, a % 1000000);
  return buf;
}

class Printer {
 public:
  Printer(const DecodeOptions& opts, std::ostream& out) : opts_(opts), out_(out) {}

  void input(const DecodeInput& in, const Found& f) {
    if (opts_.output == DecodeOutput::Text) {
      out_ << "==> " << in.name << ": " << f.format;
      if (f.format != "hex") out_ << ", " << f.frames << " frames";
      out_ << ", " << f.records.size() << (f.records.size() == 1 ? " BGP message\n" : " BGP messages\n");
    }
    std::optional<CaptureTime> base;
    for (const auto& r : f.records)
      if (r.time) {
        base = r.time;
        break;
      }
    for (const auto& e : ordered(f)) {
      if (e.record)
        record(in.name, *e.record, base);
      else
        problem(in.name, *e.problem);
    }
  }

  void finish() {
    if (opts_.output == DecodeOutput::JsonArray) out_ << dump(array_, 2) << "\n";
    if (opts_.output == DecodeOutput::Text)
        out_ << "\n-- " << summary_.messages << " messages, " << summary_.errors << " with errors, "
           << summary_.problems << " input problems\n";
  }

  [[nodiscard]] const DecodeSummary& summary() const { return summary_; }

 private:
  static std::string dump(const ordered_json& j, int indent = -1) {
    // Peer strings (FQDN, shutdown text) may not be UTF-8: replace rather than throw.
    return j.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
  }

  void emit(ordered_json j) {
    if (opts_.output == DecodeOutput::JsonArray)
      array_.push_back(std::move(j));
    else
      out_ << dump(j) << "\n";
  }

  void record(const std::string& source, const Record& r, const std::optional<CaptureTime>& base) {
    ++summary_.messages;
    const std::size_t index = summary_.messages;
    std::optional<wire::DecodeError> error = r.header_error;
    std::optional<wire::DecodedMessage> decoded;
    if (!error) {
      auto d = wire::decode_message(r.bytes, opts_.ctx);
      if (d)
        decoded = std::move(*d);
      else
        error = std::move(d.error());
    }
    // EVPN NLRI are decoded by the renderer; a malformed one fails the message too.
    const bool nlri_error = decoded && evpn_nlri_error(*decoded, opts_.ctx, r.bytes).has_value();
    if (error || nlri_error) ++summary_.errors;
    // The type octet, when the header got far enough to have one and was valid.
    const std::string type =
        r.bytes.size() >= wire::kHeaderSize && !r.header_error ? message_type_name(r.bytes[18]) : "invalid-header";

    if (opts_.output != DecodeOutput::Text) {
      ordered_json j;
      j["index"] = index;
      j["source"] = source;
      if (r.frame) j["frame"] = *r.frame;
      if (r.time) j["time"] = utc_text(*r.time);
      if (r.time && base) j["relativeTime"] = static_cast<double>(micros_since(*r.time, *base)) / 1e6;
      if (r.src) j["src"] = r.src->to_string();
      if (r.dst) j["dst"] = r.dst->to_string();
      j["offset"] = r.offset;
      j["length"] = r.bytes.size();
      if (decoded) {
        j.update(message_json(*decoded, opts_.ctx, r.bytes));
      } else {
        j["type"] = type;
        j["error"] = error_json(*error);
      }
      if (error || nlri_error) j["hex"] = hex_compact(r.bytes);
      emit(std::move(j));
      return;
    }

    out_ << "\n#" << index;
    if (r.frame) out_ << "  frame " << *r.frame;
    if (r.time && base) out_ << "  t=" << relative_text(micros_since(*r.time, *base));
    if (r.src && r.dst) out_ << "  " << r.src->to_string() << " -> " << r.dst->to_string();
    if (!r.frame) out_ << "  offset " << r.offset;
    out_ << "  " << r.bytes.size() << " bytes\n";
    if (decoded) {
      const std::string text = message_text(*decoded, opts_.ctx, r.bytes);
      std::size_t start = 0;
      while (start < text.size()) {
        const auto nl = text.find('\n', start);
        const auto end = nl == std::string::npos ? text.size() : nl;
        out_ << "  " << std::string_view(text).substr(start, end - start) << "\n";
        start = end + 1;
      }
    } else {
      out_ << "  " << (r.header_error ? std::string("message header not valid") : type + " (not decoded)") << "\n";
      out_ << "    ERROR: " << error_text(*error) << "\n";
    }
    if (error || nlri_error) out_ << "    bytes: " << hex_spaced(r.bytes) << "\n";
  }

  void problem(const std::string& source, const Problem& p) {
    ++summary_.problems;
    if (opts_.output != DecodeOutput::Text) {
      ordered_json j;
      j["source"] = source;
      if (p.frame) j["frame"] = *p.frame;
      j["problem"] = p.what;
      emit(std::move(j));
      return;
    }
    out_ << "\n!! " << source;
    if (p.frame) out_ << " frame " << *p.frame;
    out_ << ": " << p.what << "\n";
  }

  const DecodeOptions& opts_;
  std::ostream& out_;
  DecodeSummary summary_;
  ordered_json array_ = ordered_json::array();
};

}  // namespace

wire::Result<wire::ByteVec, std::string> parse_hex_dump(std::string_view text) {
  wire::ByteVec out;
  std::size_t line = 1;
  std::size_t i = 0;
  auto separator = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ':'; };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (separator(c)) {
      ++i;
      continue;
    }
    // A token: optional 0x, then an even number of hex digits.
    std::size_t j = i;
    if (text.size() - j >= 2 && text[j] == '0' && (text[j + 1] == 'x' || text[j + 1] == 'X')) j += 2;
    const std::size_t digits_start = j;
    while (j < text.size() && !separator(text[j]) && text[j] != '#') {
      if (hex_digit(text[j]) < 0) {
        const auto bad = static_cast<unsigned char>(text[j]);
        char what[16];
        if (bad >= 0x20 && bad < 0x7F)
          std::snprintf(what, sizeof what, "'%c'", bad);
        else
          std::snprintf(what, sizeof what, "byte 0x%02x", unsigned{bad});
        return wire::fail("line " + std::to_string(line) + ": " + what + " is not a hex digit");
      }
      ++j;
    }
    const std::size_t n = j - digits_start;
    if (n == 0 || n % 2 != 0)
      return wire::fail("line " + std::to_string(line) + ": \"" +
                        std::string(text.substr(i, std::min<std::size_t>(j - i, 40))) +
                        "\" is not a whole number of octets");
    for (std::size_t k = digits_start; k < j; k += 2)
      out.push_back(static_cast<std::uint8_t>(hex_digit(text[k]) << 4 | hex_digit(text[k + 1])));
    i = j;
  }
  return out;
}

DecodeSummary run_decode(const std::vector<DecodeInput>& inputs, const DecodeOptions& opts, std::ostream& out) {
  Printer printer(opts, out);
  for (const auto& in : inputs) {
    const bool capture = in.kind == DecodeInputKind::Capture ||
                         (in.kind == DecodeInputKind::Auto && is_capture(in.content));
    const Found f = capture ? from_capture(in.content, opts) : from_hex(in.content, opts.ctx);
    printer.input(in, f);
  }
  printer.finish();
  return printer.summary();
}

}  // namespace evpnd::cli
