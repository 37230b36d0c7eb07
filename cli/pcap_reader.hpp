#pragma once
// BGP messages out of a packet capture, for evpnd-decode. A small reader written for
// this tool (no libpcap): classic pcap (both byte orders, microsecond and nanosecond
// timestamps) and pcapng (SHB, IDB, EPB, SPB and the obsolete PB; other blocks skipped),
// link types Ethernet (with 802.1Q/802.1ad tags), Linux cooked SLL and SLL2, raw IP and
// BSD loopback; IPv4 and IPv6, then TCP.
//
// Data flow: packets -> TCP segments to or from a BGP port -> one byte stream per
// direction, put in order by sequence number (retransmitted bytes are dropped,
// out-of-order segments wait for the hole to fill; tcp_stream.hpp) -> MessageFramer ->
// whole messages, each tagged with the frame that completed it (Wireshark's numbering:
// the first packet is frame 1), its timestamp and its endpoints.
//
// The file is untrusted: every length read from it is checked against what is left,
// nothing is allocated on a length field's word alone, and anything malformed becomes a
// CaptureProblem rather than a crash. Depends on bgp/wire only (linked into fuzz_pcap).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/decode_error.hpp"
#include "bgp/wire/types.hpp"

namespace evpnd::cli {

struct Endpoint {
  bgp::wire::IpAddress address;
  std::uint16_t port = 0;
  // "10.10.0.1:179", "[2001:db8::1]:179"
  [[nodiscard]] std::string to_string() const;
  friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
};

struct CaptureTime {
  std::int64_t seconds = 0;  // since the Unix epoch, UTC
  std::uint32_t nanoseconds = 0;
  friend auto operator<=>(const CaptureTime&, const CaptureTime&) = default;
};

struct CapturedMessage {
  std::uint64_t frame = 0;            // the packet that completed the message
  std::optional<CaptureTime> time;    // absent for pcapng Simple Packet Blocks
  Endpoint src;
  Endpoint dst;
  std::uint64_t stream_offset = 0;    // offset of the first byte in its direction's stream
  bgp::wire::ByteVec bytes;           // the whole message, or the header bytes seen
  std::optional<bgp::wire::DecodeError> header_error;  // set when the header is invalid
};

// Something the operator must know: the file ends inside a record, bytes were lost from
// a stream, a stream did not start at a message boundary, ... `frame` is 0 for the file
// as a whole.
struct CaptureProblem {
  std::uint64_t frame = 0;
  std::string what;
};

struct Capture {
  std::string format;        // "pcap (little-endian, microseconds)", "pcapng"
  std::uint64_t frames = 0;  // packets read
  std::vector<CapturedMessage> messages;  // in the order their last byte was captured
  std::vector<CaptureProblem> problems;   // in the order found
};

// True when `head` starts with a pcap or pcapng magic number.
bool is_capture(bgp::wire::ByteSpan head);

// Reads the whole capture. TCP segments with a source or destination port in `ports`
// are taken as BGP; `ctx` is the context the framing is checked with (its
// extended_message_rx decides the largest message accepted).
Capture read_capture(bgp::wire::ByteSpan file, const bgp::wire::CodecContext& ctx,
                     std::span<const std::uint16_t> ports);
Capture read_capture(bgp::wire::ByteSpan file, const bgp::wire::CodecContext& ctx = {});

}  // namespace evpnd::cli
