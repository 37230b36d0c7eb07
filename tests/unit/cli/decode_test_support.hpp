#pragma once
// Helpers for the evpnd-decode tests: re-wrapping the packets of a captured pcap into
// other formats and link types, building TCP packets around chosen bytes, and checking
// a message's JSON against the one-line descriptions of tests/testdata (the '#' header
// of each .hex file and the lines of *.messages.txt).
#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace evpnd::test {

using Bytes = std::vector<std::uint8_t>;

struct PcapRecord {
  std::uint32_t sec = 0;
  std::uint32_t usec = 0;
  Bytes data;  // an Ethernet frame
};

inline std::uint32_t get_le32(const Bytes& b, std::size_t at) {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (std::uint32_t{b[at + 3]} << 24);
}

inline std::uint32_t be32(const Bytes& b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
}

// The records of a little-endian microsecond pcap (the captures in testdata).
inline std::vector<PcapRecord> pcap_records(const Bytes& file) {
  std::vector<PcapRecord> v;
  std::size_t pos = 24;
  while (pos + 16 <= file.size()) {
    PcapRecord r;
    r.sec = get_le32(file, pos);
    r.usec = get_le32(file, pos + 4);
    const std::uint32_t len = get_le32(file, pos + 8);
    pos += 16;
    if (len > file.size() - pos) break;
    const auto at = file.begin() + static_cast<std::ptrdiff_t>(pos);
    r.data.assign(at, at + static_cast<std::ptrdiff_t>(len));
    pos += len;
    v.push_back(std::move(r));
  }
  return v;
}

inline void put32(Bytes& out, std::uint32_t v, bool big) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(big ? v >> (24 - 8 * i) : v >> (8 * i)));
}
inline void put16(Bytes& out, std::uint16_t v, bool big) {
  out.push_back(static_cast<std::uint8_t>(big ? v >> 8 : v));
  out.push_back(static_cast<std::uint8_t>(big ? v : v >> 8));
}

inline Bytes write_pcap(const std::vector<PcapRecord>& recs, std::uint32_t linktype, bool big = false,
                        bool nano = false) {
  Bytes out;
  put32(out, nano ? 0xa1b23c4d : 0xa1b2c3d4, big);
  put16(out, 2, big);
  put16(out, 4, big);
  put32(out, 0, big);
  put32(out, 0, big);
  put32(out, 262144, big);
  put32(out, linktype, big);
  for (const auto& r : recs) {
    put32(out, r.sec, big);
    put32(out, nano ? r.usec * 1000 : r.usec, big);
    put32(out, static_cast<std::uint32_t>(r.data.size()), big);
    put32(out, static_cast<std::uint32_t>(r.data.size()), big);
    out.insert(out.end(), r.data.begin(), r.data.end());
  }
  return out;
}

// pcapng: SHB, one IDB (with if_tsresol when tsresol != 6), then one EPB per record
// (or SPBs when `simple`).
inline Bytes write_pcapng(const std::vector<PcapRecord>& recs, std::uint32_t linktype, bool big = false,
                          std::uint8_t tsresol = 6, bool simple = false) {
  Bytes out;
  auto block = [&](std::uint32_t type, const Bytes& body) {
    Bytes padded = body;
    while (padded.size() % 4) padded.push_back(0);
    const auto total = static_cast<std::uint32_t>(padded.size() + 12);
    put32(out, type, big);
    put32(out, total, big);
    out.insert(out.end(), padded.begin(), padded.end());
    put32(out, total, big);
  };
  Bytes shb;
  put32(shb, 0x1a2b3c4d, big);
  put16(shb, 1, big);
  put16(shb, 0, big);
  put32(shb, 0xffffffff, big);
  put32(shb, 0xffffffff, big);
  block(0x0a0d0d0a, shb);
  Bytes idb;
  put16(idb, static_cast<std::uint16_t>(linktype), big);
  put16(idb, 0, big);
  put32(idb, 262144, big);
  if (tsresol != 6) {
    put16(idb, 9, big);
    put16(idb, 1, big);
    idb.insert(idb.end(), {tsresol, 0, 0, 0});
    put16(idb, 0, big);
    put16(idb, 0, big);
  }
  block(1, idb);
  std::uint64_t per_sec = 1;
  for (int i = 0; i < tsresol; ++i) per_sec *= 10;
  for (const auto& r : recs) {
    Bytes b;
    if (simple) {
      put32(b, static_cast<std::uint32_t>(r.data.size()), big);
    } else {
      const std::uint64_t ts = std::uint64_t{r.sec} * per_sec + std::uint64_t{r.usec} * per_sec / 1000000;
      put32(b, 0, big);
      put32(b, static_cast<std::uint32_t>(ts >> 32), big);
      put32(b, static_cast<std::uint32_t>(ts), big);
      put32(b, static_cast<std::uint32_t>(r.data.size()), big);
      put32(b, static_cast<std::uint32_t>(r.data.size()), big);
    }
    b.insert(b.end(), r.data.begin(), r.data.end());
    block(simple ? 3 : 6, b);
  }
  return out;
}

