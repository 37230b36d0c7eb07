// The pcap reader: the two captured sessions give exactly the messages listed in
// testdata/*.messages.txt (frame, direction, type, length, time, and each message's
// content against its description); the same packets re-wrapped in every supported
// format and link type give the same messages; TCP reassembly handles out-of-order,
// retransmitted and overlapping segments, holes and streams that start mid-message; and
// truncated, mutated and random files never crash and always say what is wrong.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>

#include "bgp/wire/message.hpp"
#include "cli/decode_tool.hpp"
#include "cli/message_render.hpp"
#include "cli/pcap_reader.hpp"
#include "support/testdata.hpp"
#include "tests/unit/cli/decode_test_support.hpp"

namespace evpnd::cli {
namespace {

namespace wire = bgp::wire;
using nlohmann::ordered_json;
using test::Bytes;

Bytes file_bytes(const std::string& name) {
  const auto s = test::read_text(test::testdata_path(name));
  return Bytes(s.begin(), s.end());
}

struct Listed {
  double t = 0;
  std::uint64_t frame = 0;
  std::string src, dst, type;
  std::size_t length = 0;
  std::string description;
};

// "   1.064 frame 14   10.10.0.2 -> 10.10.0.1  UPDATE  len 100  ANNOUNCE ..."
std::vector<Listed> listed(const std::string& name) {
  std::vector<Listed> v;
  std::istringstream in(test::read_text(test::testdata_path(name)));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    Listed l;
    std::string frame_kw, arrow, len_kw;
    f >> l.t >> frame_kw >> l.frame >> l.src >> arrow >> l.dst >> l.type >> len_kw >> l.length;
    EXPECT_TRUE(f && frame_kw == "frame" && arrow == "->" && len_kw == "len") << line;
    std::getline(f >> std::ws, l.description);
    v.push_back(std::move(l));
  }
  return v;
}

std::string host(const std::string& endpoint) { return endpoint.substr(0, endpoint.rfind(':')); }

std::vector<ordered_json> decode_lines(const Bytes& file, const std::string& name, DecodeSummary* summary) {
  DecodeOptions opts;
  opts.output = DecodeOutput::JsonLines;
  std::ostringstream out;
  *summary = run_decode({DecodeInput{name, DecodeInputKind::Auto, file}}, opts, out);
  std::vector<ordered_json> v;
  std::istringstream lines(out.str());
  std::string line;
  while (std::getline(lines, line)) v.push_back(ordered_json::parse(line));
  return v;
}

void expect_capture_matches_listing(const std::string& pcap, const std::string& listing) {
  const auto expected = listed(listing);
  ASSERT_FALSE(expected.empty());
  DecodeSummary s;
  const auto got = decode_lines(file_bytes(pcap), pcap, &s);
  EXPECT_EQ(s.exit_code(), 0);
  EXPECT_EQ(s.messages, expected.size());
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto& e = expected[i];
    const auto& g = got[i];
    SCOPED_TRACE("message " + std::to_string(i + 1) + " frame " + std::to_string(e.frame));
    EXPECT_EQ(g.at("index").get<std::size_t>(), i + 1);
    EXPECT_EQ(g.at("frame").get<std::uint64_t>(), e.frame);
    EXPECT_EQ(host(g.at("src")), e.src);
    EXPECT_EQ(host(g.at("dst")), e.dst);
    EXPECT_EQ(g.at("type"), e.type);
    EXPECT_EQ(g.at("length").get<std::size_t>(), e.length);
    // The listing shows milliseconds since the first message.
    EXPECT_LE(std::fabs(g.at("relativeTime").get<double>() - e.t), 0.0006);
    EXPECT_EQ(g.at("time").get<std::string>().size(), 30u);  // 2024-01-02T03:04:05.123456789Z
    test::expect_matches_description(g, e.description);
  }
}

