// Capture file formats: pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html,
// draft-ietf-opsawg-pcap) and pcapng (draft-ietf-opsawg-pcapng); link-layer headers from
// https://www.tcpdump.org/linktypes.html. IPv4 RFC 791, IPv6 RFC 8200 (extension header
// chain), TCP RFC 9293 (sequence space arithmetic modulo 2^32, §3.4).
#include "cli/pcap_reader.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <array>
#include <utility>

#include "cli/tcp_stream.hpp"

namespace evpnd::cli {

namespace wire = bgp::wire;

namespace {

// ---- Bounded reads in either byte order ----

struct Cursor {
  wire::ByteSpan d;
  std::size_t pos = 0;
  bool little = false;

  [[nodiscard]] std::size_t left() const { return d.size() - pos; }
  std::optional<std::uint16_t> u16() {
    if (left() < 2) return std::nullopt;
    const std::uint16_t a = d[pos], b = d[pos + 1];
    pos += 2;
    return static_cast<std::uint16_t>(little ? (b << 8) | a : (a << 8) | b);
  }
  std::optional<std::uint32_t> u32() {
    if (left() < 4) return std::nullopt;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const std::uint32_t byte = d[pos + static_cast<std::size_t>(little ? 3 - i : i)];
      v = (v << 8) | byte;
    }
    pos += 4;
    return v;
  }
  std::optional<wire::ByteSpan> bytes(std::size_t n) {
    if (left() < n) return std::nullopt;
    auto s = d.subspan(pos, n);
    pos += n;
    return s;
  }
};

std::uint16_t be16(wire::ByteSpan d, std::size_t at) { return static_cast<std::uint16_t>((d[at] << 8) | d[at + 1]); }
std::uint32_t be32(wire::ByteSpan d, std::size_t at) {
  return (std::uint32_t{d[at]} << 24) | (std::uint32_t{d[at + 1]} << 16) | (std::uint32_t{d[at + 2]} << 8) |
         std::uint32_t{d[at + 3]};
}
std::uint32_t le32(wire::ByteSpan d, std::size_t at) {
  return (std::uint32_t{d[at + 3]} << 24) | (std::uint32_t{d[at + 2]} << 16) | (std::uint32_t{d[at + 1]} << 8) |
         std::uint32_t{d[at]};
}

constexpr std::uint32_t kPcapMicro = 0xa1b2c3d4;
constexpr std::uint32_t kPcapNano = 0xa1b23c4d;
constexpr std::uint32_t kPcapngShb = 0x0a0d0d0a;
constexpr std::uint32_t kPcapngByteOrder = 0x1a2b3c4d;

// Link types (tcpdump.org/linktypes.html).
constexpr std::uint32_t kLinkNull = 0;  // BSD loopback, address family in host order
constexpr std::uint32_t kLinkEthernet = 1;
constexpr std::uint32_t kLinkRaw = 101;
constexpr std::uint32_t kLinkLoop = 108;  // OpenBSD loopback, address family in network order
constexpr std::uint32_t kLinkSll = 113;
constexpr std::uint32_t kLinkIpv4 = 228;
constexpr std::uint32_t kLinkIpv6 = 229;
constexpr std::uint32_t kLinkSll2 = 276;

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherIpv6 = 0x86DD;

struct Packet {
  std::uint64_t frame = 0;
  std::optional<CaptureTime> time;
  std::uint32_t linktype = 0;
  wire::ByteSpan data;
  std::uint32_t original_length = 0;
};

// ---- Packet layers ----

class PacketReader {
 public:
  PacketReader(const wire::CodecContext& ctx, std::span<const std::uint16_t> ports, Capture& out)
      : ctx_(ctx), ports_(ports.begin(), ports.end()), out_(out) {}

  void packet(const Packet& p) {
    ++out_.frames;
    auto net = link_payload(p);
    if (!net) return;
    if (net->first == kEtherIpv4)
      ipv4(p, net->second);
    else if (net->first == kEtherIpv6)
      ipv6(p, net->second);
  }

  void finish() {
    for (auto& [key, dir] : dirs_) dir.end_of_connection(out_);
  }

  void problem(std::uint64_t frame, std::string what) { out_.problems.push_back({frame, std::move(what)}); }

