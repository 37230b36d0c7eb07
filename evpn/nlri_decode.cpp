// EVPN NLRI decoder. The hot path (Type-2 from a full 4096-byte UPDATE, ~98 NLRI) does one
// bounds check per NLRI for the framing and one exact-length check per route type, then
// reads fields straight from the span: no allocation, no per-field optional. See nlri.hpp
// for the accepted lengths and the error policy.
#include <array>
#include <cstring>
#include <string>

#include "evpn/nlri.hpp"

#include "evpn/byte_order.hpp"

namespace evpnd::evpn {

namespace {

using wire::DecodeError;

constexpr std::size_t kRdLen = 8;
constexpr std::size_t kEsiLen = 10;
constexpr std::size_t kEtagLen = 4;
constexpr std::size_t kLabelLen = 3;

using detail::be24;
using detail::be32;

RouteDistinguisher read_rd(const std::uint8_t* p) {
  RouteDistinguisher rd;
  rd.type = static_cast<std::uint16_t>((p[0] << 8) | p[1]);
  std::memcpy(rd.value.data(), p + 2, rd.value.size());
  return rd;
}
EthernetSegmentId read_esi(const std::uint8_t* p) {
  EthernetSegmentId e;
  std::memcpy(e.bytes.data(), p, e.bytes.size());
  return e;
}
MacAddress read_mac(const std::uint8_t* p) {
  MacAddress m;
  std::memcpy(m.bytes.data(), p, m.bytes.size());
  return m;
}
// IP of 4 or 16 bytes.
wire::IpAddress read_ip(const std::uint8_t* p, std::size_t n) {
  if (n == 4) return wire::IpAddress::v4(be32(p));
  std::array<std::uint8_t, 16> b;
  std::memcpy(b.data(), p, 16);
  return wire::IpAddress::v6(b);
}

// Reuses the alternative already in the variant when it matches (no destroy/construct).
template <class T>
T& slot(EvpnRoute& r) {
  if (auto* t = std::get_if<T>(&r)) return *t;
  return r.emplace<T>();
}

DecodeError nlri_error(std::size_t offset, std::string why) {
  return DecodeError::make(wire::ErrorCode::UpdateMessage,
                           static_cast<std::uint8_t>(wire::UpdateSubcode::OptionalAttributeError), offset,
                           std::move(why));
}

std::string type_prefix(int type, std::size_t len) {
  return "EVPN Type-" + std::to_string(type) + " NLRI (length " + std::to_string(len) + "): ";
}

// Each body decoder gets exactly the route's body (`len` bytes at `p`) and returns false
// with `why` set when the body is invalid.

bool decode_type1(const std::uint8_t* p, std::size_t len, EvpnRoute& out, std::string& why) {
  // RFC 7432 §7.1: RD, ESI, Ethernet Tag, MPLS label.
  if (len != kRdLen + kEsiLen + kEtagLen + kLabelLen) {
    why = "length is not 25";
    return false;
  }
  auto& r = slot<EadRoute>(out);
  r.rd = read_rd(p);
  r.esi = read_esi(p + 8);
  r.etag = EthernetTag{be32(p + 18)};
  r.label = Label{be24(p + 22)};
  return true;
}

bool decode_type2(const std::uint8_t* p, std::size_t len, EvpnRoute& out, std::string& why) {
  // RFC 7432 §7.2: RD, ESI, Ethernet Tag, MAC length (bits), MAC, IP length (bits), IP,
  // label 1, optional label 2.
  constexpr std::size_t kFixed = kRdLen + kEsiLen + kEtagLen + 1 + 6 + 1;  // 30
  switch (len) {
    case 33: case 36: case 37: case 40: case 49: case 52: break;
    default:
      why = "length is not 33, 36, 37, 40, 49 or 52";
      return false;
  }
  const std::uint8_t mac_bits = p[22];
  if (mac_bits != 48) {
    why = "MAC address length " + std::to_string(mac_bits) + " is not 48";
    return false;
  }
  const std::uint8_t ip_bits = p[29];
  if (ip_bits != 0 && ip_bits != 32 && ip_bits != 128) {
    why = "IP address length " + std::to_string(ip_bits) + " is not 0, 32 or 128";
    return false;
  }
  const std::size_t ip_len = ip_bits / 8;
  if (kFixed + ip_len + 3 != len && kFixed + ip_len + 6 != len) {
    why = "IP address length " + std::to_string(ip_bits) + " does not match the NLRI length";
    return false;
  }
  auto& r = slot<MacIpRoute>(out);
  r.rd = read_rd(p);
  r.esi = read_esi(p + 8);
  r.etag = EthernetTag{be32(p + 18)};
  r.mac = read_mac(p + 23);
  const std::uint8_t* q = p + kFixed;
  if (ip_len) {
    r.ip = read_ip(q, ip_len);
    q += ip_len;
  } else {
    r.ip.reset();
  }
  r.label1 = Label{be24(q)};
  if (len - kFixed - ip_len == 6) r.label2 = Label{be24(q + 3)};
  else r.label2.reset();
  return true;
}

// Originating router IP with its length in bits (Type-3 and Type-4), `at` = length octet.
bool check_orig_ip(const std::uint8_t* p, std::size_t at, std::size_t len, std::string& why) {
  const std::uint8_t bits = p[at];
  const std::size_t want = bits == 32 ? 4 : bits == 128 ? 16 : 0;
  if (want == 0) {
    why = "originating router IP length " + std::to_string(bits) + " is not 32 or 128";
    return false;
  }
  if (at + 1 + want != len) {
    why = "originating router IP length " + std::to_string(bits) + " does not match the NLRI length";
    return false;
  }
  return true;
}

bool decode_type3(const std::uint8_t* p, std::size_t len, EvpnRoute& out, std::string& why) {
  // RFC 7432 §7.3: RD, Ethernet Tag, IP length, originating router's IP.
  if (len != 17 && len != 29) {
    why = "length is not 17 or 29";
    return false;
  }
  if (!check_orig_ip(p, 12, len, why)) return false;
  auto& r = slot<ImetRoute>(out);
  r.rd = read_rd(p);
  r.etag = EthernetTag{be32(p + 8)};
  r.originating_ip = read_ip(p + 13, len - 13);
  return true;
}

bool decode_type4(const std::uint8_t* p, std::size_t len, EvpnRoute& out, std::string& why) {
  // RFC 7432 §7.4: RD, ESI, IP length, originating router's IP.
  if (len != 23 && len != 35) {
    why = "length is not 23 or 35";
    return false;
  }
  if (!check_orig_ip(p, 18, len, why)) return false;
  auto& r = slot<EsRoute>(out);
  r.rd = read_rd(p);
  r.esi = read_esi(p + 8);
  r.originating_ip = read_ip(p + 19, len - 19);
  return true;
}

bool decode_type5(const std::uint8_t* p, std::size_t len, EvpnRoute& out, std::string& why) {
  // RFC 9136 §3.1: RD, ESI, Ethernet Tag, IP prefix length, IP prefix, GW IP, label. The
  // family is given by the total length (prefix and gateway are of the same family).
  if (len != 34 && len != 58) {
    why = "length is not 34 or 58";
    return false;
  }
  const std::size_t ip_len = len == 34 ? 4 : 16;
  const std::uint8_t plen = p[22];
  if (plen > ip_len * 8) {
    why = "IP prefix length " + std::to_string(plen) + " exceeds " + std::to_string(ip_len * 8);
    return false;
  }
  auto& r = slot<IpPrefixRoute>(out);
  r.rd = read_rd(p);
  r.esi = read_esi(p + 8);
  r.etag = EthernetTag{be32(p + 18)};
  r.prefix_length = plen;
  r.prefix = read_ip(p + 23, ip_len);
  r.gateway = read_ip(p + 23 + ip_len, ip_len);
  r.label = Label{be24(p + 23 + 2 * ip_len)};
  return true;
}

}  // namespace

namespace detail {

bool decode_one_evpn_nlri(wire::Reader& r, bool add_path, EvpnNlri& out, DecodeError& err) {
  const std::size_t start = r.offset();
  if (add_path) {
    auto id = r.u32();
    if (!id) {
      err = nlri_error(start, "EVPN NLRI: " + std::to_string(r.remaining()) +
                                  " byte(s) left, too short for an ADD-PATH path identifier");
      return false;
    }
    out.path_id = *id;
  } else {
    out.path_id.reset();
  }
  auto type = r.u8();
  auto len = r.u8();
  if (!type || !len) {
    err = nlri_error(start, "EVPN NLRI: truncated route type / length header");
    return false;
  }
  auto body = r.bytes(*len);
  if (!body) {
    err = nlri_error(start, "EVPN Type-" + std::to_string(*type) + " NLRI: length " + std::to_string(*len) +
                                " runs past the end of the NLRI field (" + std::to_string(r.remaining()) +
                                " byte(s) left)");
    return false;
  }
  const std::uint8_t* p = body->data();
  std::string why;
  bool ok = true;
  switch (*type) {
    case 1: ok = decode_type1(p, *len, out.route, why); break;
    case 2: ok = decode_type2(p, *len, out.route, why); break;
    case 3: ok = decode_type3(p, *len, out.route, why); break;
    case 4: ok = decode_type4(p, *len, out.route, why); break;
    case 5: ok = decode_type5(p, *len, out.route, why); break;
    default: {
      auto& u = slot<UnknownRoute>(out.route);
      u.type = *type;
      u.body.assign(body->begin(), body->end());
      break;
    }
  }
  if (!ok) {
    err = nlri_error(start, type_prefix(*type, *len) + why);
    return false;
  }
  return true;
}

}  // namespace detail

wire::Result<std::vector<EvpnNlri>, wire::DecodeError> decode_evpn_nlris(wire::ByteSpan data, bool add_path,
                                                                         std::size_t base_offset) {
  std::vector<EvpnNlri> out;
  // Estimate: a MAC-only Type-2 is 35 bytes on the wire, the common smallest NLRI.
  out.reserve(data.size() / 35 + 1);
  auto res = for_each_evpn_nlri(data, add_path, base_offset, [&](const EvpnNlri& n) { out.push_back(n); });
  if (!res) return wire::fail(std::move(res.error()));
  return out;
}

}  // namespace evpnd::evpn