// Re-frames an Ethernet frame (without VLAN tags) for another link type.
inline Bytes relink(const Bytes& eth, std::uint32_t linktype) {
  const Bytes ip(eth.begin() + 14, eth.end());
  Bytes out;
  switch (linktype) {
    case 113:  // SLL: packet type, ARPHRD, address length, 8 address bytes, protocol
      out = {0, 0, 0, 1, 0, 6};
      out.insert(out.end(), eth.begin() + 6, eth.begin() + 12);
      out.insert(out.end(), {0, 0, eth[12], eth[13]});
      break;
    case 276:  // SLL2: protocol, reserved, ifindex, ARPHRD, packet type, address length, 8 address bytes
      out = {eth[12], eth[13], 0, 0, 0, 0, 0, 2, 0, 1, 0, 6};
      out.insert(out.end(), eth.begin() + 6, eth.begin() + 12);
      out.insert(out.end(), {0, 0});
      break;
    case 101: break;
    case 1: {  // add an 802.1Q tag
      out.assign(eth.begin(), eth.begin() + 12);
      out.insert(out.end(), {0x81, 0x00, 0x00, 0x64, eth[12], eth[13]});
      break;
    }
    default: break;
  }
  out.insert(out.end(), ip.begin(), ip.end());
  return out;
}

// An Ethernet/IPv4/TCP frame (checksums left zero: the reader does not check them).
inline Bytes tcp_frame(std::uint32_t src, std::uint32_t dst, std::uint16_t sport, std::uint16_t dport,
                       std::uint32_t seq, std::uint8_t flags, const Bytes& payload) {
  Bytes f = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
  const auto total = static_cast<std::uint16_t>(20 + 20 + payload.size());
  f.insert(f.end(), {0x45, 0, static_cast<std::uint8_t>(total >> 8), static_cast<std::uint8_t>(total), 0, 0, 0x40, 0,
                     64, 6, 0, 0});
  put32(f, src, true);
  put32(f, dst, true);
  put16(f, sport, true);
  put16(f, dport, true);
  put32(f, seq, true);
  put32(f, 0, true);
  f.insert(f.end(), {0x50, flags, 0xff, 0xff, 0, 0, 0, 0});
  f.insert(f.end(), payload.begin(), payload.end());
  return f;
}

// ---- Descriptions of messages (testdata README) ----

inline std::vector<std::string> split(const std::string& s, const std::string& sep) {
  std::vector<std::string> v;
  std::size_t start = 0;
  for (;;) {
    const auto p = s.find(sep, start);
    v.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) return v;
    start = p + sep.size();
  }
}

inline std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> v;
  std::string w;
  while (in >> w) v.push_back(w);
  return v;
}

// The JSON of one EVPN route against "type-2 rd 10.0.0.1:2 esi 0 etag 0 mac ... ip - label 100".
inline void expect_route(const nlohmann::ordered_json& r, const std::string& spec) {
  SCOPED_TRACE(spec);
  const auto w = words(spec);
  ASSERT_GE(w.size(), 1u);
  EXPECT_EQ(r.at("routeType").get<int>(), std::stoi(w[0].substr(5)));
  for (std::size_t i = 1; i + 1 < w.size(); i += 2) {
    const auto& k = w[i];
    const auto& v = w[i + 1];
    if (k == "rd") { EXPECT_EQ(r.at("rd"), v); }
    if (k == "esi") { EXPECT_EQ(r.at("esi"), v == "0" ? "00:00:00:00:00:00:00:00:00:00" : v); }
    if (k == "etag") { EXPECT_EQ(r.at("ethTag").get<std::uint32_t>(), std::stoul(v)); }
    if (k == "mac") { EXPECT_EQ(r.at("mac"), v); }
    if (k == "ip") {
      if (v == "-") {
        EXPECT_FALSE(r.contains("ip"));
        EXPECT_EQ(r.at("ipLen"), 0);
      } else {
        EXPECT_EQ(r.at("ip"), v);
      }
    }
    if (k == "label") { EXPECT_EQ(r.at("label").get<std::uint32_t>(), std::stoul(v)); }
    if (k == "orig") { EXPECT_EQ(r.at("originatingIp"), v); }
  }
}

