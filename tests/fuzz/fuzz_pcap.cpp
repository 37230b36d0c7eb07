// libFuzzer target for evpnd-decode's capture reader (cli/pcap_reader.cpp, tcp_stream.cpp,
// message_framer.cpp): whatever the file, it must not crash, hang or leak, and every
// message it frames must be whole (its length field equal to its size).
//
// Inputs:
//   - starting with a pcap or pcapng magic: read as is;
//   - starting with 0xFF (the seeds: whole BGP messages): the bytes become the payload of
//     one TCP connection, cut into segments whose sizes and order come from the bytes
//     themselves, wrapped in a classic pcap, so reassembly and framing see real streams;
//   - anything else: octet 0 picks a link type and the context, the rest is a list of
//     records [length (1 octet)][packet], wrapped in a classic pcap.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "bgp/wire/context.hpp"
#include "cli/pcap_reader.hpp"

using evpnd::bgp::wire::ByteSpan;
using evpnd::bgp::wire::ByteVec;
using evpnd::bgp::wire::CodecContext;

namespace {

void put32(ByteVec& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

ByteVec pcap_header(std::uint32_t linktype) {
  ByteVec out;
  put32(out, 0xa1b2c3d4);
  put32(out, 0x00040002);  // version 2.4
  put32(out, 0);
  put32(out, 0);
  put32(out, 65535);
  put32(out, linktype);
  return out;
}

void add_record(ByteVec& file, std::uint32_t sec, const ByteVec& packet) {
  put32(file, sec);
  put32(file, 0);
  put32(file, static_cast<std::uint32_t>(packet.size()));
  put32(file, static_cast<std::uint32_t>(packet.size()));
  file.insert(file.end(), packet.begin(), packet.end());
}

ByteVec tcp_packet(std::uint32_t seq, std::uint8_t flags, ByteSpan payload) {
  ByteVec f = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
  const auto total = static_cast<std::uint16_t>(40 + payload.size());
  f.insert(f.end(), {0x45, 0, static_cast<std::uint8_t>(total >> 8), static_cast<std::uint8_t>(total), 0, 0, 0x40, 0,
                     64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x9c, 0x40, 0, 179});
  for (int i = 3; i >= 0; --i) f.push_back(static_cast<std::uint8_t>(seq >> (8 * i)));
  f.insert(f.end(), {0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0});
  f.insert(f.end(), payload.begin(), payload.end());
  return f;
}

// The seed's bytes as one TCP stream: SYN, then segments of 1..64 bytes, every third one
// sent after its successor and every fifth one sent twice.
ByteVec stream_capture(ByteSpan stream) {
  ByteVec file = pcap_header(1);
  const std::uint32_t isn = 0xFFFFFF00;  // wraps within the first 256 bytes
  add_record(file, 0, tcp_packet(isn, 0x02, {}));
  struct Seg {
    std::size_t from, len;
  };
  std::vector<Seg> segs;
  for (std::size_t pos = 0; pos < stream.size();) {
    const std::size_t len = std::min<std::size_t>(1 + stream[pos] % 64, stream.size() - pos);
    segs.push_back({pos, len});
    pos += len;
  }
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (i % 3 == 0 && i + 1 < segs.size()) std::swap(segs[i], segs[i + 1]);
  }
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const auto& s = segs[i];
    const auto pkt = tcp_packet(isn + 1 + static_cast<std::uint32_t>(s.from), 0x18, stream.subspan(s.from, s.len));
    add_record(file, static_cast<std::uint32_t>(i), pkt);
    if (i % 5 == 0) add_record(file, static_cast<std::uint32_t>(i), pkt);
  }
  return file;
}

ByteVec record_capture(ByteSpan data) {
  static constexpr std::uint32_t kLinkTypes[] = {1, 113, 276, 101, 0, 108, 228, 229};
  ByteVec file = pcap_header(kLinkTypes[data[0] % 8]);
  std::size_t pos = 1;
  std::uint32_t n = 0;
  while (pos < data.size()) {
    const std::size_t len = std::min<std::size_t>(data[pos], data.size() - pos - 1);
    add_record(file, n++, ByteVec(data.begin() + static_cast<std::ptrdiff_t>(pos + 1),
                                  data.begin() + static_cast<std::ptrdiff_t>(pos + 1 + len)));
    pos += 1 + len;
  }
  return file;
}

void check(ByteSpan file, const CodecContext& ctx) {
  static constexpr std::uint16_t kPorts[] = {179, 40000};
  const auto c = evpnd::cli::read_capture(file, ctx, kPorts);
  for (const auto& m : c.messages) {
    if (m.header_error) continue;
    if (m.bytes.size() < 19 || ((std::size_t{m.bytes[16]} << 8) | m.bytes[17]) != m.bytes.size())
      __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteSpan in(data, size);
  if (evpnd::cli::is_capture(in)) {
    check(in, {});
  } else if (size > 0 && data[0] == 0xFF) {
    check(stream_capture(in), {});
  } else if (size > 0) {
    CodecContext ctx;
    ctx.extended_message_rx = (data[0] & 0x80) != 0;
    check(record_capture(in), ctx);
  }
  return 0;
}