 private:
  using NetPayload = std::pair<std::uint16_t, wire::ByteSpan>;  // ethertype, bytes

  std::optional<NetPayload> link_payload(const Packet& p) {
    const auto d = p.data;
    switch (p.linktype) {
      case kLinkEthernet: {
        if (d.size() < 14) return std::nullopt;
        std::size_t at = 12;
        std::uint16_t type = be16(d, at);
        at += 2;
        // 802.1Q / 802.1ad / old QinQ tags, as many as there are.
        while ((type == 0x8100 || type == 0x88A8 || type == 0x9100) && d.size() - at >= 4) {
          type = be16(d, at + 2);
          at += 4;
        }
        return NetPayload{type, d.subspan(at)};
      }
      case kLinkSll:
        if (d.size() < 16) return std::nullopt;
        return NetPayload{be16(d, 14), d.subspan(16)};
      case kLinkSll2:
        if (d.size() < 20) return std::nullopt;
        return NetPayload{be16(d, 0), d.subspan(20)};
      case kLinkRaw:
      case kLinkIpv4:
      case kLinkIpv6: {
        if (d.empty()) return std::nullopt;
        const int version = d[0] >> 4;
        if (version == 4) return NetPayload{kEtherIpv4, d};
        if (version == 6) return NetPayload{kEtherIpv6, d};
        return std::nullopt;
      }
      case kLinkNull:
      case kLinkLoop: {
        if (d.size() < 4) return std::nullopt;
        // The family is in the capturing host's byte order for NULL; try both.
        const std::uint32_t be = be32(d, 0), le = le32(d, 0);
        const std::uint32_t af = p.linktype == kLinkLoop ? be : (be < 256 ? be : le);
        if (af == 2) return NetPayload{kEtherIpv4, d.subspan(4)};
        if (af == 10 || af == 24 || af == 28 || af == 30) return NetPayload{kEtherIpv6, d.subspan(4)};
        return std::nullopt;
      }
      default:
        if (unsupported_links_.insert(p.linktype).second)
          problem(p.frame, "link type " + std::to_string(p.linktype) + " is not supported; its packets are skipped");
        return std::nullopt;
    }
  }

  void ipv4(const Packet& p, wire::ByteSpan d) {
    if (d.size() < 20 || (d[0] >> 4) != 4) return;
    const std::size_t ihl = std::size_t{d[0] & 0x0Fu} * 4;
    const std::size_t total = be16(d, 2);
    if (ihl < 20 || total < ihl) return;
    if (d[9] != 6) return;  // not TCP
    if (total > d.size()) {
      problem(p.frame, "IPv4 packet of " + std::to_string(total) + " bytes has only " + std::to_string(d.size()) +
                           " captured (snap length); its TCP data is lost");
      return;
    }
    const std::uint16_t frag = be16(d, 6);
    if ((frag & 0x2000) || (frag & 0x1FFF)) {
      problem(p.frame, "IPv4 fragment (not reassembled); its TCP data is lost");
      return;
    }
    std::array<std::uint8_t, 4> s{}, t{};
    std::copy_n(d.begin() + 12, 4, s.begin());
    std::copy_n(d.begin() + 16, 4, t.begin());
    tcp(p, wire::IpAddress::v4(s), wire::IpAddress::v4(t), d.subspan(ihl, total - ihl));
  }

  void ipv6(const Packet& p, wire::ByteSpan d) {
    if (d.size() < 40 || (d[0] >> 4) != 6) return;
    const std::size_t payload = be16(d, 4);
    if (payload == 0) return;  // jumbogram (RFC 2675): not for BGP
    if (40 + payload > d.size()) {
      problem(p.frame, "IPv6 packet of " + std::to_string(40 + payload) + " bytes has only " +
                           std::to_string(d.size()) + " captured (snap length); its TCP data is lost");
      return;
    }
    std::array<std::uint8_t, 16> s{}, t{};
    std::copy_n(d.begin() + 8, 16, s.begin());
    std::copy_n(d.begin() + 24, 16, t.begin());
    std::uint8_t next = d[6];
    wire::ByteSpan rest = d.subspan(40, payload);
    // Walk the extension header chain (RFC 8200 §4) up to TCP.
    for (;;) {
      if (next == 6) break;
      if (next == 0 || next == 43 || next == 60 || next == 51) {
        if (rest.size() < 2) return;
        const std::size_t len = next == 51 ? (std::size_t{rest[1]} + 2) * 4 : (std::size_t{rest[1]} + 1) * 8;
        if (len > rest.size()) return;
        next = rest[0];
        rest = rest.subspan(len);
        continue;
      }
      if (next == 44) problem(p.frame, "IPv6 fragment (not reassembled); its data is skipped");
      return;
    }
    tcp(p, wire::IpAddress::v6(s), wire::IpAddress::v6(t), rest);
  }

