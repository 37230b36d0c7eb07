#pragma once
// The body of evpnd-decode (daemon/decode/main.cpp only parses flags and reads files):
// turns hex dumps and packet captures into BGP messages, decodes each with the codec and
// prints it with message_render. Kept in the library so that tests run exactly what the
// tool runs (tests/unit/cli/decode_golden_test.cpp).
//
// Hex input: '#' starts a comment to the end of the line; the rest is hex octets,
// separated by whitespace, ',' or ':' or not at all (a plain hex string), each token
// optionally prefixed by 0x. It may hold any number of whole messages back to back.
// Capture input: see pcap_reader.hpp. Auto-detected by the magic number.
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/result.hpp"

namespace evpnd::cli {

// The octets of a hex dump, or "line N: ..." saying what is wrong.
bgp::wire::Result<bgp::wire::ByteVec, std::string> parse_hex_dump(std::string_view text);

enum class DecodeInputKind { Auto, Hex, Capture };

struct DecodeInput {
  std::string name;  // as shown in the output
  DecodeInputKind kind = DecodeInputKind::Auto;
  bgp::wire::ByteVec content;
};

enum class DecodeOutput { Text, JsonLines, JsonArray };

struct DecodeOptions {
  DecodeOutput output = DecodeOutput::Text;
  bgp::wire::CodecContext ctx;      // four_octet_as, add_path_rx, extended_message
  std::vector<std::uint16_t> ports{179};  // TCP ports taken as BGP in captures
};

struct DecodeSummary {
  std::size_t messages = 0;  // messages found (decoded or not)
  std::size_t errors = 0;    // of which did not decode (header, body or EVPN NLRI error)
  std::size_t problems = 0;  // input problems: bad hex, truncated capture, lost bytes, ...
  [[nodiscard]] int exit_code() const { return errors == 0 && problems == 0 ? 0 : 1; }
};

DecodeSummary run_decode(const std::vector<DecodeInput>& inputs, const DecodeOptions& opts, std::ostream& out);

}  // namespace evpnd::cli