TEST(PcapReader, FrrCaptureMatchesListing) { expect_capture_matches_listing("frr_evpn.pcap", "frr_evpn.messages.txt"); }

TEST(PcapReader, GobgpCaptureMatchesListing) {
  expect_capture_matches_listing("gobgp_evpn.pcap", "gobgp_evpn.messages.txt");
}

TEST(PcapReader, MessagesAreTheCapturedBytes) {
  const auto c = read_capture(file_bytes("frr_evpn.pcap"));
  EXPECT_EQ(c.format, "pcap (little-endian, microseconds)");
  EXPECT_EQ(c.frames, 69u);
  EXPECT_TRUE(c.problems.empty());
  ASSERT_EQ(c.messages.size(), 22u);
  // frr_open.hex is frame 6; frr_type2_macip.hex frame 39; frr_eor_evpn.hex the second of frame 15.
  EXPECT_EQ(c.messages[0].bytes, test::testdata("frr_open.hex"));
  EXPECT_EQ(c.messages[0].src.to_string(), "10.10.0.1:179");
  EXPECT_EQ(c.messages[0].stream_offset, 0u);
  EXPECT_EQ(c.messages[7].frame, 15u);
  EXPECT_EQ(c.messages[7].bytes, test::testdata("frr_eor_evpn.hex"));
  EXPECT_EQ(c.messages[14].frame, 39u);
  EXPECT_EQ(c.messages[14].bytes, test::testdata("frr_type2_macip.hex"));
  for (const auto& m : c.messages) EXPECT_FALSE(m.header_error);
}

void expect_same_messages(const Capture& got, const Capture& want, bool times) {
  EXPECT_TRUE(got.problems.empty()) << got.problems[0].what;
  ASSERT_EQ(got.messages.size(), want.messages.size());
  for (std::size_t i = 0; i < got.messages.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(got.messages[i].frame, want.messages[i].frame);
    EXPECT_EQ(got.messages[i].src, want.messages[i].src);
    EXPECT_EQ(got.messages[i].dst, want.messages[i].dst);
    EXPECT_EQ(got.messages[i].bytes, want.messages[i].bytes);
    if (times) {
      EXPECT_EQ(got.messages[i].time, want.messages[i].time);
    } else {
      EXPECT_FALSE(got.messages[i].time);
    }
  }
}

TEST(PcapReader, EveryFormatAndLinkTypeGivesTheSameMessages) {
  const auto file = file_bytes("gobgp_evpn.pcap");
  const auto want = read_capture(file);
  ASSERT_EQ(want.messages.size(), 36u);
  const auto recs = test::pcap_records(file);
  ASSERT_EQ(recs.size(), 69u);
  auto relinked = [&](std::uint32_t lt) {
    auto v = recs;
    for (auto& r : v) r.data = test::relink(r.data, lt);
    return v;
  };
  struct Variant {
    std::string name;
    Bytes file;
    bool times = true;
  };
  const std::vector<Variant> variants = {
      {"pcap big-endian", test::write_pcap(recs, 1, true)},
      {"pcap nanoseconds", test::write_pcap(recs, 1, false, true)},
      {"pcap big-endian nanoseconds", test::write_pcap(recs, 1, true, true)},
      {"pcapng", test::write_pcapng(recs, 1)},
      {"pcapng big-endian", test::write_pcapng(recs, 1, true)},
      {"pcapng nanoseconds", test::write_pcapng(recs, 1, false, 9)},
      {"pcapng simple packet blocks", test::write_pcapng(recs, 1, false, 6, true), false},
      {"linux cooked (SLL)", test::write_pcap(relinked(113), 113)},
      {"linux cooked v2 (SLL2)", test::write_pcapng(relinked(276), 276)},
      {"raw IP", test::write_pcap(relinked(101), 101)},
      {"802.1Q tagged", test::write_pcap(relinked(1), 1)},
  };
  for (const auto& v : variants) {
    SCOPED_TRACE(v.name);
    const auto got = read_capture(v.file);
    EXPECT_EQ(got.frames, 69u);
    expect_same_messages(got, want, v.times);
  }
  EXPECT_EQ(read_capture(variants[0].file).format, "pcap (big-endian, microseconds)");
  EXPECT_EQ(read_capture(variants[3].file).format, "pcapng");
}