  void tcp(const Packet& p, const wire::IpAddress& src, const wire::IpAddress& dst, wire::ByteSpan d) {
    if (d.size() < 20) return;
    const std::size_t header = std::size_t{static_cast<std::uint8_t>(d[12] >> 4)} * 4;
    if (header < 20 || header > d.size()) return;
    TcpSegment s;
    s.src = Endpoint{src, be16(d, 0)};
    s.dst = Endpoint{dst, be16(d, 2)};
    if (!ports_.count(s.src.port) && !ports_.count(s.dst.port)) return;
    s.seq = be32(d, 4);
    s.syn = (d[13] & 0x02) != 0;
    s.payload = d.subspan(header);
    auto key = std::make_pair(s.src, s.dst);
    auto it = dirs_.find(key);
    if (it == dirs_.end()) it = dirs_.emplace(key, TcpStream(s.src, s.dst, ctx_)).first;
    it->second.segment(s, p.frame, p.time, out_);
  }

  wire::CodecContext ctx_;
  std::set<std::uint16_t> ports_;
  Capture& out_;
  std::map<std::pair<Endpoint, Endpoint>, TcpStream> dirs_;
  std::set<std::uint32_t> unsupported_links_;
};

// ---- File formats ----

void read_pcap(wire::ByteSpan file, PacketReader& reader, Capture& out) {
  const std::uint32_t magic = le32(file, 0);
  const bool little = magic == kPcapMicro || magic == kPcapNano;
  const bool nano = magic == kPcapNano || magic == 0x4d3cb2a1;
  out.format = std::string("pcap (") + (little ? "little" : "big") + "-endian, " +
               (nano ? "nanoseconds" : "microseconds") + ")";
  Cursor c{file, 0, little};
  if (file.size() < 24) {
    reader.problem(0, "the file ends inside the 24-byte pcap header");
    return;
  }
  c.pos = 20;
  const std::uint32_t linktype = *c.u32() & 0xFFFF;  // upper bits: FCS length, reserved
  std::uint64_t frame = 0;
  while (c.left() > 0) {
    ++frame;
    if (c.left() < 16) {
      reader.problem(frame, "the file ends inside a record header (" + std::to_string(c.left()) + " of 16 bytes)");
      return;
    }
    const std::uint32_t sec = *c.u32(), frac = *c.u32(), incl = *c.u32(), orig = *c.u32();
    if (incl > c.left()) {
      reader.problem(frame, "record of " + std::to_string(incl) + " bytes, but the file ends after " +
                                std::to_string(c.left()) + " (truncated capture)");
      return;
    }
    const auto data = *c.bytes(incl);
    const std::uint32_t per_sec = nano ? 1000000000u : 1000000u;
    CaptureTime t{static_cast<std::int64_t>(sec) + frac / per_sec,
                  static_cast<std::uint32_t>(frac % per_sec) * (nano ? 1u : 1000u)};
    reader.packet(Packet{frame, t, linktype, data, orig});
  }
}

struct Interface {
  std::uint32_t linktype = 0;
  std::uint64_t units_per_second = 1000000;  // if_tsresol, default microseconds
  std::int64_t offset_seconds = 0;           // if_tsoffset
  bool resolution_ok = true;
};

Interface parse_idb(Cursor body) {
  Interface ifc;
  ifc.linktype = *body.u16();
  body.pos += 6;  // reserved, snaplen
  // Options: code (2), length (2), value padded to 4 octets; opt_endofopt is code 0.
  while (body.left() >= 4) {
    const std::uint16_t code = *body.u16(), len = *body.u16();
    const std::size_t padded = (std::size_t{len} + 3) & ~std::size_t{3};
    if (code == 0 || padded > body.left()) break;
    const auto value = *body.bytes(padded);
    if (code == 9 && len == 1) {  // if_tsresol
      const std::uint8_t r = value[0];
      const unsigned exp = r & 0x7F;
      if (r & 0x80) {
        ifc.resolution_ok = exp <= 63;
        if (ifc.resolution_ok) ifc.units_per_second = std::uint64_t{1} << exp;
      } else {
        ifc.resolution_ok = exp <= 19;
        if (ifc.resolution_ok) {
          ifc.units_per_second = 1;
          for (unsigned i = 0; i < exp; ++i) ifc.units_per_second *= 10;
        }
      }
    } else if (code == 14 && len == 8) {  // if_tsoffset, seconds
      Cursor v{value, 0, body.little};
      const std::uint64_t hi = *v.u32(), lo = *v.u32();
      ifc.offset_seconds = static_cast<std::int64_t>(hi << 32 | lo);
    }
  }
  return ifc;
}

std::optional<CaptureTime> pcapng_time(const Interface& ifc, std::uint32_t hi, std::uint32_t lo) {
  if (!ifc.resolution_ok) return std::nullopt;
  const std::uint64_t units = (std::uint64_t{hi} << 32) | lo;
  const std::uint64_t secs = units / ifc.units_per_second;
  const std::uint64_t rem = units % ifc.units_per_second;
  const auto ns = static_cast<std::uint32_t>(static_cast<unsigned __int128>(rem) * 1000000000u /
                                             ifc.units_per_second);
  return CaptureTime{static_cast<std::int64_t>(secs) + ifc.offset_seconds, ns};
}

void read_pcapng(wire::ByteSpan file, PacketReader& reader, Capture& out) {
  out.format = "pcapng";
  std::vector<Interface> interfaces;
  std::set<std::uint32_t> bad_interfaces;
  bool little = true;
  bool in_section = false;
  std::size_t pos = 0;
  std::uint64_t frame = 0;
  while (pos < file.size()) {
    const std::size_t left = file.size() - pos;
    if (left < 12) {
      reader.problem(frame + 1, "the file ends inside a block header at byte " + std::to_string(pos));
      return;
    }
    const std::uint32_t type_le = le32(file, pos);
    if (type_le == kPcapngShb) {
      // The section header says which byte order the section uses.
      if (left < 28) {
        reader.problem(frame + 1, "the file ends inside a section header block at byte " + std::to_string(pos));
        return;
      }
      const std::uint32_t bom = le32(file, pos + 8);
      if (bom == kPcapngByteOrder)
        little = true;
      else if (bom == 0x4d3c2b1a)
        little = false;
      else {
        reader.problem(frame + 1, "section header at byte " + std::to_string(pos) + " has no byte-order magic");
        return;
      }
      interfaces.clear();
      in_section = true;
    } else if (!in_section) {
      reader.problem(0, "pcapng file does not start with a section header block");
      return;
    }
    Cursor c{file.subspan(pos), 0, little};
    const std::uint32_t type = *c.u32(), total = *c.u32();
    if (total < 12 || total % 4 != 0 || total > left) {
      reader.problem(frame + 1, "block at byte " + std::to_string(pos) + " has length " + std::to_string(total) +
                                    (total > left ? ", past the end of the file (truncated capture)" : ", invalid"));
      return;
    }
    Cursor trailer{file.subspan(pos + total - 4, 4), 0, little};
    if (*trailer.u32() != total) {
      reader.problem(frame + 1, "block at byte " + std::to_string(pos) + ": its two length fields differ");
      return;
    }
    Cursor body{file.subspan(pos + 8, total - 12), 0, little};
    pos += total;
    auto packet = [&](std::uint32_t if_id, std::optional<CaptureTime> time, wire::ByteSpan data, std::uint32_t orig) {
      ++frame;
      if (if_id >= interfaces.size()) {
        ++out.frames;
        if (bad_interfaces.insert(if_id).second)
          reader.problem(frame, "packet names interface " + std::to_string(if_id) + ", which is not described");
        return;
      }
      reader.packet(Packet{frame, time, interfaces[if_id].linktype, data, orig});
    };
    switch (type) {
      case 1:  // Interface Description Block
        if (body.left() < 8) {
          reader.problem(frame + 1, "interface description block too short");
          return;
        }
        interfaces.push_back(parse_idb(body));
        if (!interfaces.back().resolution_ok)
          reader.problem(frame + 1, "interface " + std::to_string(interfaces.size() - 1) +
                                        ": timestamp resolution not supported; times are omitted");
        break;
      case 6: {  // Enhanced Packet Block
        if (body.left() < 20) {
          ++frame;
          ++out.frames;
          reader.problem(frame, "enhanced packet block too short");
          break;
        }
        const std::uint32_t if_id = *body.u32(), hi = *body.u32(), lo = *body.u32(), caplen = *body.u32(),
                            orig = *body.u32();
        if (caplen > body.left()) {
          ++frame;
          ++out.frames;
          reader.problem(frame, "enhanced packet block claims " + std::to_string(caplen) + " captured bytes, holds " +
                                    std::to_string(body.left()));
          break;
        }
        const auto data = *body.bytes(caplen);
        packet(if_id, if_id < interfaces.size() ? pcapng_time(interfaces[if_id], hi, lo) : std::nullopt, data, orig);
        break;
      }
      case 3: {  // Simple Packet Block: interface 0, no timestamp
        if (body.left() < 4) {
          ++frame;
          ++out.frames;
          reader.problem(frame, "simple packet block too short");
          break;
        }
        const std::uint32_t orig = *body.u32();
        const auto data = *body.bytes(std::min<std::size_t>(orig, body.left()));
        packet(0, std::nullopt, data, orig);
        break;
      }
      case 2: {  // Packet Block (obsolete)
        if (body.left() < 20) {
          ++frame;
          ++out.frames;
          reader.problem(frame, "packet block too short");
          break;
        }
        const std::uint16_t if_id = *body.u16();
        body.pos += 2;  // drops count
        const std::uint32_t hi = *body.u32(), lo = *body.u32(), caplen = *body.u32(), orig = *body.u32();
        if (caplen > body.left()) {
          ++frame;
          ++out.frames;
          reader.problem(frame, "packet block claims more captured bytes than it holds");
          break;
        }
        const auto data = *body.bytes(caplen);
        packet(if_id, if_id < interfaces.size() ? pcapng_time(interfaces[if_id], hi, lo) : std::nullopt, data, orig);
        break;
      }
      default:
        break;  // section header (handled above), statistics, name resolution, custom
    }
  }
}

}  // namespace

