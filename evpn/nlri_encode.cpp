// EVPN NLRI encoder: the exact inverse of nlri_decode.cpp. Each NLRI is sized first, the
// output grown once, and the fields written in place (this runs for every NLRI of every
// outgoing UPDATE).
#include <cassert>
#include <cstring>

#include "evpn/nlri.hpp"

namespace evpnd::evpn {

namespace {

std::uint8_t* put32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
  return p + 4;
}
std::uint8_t* put24(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 16);
  p[1] = static_cast<std::uint8_t>(v >> 8);
  p[2] = static_cast<std::uint8_t>(v);
  return p + 3;
}
std::uint8_t* put_rd(std::uint8_t* p, const RouteDistinguisher& rd) {
  p[0] = static_cast<std::uint8_t>(rd.type >> 8);
  p[1] = static_cast<std::uint8_t>(rd.type);
  std::memcpy(p + 2, rd.value.data(), rd.value.size());
  return p + 8;
}
std::uint8_t* put_esi(std::uint8_t* p, const EthernetSegmentId& e) {
  std::memcpy(p, e.bytes.data(), e.bytes.size());
  return p + e.bytes.size();
}
std::uint8_t* put_ip(std::uint8_t* p, const wire::IpAddress& a) {
  std::memcpy(p, a.data(), a.size());
  return p + a.size();
}
std::uint8_t ip_bits(const wire::IpAddress& a) { return a.is_v4() ? 32 : 128; }

std::size_t body_size(const EvpnRoute& route) {
  struct Sizer {
    std::size_t operator()(const EadRoute&) const { return 25; }
    std::size_t operator()(const MacIpRoute& r) const {
      return 33 + (r.ip ? r.ip->size() : 0) + (r.label2 ? 3 : 0);
    }
    std::size_t operator()(const ImetRoute& r) const { return 13 + r.originating_ip.size(); }
    std::size_t operator()(const EsRoute& r) const { return 19 + r.originating_ip.size(); }
    std::size_t operator()(const IpPrefixRoute& r) const { return r.prefix.is_v4() ? 34 : 58; }
    std::size_t operator()(const UnknownRoute& r) const { return r.body.size(); }
  };
  return std::visit(Sizer{}, route);
}

struct BodyWriter {
  std::uint8_t* p;

  void operator()(const EadRoute& r) {
    p = put_rd(p, r.rd);
    p = put_esi(p, r.esi);
    p = put32(p, r.etag.value);
    p = put24(p, r.label.raw);
  }
  void operator()(const MacIpRoute& r) {
    p = put_rd(p, r.rd);
    p = put_esi(p, r.esi);
    p = put32(p, r.etag.value);
    *p++ = 48;
    std::memcpy(p, r.mac.bytes.data(), 6);
    p += 6;
    if (r.ip) {
      *p++ = ip_bits(*r.ip);
      p = put_ip(p, *r.ip);
    } else {
      *p++ = 0;
    }
    p = put24(p, r.label1.raw);
    if (r.label2) p = put24(p, r.label2->raw);
  }
  void operator()(const ImetRoute& r) {
    p = put_rd(p, r.rd);
    p = put32(p, r.etag.value);
    *p++ = ip_bits(r.originating_ip);
    p = put_ip(p, r.originating_ip);
  }
  void operator()(const EsRoute& r) {
    p = put_rd(p, r.rd);
    p = put_esi(p, r.esi);
    *p++ = ip_bits(r.originating_ip);
    p = put_ip(p, r.originating_ip);
  }
  void operator()(const IpPrefixRoute& r) {
    p = put_rd(p, r.rd);
    p = put_esi(p, r.esi);
    p = put32(p, r.etag.value);
    *p++ = r.prefix_length;
    p = put_ip(p, r.prefix);
    // The gateway shares the prefix's family (RFC 9136 §3.1); a mismatched one is a
    // caller bug, written as "no gateway" (zeros, already there from resize).
    assert(r.gateway.family() == r.prefix.family());
    if (r.gateway.family() == r.prefix.family()) put_ip(p, r.gateway);
    p += r.prefix.size();
    p = put24(p, r.label.raw);
  }
  void operator()(const UnknownRoute& r) {
    if (!r.body.empty()) std::memcpy(p, r.body.data(), r.body.size());
    p += r.body.size();
  }
};

}  // namespace

std::size_t encoded_size(const EvpnNlri& n, bool add_path) { return (add_path ? 4 : 0) + 2 + body_size(n.route); }

void encode_evpn_nlri(const EvpnNlri& n, bool add_path, wire::ByteVec& out) {
  const std::size_t body = body_size(n.route);
  assert(body <= 255);  // only a locally built UnknownRoute could exceed the length octet
  const std::size_t at = out.size();
  out.resize(at + (add_path ? 4 : 0) + 2 + body);
  std::uint8_t* p = out.data() + at;
  if (add_path) p = put32(p, n.path_id.value_or(0));
  *p++ = route_type(n.route);
  *p++ = static_cast<std::uint8_t>(body);
  std::visit(BodyWriter{p}, n.route);
}

void encode_evpn_nlris(const std::vector<EvpnNlri>& nlris, bool add_path, wire::ByteVec& out) {
  for (const auto& n : nlris) encode_evpn_nlri(n, add_path, out);
}

}  // namespace evpnd::evpn