// A stream of OPEN, KEEPALIVE and UPDATE (97 + 19 + 108 bytes) sent as: SYN; bytes
// 60..130 (ahead of a hole); 0..60 (fills it); 0..60 again (retransmission); 100..224
// (overlaps what we have).
TEST(PcapReader, ReassemblesOutOfOrderRetransmittedAndOverlappingSegments) {
  const auto open = test::testdata("frr_open.hex");
  const auto ka = wire::encode_message(wire::KeepaliveMessage{});
  const auto upd = test::testdata("frr_type2_macip.hex");
  Bytes stream = open;
  stream.insert(stream.end(), ka.begin(), ka.end());
  stream.insert(stream.end(), upd.begin(), upd.end());
  ASSERT_EQ(stream.size(), 224u);
  auto part = [&](std::size_t from, std::size_t to) {
    return Bytes(stream.begin() + static_cast<std::ptrdiff_t>(from), stream.begin() + static_cast<std::ptrdiff_t>(to));
  };
  const std::uint32_t a = 0x0a000001, b = 0x0a000002, isn = 0xFFFFFFF0;  // wraps past 2^32
  std::vector<test::PcapRecord> recs;
  auto add = [&](std::uint32_t seq, std::uint8_t flags, const Bytes& payload) {
    recs.push_back(test::PcapRecord{100, static_cast<std::uint32_t>(recs.size()),
                                    test::tcp_frame(a, b, 40000, 179, seq, flags, payload)});
  };
  add(isn, 0x02, {});
  add(isn + 1 + 60, 0x18, part(60, 130));
  add(isn + 1, 0x18, part(0, 60));
  add(isn + 1, 0x18, part(0, 60));
  add(isn + 1 + 100, 0x18, part(100, 224));
  // A packet of the other direction, and one on another port, are not part of it.
  recs.push_back(test::PcapRecord{100, 9, test::tcp_frame(b, a, 179, 40000, 5, 0x10, {})});
  recs.push_back(test::PcapRecord{100, 10, test::tcp_frame(a, b, 40000, 22, 1, 0x18, ka)});
  const auto c = read_capture(test::write_pcap(recs, 1));
  EXPECT_TRUE(c.problems.empty());
  ASSERT_EQ(c.messages.size(), 3u);
  EXPECT_EQ(c.messages[0].bytes, open);
  EXPECT_EQ(c.messages[0].frame, 3u);  // completed when frame 3 filled the hole
  EXPECT_EQ(c.messages[1].bytes, ka);
  EXPECT_EQ(c.messages[1].frame, 3u);
  EXPECT_EQ(c.messages[1].stream_offset, 97u);
  EXPECT_EQ(c.messages[2].bytes, upd);
  EXPECT_EQ(c.messages[2].frame, 5u);
  EXPECT_EQ(c.messages[2].time, (CaptureTime{100, 4000}));
  EXPECT_EQ(c.messages[2].dst.to_string(), "10.0.0.2:179");

  // The same stream on port 1179 is found only when that port is named.
  recs.resize(5);
  for (auto& r : recs)
    r.data = test::tcp_frame(test::be32(r.data, 26), test::be32(r.data, 30), 40000, 1179, test::be32(r.data, 38),
                             r.data[47], Bytes(r.data.begin() + 54, r.data.end()));
  const auto file = test::write_pcap(recs, 1);
  EXPECT_TRUE(read_capture(file).messages.empty());
  const std::uint16_t ports[] = {1179};
  EXPECT_EQ(read_capture(file, {}, ports).messages.size(), 3u);
}

