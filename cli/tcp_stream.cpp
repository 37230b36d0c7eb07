#include "cli/tcp_stream.hpp"

namespace evpnd::cli {

namespace wire = bgp::wire;

namespace {
// Bounds on what waits behind a hole in the sequence space.
constexpr std::size_t kMaxPendingSegments = 4096;
constexpr std::size_t kMaxPendingBytes = 16u << 20;
}  // namespace

void TcpStream::segment(const TcpSegment& s, std::uint64_t frame, const std::optional<CaptureTime>& time,
                        Capture& out) {
  last_frame_ = frame;
  last_time_ = time;
  if (s.syn) {
    if (started_ && next_seq_ == s.seq + 1) return;  // a retransmitted SYN
    if (started_) end_of_connection(out);             // a new connection on the same ports
    restart();
    started_ = true;
    next_seq_ = s.seq + 1;  // the SYN takes one sequence number (RFC 9293 §3.4)
  } else if (!started_) {
    // No SYN in the capture: the stream may start inside a message; frame from the first
    // marker on and report what was passed over.
    started_ = true;
    next_seq_ = s.seq;
    framer_.lose(0, items_);
  }
  if (s.payload.empty()) return;
  const auto ahead = static_cast<std::int32_t>(s.seq - next_seq_);
  if (ahead > 0) {
    hold(s, static_cast<std::uint64_t>(ahead), frame, time, out);
  } else {
    deliver(s.payload, static_cast<std::size_t>(-static_cast<std::int64_t>(ahead)), frame, time);
    const Chunk filler{0, frame, time};
    drain_pending(&filler);
  }
  emit(out);
}

void TcpStream::end_of_connection(Capture& out) {
  while (!pending_.empty()) skip_gap(out);
  framer_.finish(items_);
  emit(out);
}

void TcpStream::restart() {
  framer_ = MessageFramer(ctx_);
  pending_.clear();
  pending_bytes_ = 0;
  chunks_.clear();
  items_.clear();
  stream_pos_ = 0;
}

std::string TcpStream::flow() const { return src_.to_string() + " -> " + dst_.to_string(); }

void TcpStream::deliver(wire::ByteSpan payload, std::size_t skip, std::uint64_t frame,
                        const std::optional<CaptureTime>& time) {
  if (skip >= payload.size()) return;  // a retransmission of bytes we have
  const auto fresh = payload.subspan(skip);
  framer_.push(fresh, items_);
  stream_pos_ += fresh.size();
  next_seq_ += static_cast<std::uint32_t>(fresh.size());
  chunks_.push_back(Chunk{stream_pos_, frame, time});
}

void TcpStream::hold(const TcpSegment& s, std::uint64_t ahead, std::uint64_t frame,
                     const std::optional<CaptureTime>& time, Capture& out) {
  const std::uint64_t key = stream_pos_ + ahead;
  auto it = pending_.find(key);
  if (it != pending_.end() && it->second.data.size() >= s.payload.size()) return;
  if (it != pending_.end()) {
    pending_bytes_ -= it->second.data.size();
    pending_.erase(it);
  }
  pending_bytes_ += s.payload.size();
  pending_.emplace(key, Pending{wire::ByteVec(s.payload.begin(), s.payload.end()), frame, time});
  // Bytes that never come would make us hold everything after them: give up on the hole
  // once too much waits behind it.
  while (pending_.size() > kMaxPendingSegments || pending_bytes_ > kMaxPendingBytes) skip_gap(out);
}

// Segments that waited behind a hole are delivered as part of the packet that filled it
// (`filler`): that is when their messages became complete (Wireshark shows a reassembled
// PDU in the same frame). After a hole given up on, each keeps its own frame.
void TcpStream::drain_pending(const Chunk* filler) {
  while (!pending_.empty() && pending_.begin()->first <= stream_pos_) {
    auto node = pending_.extract(pending_.begin());
    pending_bytes_ -= node.mapped().data.size();
    const std::uint64_t skip = stream_pos_ - node.key();
    if (skip >= node.mapped().data.size()) continue;
    if (filler)
      deliver(node.mapped().data, static_cast<std::size_t>(skip), filler->frame, filler->time);
    else
      deliver(node.mapped().data, static_cast<std::size_t>(skip), node.mapped().frame, node.mapped().time);
  }
}

void TcpStream::skip_gap(Capture& out) {
  const std::uint64_t key = pending_.begin()->first;
  const std::uint64_t frame = pending_.begin()->second.frame;
  const std::uint64_t lost = key - stream_pos_;
  out.problems.push_back(CaptureProblem{frame, flow() + ": " + std::to_string(lost) + " bytes at stream offset " +
                                                   std::to_string(stream_pos_) +
                                                   " are missing from the capture (lost or not captured)"});
  framer_.lose(lost, items_);
  stream_pos_ = key;
  next_seq_ += static_cast<std::uint32_t>(lost);
  drain_pending(nullptr);
}

const TcpStream::Chunk* TcpStream::chunk_of(std::uint64_t offset) const {
  for (const auto& c : chunks_)
    if (c.end > offset) return &c;
  return chunks_.empty() ? nullptr : &chunks_.back();
}

void TcpStream::emit(Capture& out) {
  for (auto& item : items_) {
    const std::uint64_t last = item.offset + (item.length ? item.length - 1 : 0);
    const Chunk* c = chunk_of(last);
    const std::uint64_t frame = c ? c->frame : last_frame_;
    const auto time = c ? c->time : last_time_;
    switch (item.kind) {
      case FramedItem::Kind::Message:
      case FramedItem::Kind::HeaderError:
        out.messages.push_back(
            CapturedMessage{frame, time, src_, dst_, item.offset, std::move(item.bytes), std::move(item.error)});
        break;
      case FramedItem::Kind::Skipped:
        out.problems.push_back(CaptureProblem{frame, flow() + ": skipped " + std::to_string(item.length) +
                                                         " bytes at stream offset " + std::to_string(item.offset) +
                                                         " to reach the next valid message header"});
        break;
      case FramedItem::Kind::Incomplete:
        out.problems.push_back(CaptureProblem{
            frame, flow() + ": " + std::to_string(item.length) + " bytes at stream offset " +
                       std::to_string(item.offset) + " are the start of a message whose rest is not captured"});
        break;
    }
  }
  items_.clear();
  // Chunks wholly before the bytes the framer still holds are no longer needed.
  while (chunks_.size() > 1 && chunks_.front().end <= framer_.pending_offset()) chunks_.pop_front();
}

}  // namespace evpnd::cli