std::string Endpoint::to_string() const {
  if (address.is_v6()) return "[" + address.to_string() + "]:" + std::to_string(port);
  return address.to_string() + ":" + std::to_string(port);
}

bool is_capture(wire::ByteSpan head) {
  if (head.size() < 4) return false;
  const std::uint32_t m = le32(head, 0);
  if (m == kPcapngShb) {
    // "\n\r\r\n" could start a text file: require the byte-order magic as well.
    if (head.size() < 12) return false;
    const std::uint32_t bom = le32(head, 8);
    return bom == kPcapngByteOrder || bom == 0x4d3c2b1a;
  }
  return m == kPcapMicro || m == kPcapNano || m == 0xd4c3b2a1 || m == 0x4d3cb2a1;
}

Capture read_capture(wire::ByteSpan file, const wire::CodecContext& ctx, std::span<const std::uint16_t> ports) {
  Capture out;
  PacketReader reader(ctx, ports, out);
  if (!is_capture(file)) {
    out.format = "unknown";
    reader.problem(0, "not a pcap or pcapng file (no magic number at the start)");
    return out;
  }
  if (le32(file, 0) == kPcapngShb)
    read_pcapng(file, reader, out);
  else
    read_pcap(file, reader, out);
  reader.finish();
  // Streams flushed at the end (segments that waited behind a hole) add messages of
  // earlier frames; keep both lists in frame order.
  std::stable_sort(out.messages.begin(), out.messages.end(),
                   [](const CapturedMessage& a, const CapturedMessage& b) { return a.frame < b.frame; });
  std::stable_sort(out.problems.begin(), out.problems.end(),
                   [](const CaptureProblem& a, const CaptureProblem& b) { return a.frame < b.frame; });
  return out;
}

Capture read_capture(wire::ByteSpan file, const wire::CodecContext& ctx) {
  static constexpr std::uint16_t kBgpPort[] = {179};
  return read_capture(file, ctx, kBgpPort);
}

}  // namespace evpnd::cli