TEST(PcapReader, StreamWithoutSynStartingMidMessage) {
  const auto upd = test::testdata("frr_type2_macip.hex");
  const auto ka = wire::encode_message(wire::KeepaliveMessage{});
  Bytes payload(upd.end() - 30, upd.end());
  payload.insert(payload.end(), ka.begin(), ka.end());
  const auto c = read_capture(
      test::write_pcap({test::PcapRecord{1, 0, test::tcp_frame(1, 2, 179, 5000, 777, 0x18, payload)}}, 1));
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].bytes, ka);
  EXPECT_EQ(c.messages[0].stream_offset, 30u);
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_EQ(c.problems[0].frame, 1u);
  EXPECT_NE(c.problems[0].what.find("skipped 30 bytes at stream offset 0"), std::string::npos) << c.problems[0].what;
}

TEST(PcapReader, LostSegmentIsReportedAndTheRestStillDecodes) {
  const auto file = file_bytes("frr_evpn.pcap");
  const auto full = read_capture(file);
  auto recs = test::pcap_records(file);
  // Frame 25 carries the 104-byte type-2 UPDATE from 10.10.0.1.
  recs.erase(recs.begin() + 24);
  const auto c = read_capture(test::write_pcap(recs, 1));
  ASSERT_EQ(c.messages.size(), full.messages.size() - 1);
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_NE(c.problems[0].what.find("104 bytes at stream offset"), std::string::npos) << c.problems[0].what;
  EXPECT_NE(c.problems[0].what.find("missing from the capture"), std::string::npos);
  // Frames after the removed one are numbered one lower; the content is the same.
  std::size_t j = 0;
  for (std::size_t i = 0; i < full.messages.size(); ++i) {
    if (full.messages[i].frame == 25) continue;
    SCOPED_TRACE(i);
    EXPECT_EQ(c.messages[j].bytes, full.messages[i].bytes);
    EXPECT_EQ(c.messages[j].frame, full.messages[i].frame - (full.messages[i].frame > 25 ? 1 : 0));
    ++j;
  }
}

TEST(PcapReader, Ipv6WithExtensionHeader) {
  const auto ka = wire::encode_message(wire::KeepaliveMessage{});
  Bytes f = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xDD};
  const auto plen = static_cast<std::uint16_t>(8 + 20 + ka.size());
  f.insert(f.end(), {0x60, 0, 0, 0, static_cast<std::uint8_t>(plen >> 8), static_cast<std::uint8_t>(plen), 0, 64});
  Bytes src(16, 0), dst(16, 0);
  src[0] = dst[0] = 0x20;
  src[1] = dst[1] = 0x01;
  src[2] = dst[2] = 0x0d;
  src[3] = dst[3] = 0xb8;
  src[15] = 1;
  dst[15] = 2;
  f.insert(f.end(), src.begin(), src.end());
  f.insert(f.end(), dst.begin(), dst.end());
  f.insert(f.end(), {6, 0, 1, 4, 0, 0, 0, 0});  // hop-by-hop: next TCP, PadN
  const auto tcp = test::tcp_frame(0, 0, 179, 40001, 1, 0x18, ka);
  f.insert(f.end(), tcp.begin() + 34, tcp.end());
  const auto c = read_capture(test::write_pcap({test::PcapRecord{5, 0, f}}, 1));
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].src.to_string(), "[2001:db8::1]:179");
  EXPECT_EQ(c.messages[0].dst.to_string(), "[2001:db8::2]:40001");
  EXPECT_EQ(c.messages[0].bytes, ka);
}