inline void expect_open(const nlohmann::ordered_json& j, const std::string& desc) {
  const auto w = words(desc);  // OPEN v4 as N hold N rid A caps ...
  ASSERT_GE(w.size(), 9u);
  EXPECT_EQ(j.at("type"), "OPEN");
  EXPECT_EQ("v" + std::to_string(j.at("version").get<int>()), w[1]);
  EXPECT_EQ(j.at("asn").get<std::uint32_t>(), std::stoul(w[3]));
  EXPECT_EQ(j.at("holdTime").get<int>(), std::stoi(w[5]));
  EXPECT_EQ(j.at("bgpId"), w[7]);
  const auto& caps = j.at("capabilities");
  ASSERT_EQ(caps.size(), w.size() - 9);
  for (std::size_t i = 9; i < w.size(); ++i) {
    const auto& c = caps[i - 9];
    const std::string tok = w[i];
    SCOPED_TRACE(tok);
    const auto paren = tok.find('(');
    const std::string name = tok.substr(0, paren);
    const std::string arg = paren == std::string::npos ? "" : tok.substr(paren + 1, tok.size() - paren - 2);
    static const std::vector<std::pair<std::string, std::string>> kNames = {
        {"MP", "multiprotocol"},  {"RR-old", "route-refresh-old"}, {"RR", "route-refresh"},
        {"ENHRR", "enhanced-route-refresh"}, {"AS4", "four-octet-as"}, {"EXTMSG", "extended-message"},
        {"ADDPATH", "add-path"},  {"FQDN", "fqdn"},                 {"GR", "graceful-restart"},
        {"LLGR", "long-lived-graceful-restart"}, {"ENH-NH", "extended-next-hop"}};
    std::string expected;
    for (const auto& [k, v] : kNames)
      if (k == name) expected = v;
    ASSERT_FALSE(expected.empty()) << "unknown capability token " << tok;
    EXPECT_EQ(c.at("name"), expected);
    if (name == "MP") {
      const auto parts = split(arg, "/");
      EXPECT_EQ(c.at("afi").get<int>(), std::stoi(parts[0]));
      EXPECT_EQ(c.at("safi").get<int>(), std::stoi(parts[1]));
    }
    if (name == "AS4") { EXPECT_EQ(c.at("asn").get<std::uint32_t>(), std::stoul(arg)); }
  }
}

