#include "cli/message_framer.hpp"

#include <algorithm>

#include "bgp/wire/message.hpp"

namespace evpnd::cli {

namespace wire = bgp::wire;

namespace {
constexpr std::size_t kMarkerSize = 16;
}  // namespace

void MessageFramer::consume(std::size_t n) {
  head_ += n;
  base_ += n;
  // Compact once the consumed prefix dominates, so a long hex dump framed message by
  // message stays linear.
  if (head_ == buf_.size()) {
    buf_.clear();
    head_ = 0;
  } else if (head_ > 65536 && head_ > buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

void MessageFramer::flush_skipped(std::vector<FramedItem>& out) {
  if (skipped_ == 0) return;
  FramedItem item;
  item.kind = FramedItem::Kind::Skipped;
  item.offset = skip_start_;
  item.length = static_cast<std::size_t>(skipped_);
  out.push_back(std::move(item));
  skipped_ = 0;
}

// Looks for a marker followed by a header frame_length accepts. Returns true when framing
// can resume at head_; false when more bytes are needed (the tail that might still start
// a marker is kept, the rest counted as skipped).
bool MessageFramer::resync(std::vector<FramedItem>& out) {
  const wire::ByteSpan data(buf_.data() + head_, buf_.size() - head_);
  std::size_t p = 0;
  while (p < data.size()) {
    // Candidate: every octet up to the end of the marker (or of the data) is 0xFF.
    const std::size_t n = std::min(kMarkerSize, data.size() - p);
    bool all_ones = true;
    for (std::size_t i = 0; i < n; ++i) {
      if (data[p + i] != 0xFF) {
        all_ones = false;
        break;
      }
    }
    if (all_ones) {
      auto len = wire::frame_length(data.subspan(p), ctx_);
      if (len) {
        // A valid header (or a marker still arriving): resume here.
        if (skipped_ == 0) skip_start_ = base_;
        skipped_ += p;
        consume(p);
        if (data.size() - p < wire::kHeaderSize) return false;  // wait for the header
        synced_ = true;
        flush_skipped(out);
        return true;
      }
    }
    ++p;
  }
  if (skipped_ == 0) skip_start_ = base_;
  skipped_ += data.size();
  consume(data.size());
  return false;
}

void MessageFramer::drain(std::vector<FramedItem>& out) {
  while (head_ < buf_.size()) {
    if (!synced_ && !resync(out)) return;
    const wire::ByteSpan data(buf_.data() + head_, buf_.size() - head_);
    auto len = wire::frame_length(data, ctx_);
    if (!len) {
      FramedItem item;
      item.kind = FramedItem::Kind::HeaderError;
      item.offset = base_;
      item.length = std::min(data.size(), wire::kHeaderSize);
      item.bytes.assign(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(item.length));
      item.error = std::move(len.error());
      out.push_back(std::move(item));
      // Resume after the first octet: the bad header itself is passed over (and counted).
      synced_ = false;
      skip_start_ = base_;
      skipped_ = 1;
      consume(1);
      continue;
    }
    if (!*len) return;  // the message is still arriving
    const std::size_t n = **len;
    FramedItem item;
    item.kind = FramedItem::Kind::Message;
    item.offset = base_;
    item.length = n;
    item.bytes.assign(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
    out.push_back(std::move(item));
    consume(n);
  }
}

void MessageFramer::push(wire::ByteSpan data, std::vector<FramedItem>& out) {
  buf_.insert(buf_.end(), data.begin(), data.end());
  drain(out);
}

void MessageFramer::finish(std::vector<FramedItem>& out) {
  const std::size_t left = buf_.size() - head_;
  if (!synced_) {
    // Whatever is left could not be resynchronised on: it was skipped.
    if (left > 0) {
      if (skipped_ == 0) skip_start_ = base_;
      skipped_ += left;
      consume(left);
    }
    flush_skipped(out);
    return;
  }
  if (left > 0) {
    FramedItem item;
    item.kind = FramedItem::Kind::Incomplete;
    item.offset = base_;
    item.length = left;
    item.bytes.assign(buf_.begin() + static_cast<std::ptrdiff_t>(head_), buf_.end());
    out.push_back(std::move(item));
    consume(left);
  }
}

void MessageFramer::lose(std::uint64_t lost, std::vector<FramedItem>& out) {
  finish(out);
  base_ += lost;
  // The bytes after a gap start somewhere inside a message (or at a boundary, which
  // resync finds just as well).
  synced_ = false;
  skipped_ = 0;
}

}  // namespace evpnd::cli