TEST(PcapReader, TruncatedFilesReportAndKeepWhatCameBefore) {
  for (const auto& name : {std::string("frr_evpn.pcap"), std::string("pcapng")}) {
    auto file = file_bytes("frr_evpn.pcap");
    if (name == "pcapng") file = test::write_pcapng(test::pcap_records(file), 1);
    const auto full = read_capture(file);
    for (std::size_t cut = 0; cut < file.size(); cut += (cut < 200 ? 1 : 7)) {
      SCOPED_TRACE(name + " cut at " + std::to_string(cut));
      const auto c = read_capture(wire::ByteSpan(file).first(cut));
      ASSERT_LE(c.messages.size(), full.messages.size());
      for (std::size_t i = 0; i < c.messages.size(); ++i) {
        EXPECT_EQ(c.messages[i].bytes, full.messages[i].bytes);
        EXPECT_EQ(c.messages[i].frame, full.messages[i].frame);
      }
      // Either the cut fell between records (and the listing is only shorter) or it is reported.
      if (c.problems.empty()) { EXPECT_LT(c.frames, full.frames); }
    }
  }
  const auto file = file_bytes("frr_evpn.pcap");
  const auto c = read_capture(wire::ByteSpan(file).first(3000));
  ASSERT_FALSE(c.problems.empty());
  EXPECT_NE(c.problems.back().what.find("truncated capture"), std::string::npos) << c.problems.back().what;
  DecodeSummary s;
  decode_lines(Bytes(file.begin(), file.begin() + 3000), "cut.pcap", &s);
  EXPECT_EQ(s.exit_code(), 1);
  EXPECT_EQ(s.problems, c.problems.size());
}

TEST(PcapReader, RandomAndMutatedInputsNeverCrash) {
  std::mt19937 rng(7);
  auto random_bytes = [&](std::size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return b;
  };
  for (int i = 0; i < 200; ++i) {
    const auto b = random_bytes(rng() % 3000);
    const auto c = read_capture(b);
    if (!is_capture(b)) {
      ASSERT_EQ(c.problems.size(), 1u);
      EXPECT_EQ(c.problems[0].what, "not a pcap or pcapng file (no magic number at the start)");
    }
    DecodeSummary s;
    decode_lines(b, "random", &s);
    EXPECT_EQ(s.exit_code(), 1);  // random bytes are neither a capture nor hex
  }
  // Valid headers, random records.
  const auto real = file_bytes("frr_evpn.pcap");
  const auto pcap_header = Bytes(real.begin(), real.begin() + 24);
  const auto ng_header = test::write_pcapng({}, 1);
  for (int i = 0; i < 300; ++i) {
    Bytes b = i % 2 ? pcap_header : ng_header;
    const auto tail = random_bytes(rng() % 2000);
    b.insert(b.end(), tail.begin(), tail.end());
    (void)read_capture(b);
  }
  // The real captures with a few bytes changed.
  const std::vector<Bytes> bases = {file_bytes("gobgp_evpn.pcap"),
                                    test::write_pcapng(test::pcap_records(file_bytes("frr_evpn.pcap")), 1)};
  for (const auto& base : bases) {
    for (int i = 0; i < 300; ++i) {
      Bytes b = base;
      for (int k = 0; k < 1 + i % 8; ++k) b[rng() % b.size()] = static_cast<std::uint8_t>(rng());
      const auto c = read_capture(b);
      for (const auto& m : c.messages) {
        if (m.header_error) continue;
        // Whatever was framed is a whole message whose length field says so.
        ASSERT_GE(m.bytes.size(), wire::kHeaderSize);
        EXPECT_EQ(std::size_t{m.bytes[16]} << 8 | m.bytes[17], m.bytes.size());
      }
    }
  }
}

TEST(PcapReader, UnsupportedLinkTypeIsReportedOnce) {
  auto recs = test::pcap_records(file_bytes("frr_evpn.pcap"));
  const auto c = read_capture(test::write_pcap(recs, 147));
  EXPECT_TRUE(c.messages.empty());
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_EQ(c.problems[0].what, "link type 147 is not supported; its packets are skipped");
}

}  // namespace
}  // namespace evpnd::cli
