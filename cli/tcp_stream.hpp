#pragma once
// One direction of a TCP connection carrying BGP, rebuilt from captured segments for the
// pcap reader (pcap_reader.cpp). Segments are put in order by sequence number (RFC 9293
// §3.4, modulo 2^32): bytes already delivered (retransmissions, keepalive probes) are
// dropped, segments ahead of a hole wait in a bounded map until the hole fills, or until
// too much waits or the capture ends, when the hole is reported and skipped. The ordered
// bytes go through a MessageFramer; each message is tagged with the packet that completed
// it: the one that brought its last byte, or, when that byte waited behind a hole, the
// one that filled the hole. Depends on bgp/wire only.
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/context.hpp"
#include "cli/message_framer.hpp"
#include "cli/pcap_reader.hpp"

namespace evpnd::cli {

struct TcpSegment {
  Endpoint src, dst;
  std::uint32_t seq = 0;
  bool syn = false;
  bgp::wire::ByteSpan payload;
};

class TcpStream {
 public:
  TcpStream(Endpoint src, Endpoint dst, const bgp::wire::CodecContext& ctx)
      : src_(std::move(src)), dst_(std::move(dst)), ctx_(ctx), framer_(ctx) {}

  // A segment of this direction, captured in `frame`. Messages and problems it completes
  // are appended to `out`.
  void segment(const TcpSegment& s, std::uint64_t frame, const std::optional<CaptureTime>& time, Capture& out);
  // End of the capture: skips the holes left, and reports a message left unfinished.
  void end_of_connection(Capture& out);

 private:
  struct Chunk {
    std::uint64_t end = 0;  // stream offset one past the chunk's last byte
    std::uint64_t frame = 0;
    std::optional<CaptureTime> time;
  };
  struct Pending {
    bgp::wire::ByteVec data;
    std::uint64_t frame = 0;
    std::optional<CaptureTime> time;
  };

  void restart();
  [[nodiscard]] std::string flow() const;
  void deliver(bgp::wire::ByteSpan payload, std::size_t skip, std::uint64_t frame,
               const std::optional<CaptureTime>& time);
  void hold(const TcpSegment& s, std::uint64_t ahead, std::uint64_t frame, const std::optional<CaptureTime>& time,
            Capture& out);
  void drain_pending(const Chunk* filler);
  void skip_gap(Capture& out);
  [[nodiscard]] const Chunk* chunk_of(std::uint64_t offset) const;
  void emit(Capture& out);

  Endpoint src_, dst_;
  bgp::wire::CodecContext ctx_;
  MessageFramer framer_;
  bool started_ = false;
  std::uint32_t next_seq_ = 0;    // sequence number of the next byte expected
  std::uint64_t stream_pos_ = 0;  // its stream offset
  std::map<std::uint64_t, Pending> pending_;  // segments ahead of a hole, keyed by stream offset
  std::size_t pending_bytes_ = 0;
  std::deque<Chunk> chunks_;      // which packet brought which bytes still in the framer
  std::vector<FramedItem> items_;
  std::uint64_t last_frame_ = 0;
  std::optional<CaptureTime> last_time_;
};

}  // namespace evpnd::cli