// The JSON of a decoded message (message_json, or a run_decode line) against a
// description: "OPEN v4 ...", "KEEPALIVE", "UPDATE End-of-RIB l2vpn/evpn", or
// "ANNOUNCE ...; WITHDRAW ...; nh X; origin O; as_path [..]; extcomm ..; PMSI ..; attr order ..".
inline void expect_matches_description(const nlohmann::ordered_json& j, const std::string& desc) {
  SCOPED_TRACE(desc);
  ASSERT_FALSE(j.contains("error")) << j.dump();
  if (desc.rfind("OPEN", 0) == 0) return expect_open(j, desc);
  if (desc == "KEEPALIVE") {
    EXPECT_EQ(j.at("type"), "KEEPALIVE");
    return;
  }
  ASSERT_EQ(j.at("type"), "UPDATE");
  EXPECT_EQ(j.at("action"), "none");
  EXPECT_TRUE(j.at("findings").empty());
  const auto& a = j.at("attributes");
  if (desc.rfind("UPDATE End-of-RIB ", 0) == 0) {
    std::string fam = desc.substr(18);
    fam[fam.find('/')] = '-';
    EXPECT_EQ(j.at("endOfRib"), fam);
    EXPECT_TRUE(a.at("mpUnreach").at("nlri").empty());
    return;
  }
  EXPECT_FALSE(j.contains("endOfRib"));
  std::size_t announced = 0, withdrawn = 0;
  bool pmsi = false;
  for (const auto& part : split(desc, "; ")) {
    if (part.rfind("ANNOUNCE ", 0) == 0) {
      const auto& nlri = a.at("mpReach").at("nlri");
      ASSERT_LT(announced, nlri.size());
      expect_route(nlri[announced++], part.substr(9));
    } else if (part.rfind("WITHDRAW ", 0) == 0) {
      const auto& nlri = a.at("mpUnreach").at("nlri");
      ASSERT_LT(withdrawn, nlri.size());
      expect_route(nlri[withdrawn++], part.substr(9));
    } else if (part.rfind("nh ", 0) == 0) {
      EXPECT_EQ(a.at("mpReach").at("nextHop"), part.substr(3));
    } else if (part.rfind("origin ", 0) == 0) {
      const std::string o = part.substr(7);
      EXPECT_EQ(a.at("origin"), o == "INCOMPLETE" ? "incomplete" : o);
    } else if (part.rfind("as_path [", 0) == 0) {
      EXPECT_EQ(a.at("asPath").at("string"), part.substr(9, part.size() - 10));
    } else if (part.rfind("extcomm ", 0) == 0) {
      const auto ecs = words(part.substr(8));
      const auto& list = a.at("extendedCommunity").at("list");
      ASSERT_EQ(list.size(), ecs.size());
      for (std::size_t i = 0; i < ecs.size(); ++i) {
        SCOPED_TRACE(ecs[i]);
        if (ecs[i] == "ENCAP:VXLAN") {
          EXPECT_EQ(list[i].at("kind"), "encapsulation");
          EXPECT_EQ(list[i].at("tunnelType"), 8);
          EXPECT_EQ(list[i].at("string"), "ET:8");
        } else if (ecs[i].rfind("RT:", 0) == 0) {
          EXPECT_EQ(list[i].at("kind"), "route-target");
          EXPECT_EQ(list[i].at("value"), ecs[i].substr(3));
          EXPECT_EQ(list[i].at("string"), ecs[i]);
        } else if (ecs[i].rfind("MAC-MOBILITY:seq=", 0) == 0) {
          EXPECT_EQ(list[i].at("kind"), "mac-mobility");
          EXPECT_EQ(list[i].at("sequence").get<std::uint32_t>(), std::stoul(ecs[i].substr(17)));
          EXPECT_EQ(list[i].at("sticky"), false);
        } else {
          ADD_FAILURE() << "unknown community token";
        }
      }
    } else if (part.rfind("PMSI ", 0) == 0) {
      pmsi = true;
      ASSERT_TRUE(a.contains("pmsiTunnel"));
      const auto& p = a.at("pmsiTunnel");
      for (const auto& kv : words(part.substr(5))) {
        const auto eq = kv.find('=');
        const std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
        if (k == "flags") { EXPECT_EQ(p.at("flags").get<int>(), std::stoi(v)); }
        if (k == "type") { EXPECT_EQ(p.at("tunnelTypeName"), v); }
        if (k == "label") { EXPECT_EQ(p.at("label").get<std::uint32_t>(), std::stoul(v)); }
        if (k == "tunnel") { EXPECT_EQ(p.at("tunnelId"), v); }
      }
    } else if (part.rfind("attr order ", 0) == 0) {
      const auto types = split(part.substr(11), ",");
      const auto& order = a.at("order");
      ASSERT_EQ(order.size(), types.size());
      for (std::size_t i = 0; i < types.size(); ++i) EXPECT_EQ(order[i].at("type").get<int>(), std::stoi(types[i]));
    } else {
      ADD_FAILURE() << "unknown description part: " << part;
    }
  }
  EXPECT_EQ(announced, a.contains("mpReach") ? a.at("mpReach").at("nlri").size() : 0u);
  EXPECT_EQ(withdrawn, a.contains("mpUnreach") ? a.at("mpUnreach").at("nlri").size() : 0u);
  EXPECT_EQ(pmsi, a.contains("pmsiTunnel"));
}

}  // namespace evpnd::test
