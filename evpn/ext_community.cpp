#include "evpn/ext_community.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "evpn/byte_order.hpp"

namespace evpnd::evpn {

namespace {

constexpr std::uint8_t kTypeOpaque = 0x03;  // RFC 4360 §3.3, transitive
constexpr std::uint8_t kTypeEvpn = 0x06;    // RFC 7153 §5.2.1
constexpr std::uint8_t kSubEncap = 0x0c;
constexpr std::uint8_t kSubDefaultGw = 0x0d;
constexpr std::uint8_t kSubMacMobility = 0x00;
constexpr std::uint8_t kSubEsiLabel = 0x01;
constexpr std::uint8_t kSubEsImport = 0x02;
constexpr std::uint8_t kSubRouterMac = 0x03;
constexpr std::uint8_t kSubDfElection = 0x06;
constexpr std::uint8_t kSubArpNd = 0x08;
constexpr std::uint8_t kSubSiteOfOrigin = 0x03;  // with types 0x00-0x02 (RFC 4360 §5)

using detail::be16;
using detail::be32;
using detail::put16;
using detail::put32;

wire::ExtendedCommunity make(std::uint8_t type, std::uint8_t subtype) {
  wire::ExtendedCommunity c;
  c.bytes[0] = type;
  c.bytes[1] = subtype;
  return c;
}

bool is(const wire::ExtendedCommunity& c, std::uint8_t type, std::uint8_t subtype) {
  return c.type() == type && c.subtype() == subtype;
}

MacAddress mac_at(const wire::ExtendedCommunity& c) {
  MacAddress m;
  std::memcpy(m.bytes.data(), c.bytes.data() + 2, 6);
  return m;
}

// The AS/IPv4-specific value of an RT or SoO (types 0x00-0x02), as FRR prints it.
std::string admin_pair(const wire::ExtendedCommunity& c) {
  const std::uint8_t* v = c.bytes.data() + 2;
  char buf[40];
  switch (c.type()) {
    case 0x00: std::snprintf(buf, sizeof buf, "%u:%u", unsigned{be16(v)}, be32(v + 2)); break;
    case 0x01: std::snprintf(buf, sizeof buf, "%u.%u.%u.%u:%u", v[0], v[1], v[2], v[3], unsigned{be16(v + 4)}); break;
    default: std::snprintf(buf, sizeof buf, "%u:%u", be32(v), unsigned{be16(v + 4)}); break;
  }
  return buf;
}

}  // namespace

// ---- RouteTarget ----

std::optional<RouteTarget> RouteTarget::parse(std::string_view text) {
  // Same grammar and type choice as an RD (FRR parses both with one routine).
  auto rd = RouteDistinguisher::parse(text);
  if (!rd) return std::nullopt;
  wire::ExtendedCommunity c = make(static_cast<std::uint8_t>(rd->type), kSubtype);
  std::memcpy(c.bytes.data() + 2, rd->value.data(), 6);
  return decode(c);
}

std::optional<RouteTarget> RouteTarget::decode(const wire::ExtendedCommunity& c) {
  if (c.subtype() != kSubtype || c.type() > 0x02) return std::nullopt;
  const std::uint8_t* v = c.bytes.data() + 2;
  switch (c.type()) {
    case 0x00: return as2(be16(v), be32(v + 2));
    case 0x01: return ipv4(be32(v), be16(v + 4));
    default: return as4(be32(v), be16(v + 4));
  }
}

wire::ExtendedCommunity RouteTarget::encode() const {
  wire::ExtendedCommunity c = make(static_cast<std::uint8_t>(format), kSubtype);
  std::uint8_t* v = c.bytes.data() + 2;
  if (format == Format::As2) {
    put16(v, static_cast<std::uint16_t>(global_admin));
    put32(v + 2, local_admin);
  } else {
    put32(v, global_admin);
    put16(v + 4, static_cast<std::uint16_t>(local_admin));
  }
  return c;
}

std::string RouteTarget::to_string() const { return admin_pair(encode()); }

// ---- the EVPN and opaque communities ----

std::optional<Encapsulation> Encapsulation::decode(const wire::ExtendedCommunity& c) {
  if (!is(c, kTypeOpaque, kSubEncap)) return std::nullopt;
  return Encapsulation{be16(c.bytes.data() + 6)};
}
wire::ExtendedCommunity Encapsulation::encode() const {
  auto c = make(kTypeOpaque, kSubEncap);
  put16(c.bytes.data() + 6, tunnel_type);
  return c;
}

std::optional<MacMobility> MacMobility::decode(const wire::ExtendedCommunity& c) {
  if (!is(c, kTypeEvpn, kSubMacMobility)) return std::nullopt;
  return MacMobility{(c.bytes[2] & kStickyFlag) != 0, be32(c.bytes.data() + 4)};
}
wire::ExtendedCommunity MacMobility::encode() const {
  auto c = make(kTypeEvpn, kSubMacMobility);
  c.bytes[2] = sticky ? kStickyFlag : 0;
  put32(c.bytes.data() + 4, sequence);
  return c;
}

std::optional<EsiLabel> EsiLabel::decode(const wire::ExtendedCommunity& c) {
  if (!is(c, kTypeEvpn, kSubEsiLabel)) return std::nullopt;
  const std::uint8_t* v = c.bytes.data();
  return EsiLabel{(v[2] & kSingleActiveFlag) != 0,
                  Label{(std::uint32_t{v[5]} << 16) | (std::uint32_t{v[6]} << 8) | v[7]}};
}
wire::ExtendedCommunity EsiLabel::encode() const {
  auto c = make(kTypeEvpn, kSubEsiLabel);
  c.bytes[2] = single_active ? kSingleActiveFlag : 0;
  c.bytes[5] = static_cast<std::uint8_t>(label.raw >> 16);
  c.bytes[6] = static_cast<std::uint8_t>(label.raw >> 8);
  c.bytes[7] = static_cast<std::uint8_t>(label.raw);
  return c;
}

std::optional<EsImportRouteTarget> EsImportRouteTarget::decode(const wire::ExtendedCommunity& c) {
  if (!is(c, kTypeEvpn, kSubEsImport)) return std::nullopt;
  return EsImportRouteTarget{mac_at(c)};
}
wire::ExtendedCommunity EsImportRouteTarget::encode() const {
  auto c = make(kTypeEvpn, kSubEsImport);
  std::memcpy(c.bytes.data() + 2, mac.bytes.data(), 6);
  return c;
}

std::optional<RouterMac> RouterMac::decode(const wire::ExtendedCommunity& c) {
  if (!is(c, kTypeEvpn, kSubRouterMac)) return std::nullopt;
  return RouterMac{mac_at(c)};
}
wire::ExtendedCommunity RouterMac::encode() const {
  auto c = make(kTypeEvpn, kSubRouterMac);
  std::memcpy(c.bytes.data() + 2, mac.bytes.data(), 6);
  return c;
}

std::optional<DfElection> DfElection::decode(const wire::ExtendedCommunity& c) {
  if (!is(c, kTypeEvpn, kSubDfElection)) return std::nullopt;
  return DfElection{static_cast<std::uint8_t>(c.bytes[2] & 0x1F), be16(c.bytes.data() + 3),
                    be16(c.bytes.data() + 6)};
}
wire::ExtendedCommunity DfElection::encode() const {
  auto c = make(kTypeEvpn, kSubDfElection);
  c.bytes[2] = algorithm & 0x1F;
  put16(c.bytes.data() + 3, bitmap);
  put16(c.bytes.data() + 6, preference);
  return c;
}

std::optional<ArpNd> ArpNd::decode(const wire::ExtendedCommunity& c) {
  if (!is(c, kTypeEvpn, kSubArpNd)) return std::nullopt;
  return ArpNd{c.bytes[2]};
}
wire::ExtendedCommunity ArpNd::encode() const {
  auto c = make(kTypeEvpn, kSubArpNd);
  c.bytes[2] = flags;
  return c;
}

std::optional<DefaultGateway> DefaultGateway::decode(const wire::ExtendedCommunity& c) {
  if (!is(c, kTypeOpaque, kSubDefaultGw)) return std::nullopt;
  return DefaultGateway{};
}
wire::ExtendedCommunity DefaultGateway::encode() const { return make(kTypeOpaque, kSubDefaultGw); }

// ---- generic ----

ExtCommunityValue decode_ext_community(const wire::ExtendedCommunity& c) {
  switch (c.type()) {
    case 0x00:
    case 0x01:
    case 0x02:
      if (auto v = RouteTarget::decode(c)) return *v;
      break;
    case kTypeOpaque:
      if (auto v = Encapsulation::decode(c)) return *v;
      if (auto v = DefaultGateway::decode(c)) return *v;
      break;
    case kTypeEvpn:
      switch (c.subtype()) {
        case kSubMacMobility: return *MacMobility::decode(c);
        case kSubEsiLabel: return *EsiLabel::decode(c);
        case kSubEsImport: return *EsImportRouteTarget::decode(c);
        case kSubRouterMac: return *RouterMac::decode(c);
        case kSubDfElection: return *DfElection::decode(c);
        case kSubArpNd: return *ArpNd::decode(c);
        default: break;
      }
      break;
    default:
      break;
  }
  return UnknownExtCommunity{c};
}

wire::ExtendedCommunity encode_ext_community(const ExtCommunityValue& v) {
  return std::visit([](const auto& x) { return x.encode(); }, v);
}

namespace {

struct Describer {
  std::string operator()(const RouteTarget& rt) const { return "RT:" + rt.to_string(); }
  std::string operator()(const Encapsulation& e) const { return "ET:" + std::to_string(e.tunnel_type); }
  std::string operator()(const MacMobility& m) const {
    return "MM:" + std::to_string(m.sequence) + (m.sticky ? ", sticky MAC" : "");
  }
  std::string operator()(const EsiLabel& l) const { return l.single_active ? "ESI-label-Rt:SA" : "ESI-label-Rt:AA"; }
  std::string operator()(const EsImportRouteTarget& e) const { return "ES-Import-Rt:" + e.mac.to_string(); }
  std::string operator()(const RouterMac& r) const { return "Rmac:" + r.mac.to_string(); }
  std::string operator()(const DfElection& d) const {
    char buf[64];
    if (d.bitmap)
      std::snprintf(buf, sizeof buf, "DF: (alg: %u, bmap: 0x%x pref: %u)", unsigned{d.algorithm},
                    unsigned{d.bitmap}, unsigned{d.preference});
    else
      std::snprintf(buf, sizeof buf, "DF: (alg: %u, pref: %u)", unsigned{d.algorithm}, unsigned{d.preference});
    return buf;
  }
  std::string operator()(const ArpNd& n) const {
    // FRR checks Router first and Proxy second, the latter overwriting; neither gives "".
    if (n.flags & ArpNd::kProxyFlag) return "ND:Proxy";
    if (n.flags & ArpNd::kRouterFlag) return "ND:Router Flag";
    return "";
  }
  std::string operator()(const DefaultGateway&) const { return "Default Gateway"; }
  std::string operator()(const UnknownExtCommunity& u) const {
    const auto& c = u.raw;
    if (c.type() <= 0x02 && c.subtype() == kSubSiteOfOrigin) return "SoO:" + admin_pair(c);
    return "UNK:" + std::to_string(c.type()) + ", " + std::to_string(c.subtype());
  }
};

}  // namespace

std::string describe(const ExtCommunityValue& v) { return std::visit(Describer{}, v); }

std::string describe(const wire::ExtendedCommunity& c) { return describe(decode_ext_community(c)); }

std::string describe_all(const std::vector<wire::ExtendedCommunity>& cs, DescribeOrder order) {
  std::vector<wire::ExtendedCommunity> sorted;
  const std::vector<wire::ExtendedCommunity>* list = &cs;
  if (order == DescribeOrder::FrrSorted) {
    sorted = cs;
    std::sort(sorted.begin(), sorted.end());  // lexicographic on the 8 bytes, like memcmp
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    list = &sorted;
  }
  std::string out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (i) out.push_back(' ');
    out += describe((*list)[i]);
  }
  return out;
}

std::vector<RouteTarget> route_targets(const std::vector<wire::ExtendedCommunity>& cs) {
  std::vector<RouteTarget> out;
  for (const auto& c : cs)
    if (auto rt = RouteTarget::decode(c)) out.push_back(*rt);
  return out;
}

}  // namespace evpnd::evpn
