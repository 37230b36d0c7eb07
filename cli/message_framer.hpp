#pragma once
// Cuts a BGP byte stream (one direction of a TCP connection, or the bytes of a hex dump)
// into whole messages with bgp::wire::frame_length, for the decode tool. Unlike a session,
// which must close on the first Message Header Error (RFC 4271 §6.1), a decoder of
// captures wants to go on: after a header error, and after bytes lost from a capture, it
// looks for the next 16-octet marker followed by a valid header and carries on from there,
// reporting what it skipped. Depends on bgp/wire only (it is linked into fuzz_pcap).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/decode_error.hpp"

namespace evpnd::cli {

struct FramedItem {
  enum class Kind : std::uint8_t {
    Message,      // `bytes` is one whole message (header checks passed)
    HeaderError,  // the header at `offset` is invalid (`error`); `bytes` holds what of it was there
    Skipped,      // `length` bytes were passed over while looking for the next marker
    Incomplete,   // the stream stopped `length` bytes into a message (end of input or lost data)
  };
  Kind kind = Kind::Message;
  std::uint64_t offset = 0;  // stream offset of the first byte concerned
  std::size_t length = 0;    // bytes concerned (== bytes.size() for Message)
  bgp::wire::ByteVec bytes;
  std::optional<bgp::wire::DecodeError> error;
};

class MessageFramer {
 public:
  explicit MessageFramer(const bgp::wire::CodecContext& ctx) : ctx_(ctx) {}

  // Appends stream bytes and appends to `out` every item they complete.
  void push(bgp::wire::ByteSpan data, std::vector<FramedItem>& out);
  // End of the stream: reports bytes that are not a whole message.
  void finish(std::vector<FramedItem>& out);
  // `lost` bytes of the stream are missing (a capture gap): what is buffered can no longer
  // be completed (reported as Incomplete), and framing resumes at the next marker.
  void lose(std::uint64_t lost, std::vector<FramedItem>& out);

  // Stream offset of the next byte push() expects.
  [[nodiscard]] std::uint64_t end_offset() const { return base_ + (buf_.size() - head_); }
  // Stream offset of the first byte not yet handed out in an item.
  [[nodiscard]] std::uint64_t pending_offset() const { return base_; }

 private:
  void drain(std::vector<FramedItem>& out);
  bool resync(std::vector<FramedItem>& out);
  void consume(std::size_t n);
  void flush_skipped(std::vector<FramedItem>& out);

  bgp::wire::CodecContext ctx_;
  bgp::wire::ByteVec buf_;
  std::size_t head_ = 0;      // first unconsumed byte of buf_
  std::uint64_t base_ = 0;    // stream offset of buf_[head_]
  bool synced_ = true;        // at a message boundary (false after an error or a gap)
  std::uint64_t skip_start_ = 0;
  std::uint64_t skipped_ = 0;  // bytes passed over since synced_ became false
};

}  // namespace evpnd::cli
