// Text form of decoded messages: one header line, then one line per capability,
// attribute, finding and route, indented by two spaces per level. Attributes are shown in
// the order received, each as "NAME (type) flags 0xNN: value".
#include <set>
#include <sstream>
#include <type_traits>

#include "cli/message_render.hpp"
#include "cli/message_render_internal.hpp"
#include "evpn/ext_community.hpp"
#include "evpn/nlri.hpp"

namespace evpnd::cli {

namespace wire = bgp::wire;

namespace {

using namespace detail;

std::string label_text(const evpn::Label& l) {
  std::string s = std::to_string(l.raw);
  // INTEROP.md §1: FRR and GoBGP put the raw VNI here; say so when a value looks like an
  // MPLS-encoded label instead.
  if (l.looks_mpls_shifted()) s += " (as MPLS: label " + std::to_string(l.mpls_label()) + ")";
  return s;
}

// "rd 10.0.0.1:2 esi ... etag 0 mac ... ip ... label 100": every field of the route.
std::string route_fields_text(const evpn::EvpnNlri& n) {
  std::string s = "type " + std::to_string(evpn::route_type(n.route)) + " (" +
                  route_type_name(evpn::route_type(n.route)) + ")";
  if (n.path_id) s += " path-id " + std::to_string(*n.path_id);
  if (const auto* rd = evpn::route_rd(n.route)) s += " rd " + rd->to_string();
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, evpn::EadRoute>) {
          s += " esi " + v.esi.to_string() + " etag " + std::to_string(v.etag.value) + " label " + label_text(v.label);
        } else if constexpr (std::is_same_v<T, evpn::MacIpRoute>) {
          s += " esi " + v.esi.to_string() + " etag " + std::to_string(v.etag.value) + " mac " + v.mac.to_string() +
               " ip " + (v.ip ? v.ip->to_string() : std::string("-")) + " label " + label_text(v.label1);
          if (v.label2) s += " label2 " + label_text(*v.label2);
        } else if constexpr (std::is_same_v<T, evpn::ImetRoute>) {
          s += " etag " + std::to_string(v.etag.value) + " orig-ip " + v.originating_ip.to_string();
        } else if constexpr (std::is_same_v<T, evpn::EsRoute>) {
          s += " esi " + v.esi.to_string() + " orig-ip " + v.originating_ip.to_string();
        } else if constexpr (std::is_same_v<T, evpn::IpPrefixRoute>) {
          s += " esi " + v.esi.to_string() + " etag " + std::to_string(v.etag.value) + " prefix " +
               v.prefix.to_string() + "/" + std::to_string(v.prefix_length) + " gw " + v.gateway.to_string() +
               " label " + label_text(v.label);
        } else {
          s += ", " + std::to_string(v.body.size()) + " bytes";
        }
      },
      n.route);
  return s;
}

class UpdateText {
 public:
  UpdateText(std::ostringstream& o, const wire::CodecContext& ctx, wire::ByteSpan raw) : o_(o), ctx_(ctx), raw_(raw) {}

  void render(const wire::DecodedUpdate& d) {
    const auto& u = d.update;
    o_ << "UPDATE";
    if (auto eor = u.end_of_rib()) {
      o_ << ", End-of-RIB " << wire::to_string(*eor);
    } else {
      const char* sep = ", ";
      for (const auto& c : family_counts(d, ctx_, raw_)) {
        o_ << sep << wire::to_string(c.family) << ":";
        if (c.announced) o_ << " " << c.announced << " announced";
        if (c.announced && c.withdrawn) o_ << ",";
        if (c.withdrawn) o_ << " " << c.withdrawn << " withdrawn";
        sep = "; ";
      }
    }
    if (d.action != wire::AttrAction::None) o_ << "; RFC 7606 " << wire::to_string(d.action);
    o_ << "\n";
    if (d.action == wire::AttrAction::TreatAsWithdraw)
      o_ << "  treat-as-withdraw: the routes announced below are to be withdrawn, not installed (RFC 7606 §2)\n";
    for (const auto& f : d.findings) {
      o_ << "  finding: " << (f.type ? attribute_name(f.type) + " (" + std::to_string(f.type) + ")" : "UPDATE")
         << " at offset " << f.offset << ": " << wire::to_string(f.action);
      if (f.subcode)
        o_ << ", " << wire::error_subcode_name(static_cast<std::uint8_t>(wire::ErrorCode::UpdateMessage), f.subcode)
           << " (" << int{f.subcode} << ")";
      o_ << ": " << f.reason << "\n";
    }
    if (!u.withdrawn.empty()) {
      o_ << "  withdrawn routes field:\n";
      for (const auto& p : u.withdrawn) o_ << "    withdraw " << prefix_line(p) << "\n";
    }
    for (const auto& s : attribute_slots(u.attrs)) attribute(u.attrs, s);
    if (!u.nlri.empty()) {
      o_ << "  NLRI field:\n";
      for (const auto& p : u.nlri) o_ << "    announce " << prefix_line(p) << "\n";
    }
    if (error_) o_ << "  ERROR: " << error_text(*error_) << "\n";
  }

 private:
  static std::string prefix_line(const wire::Prefix& p) {
    std::string s = prefix_text(p);
    if (p.path_id) s += " path-id " + std::to_string(*p.path_id);
    return s;
  }

  void mp_nlri(wire::AfiSafi family, const wire::ByteVec& nlri, const std::vector<wire::Prefix>& prefixes,
               std::uint8_t attr, const char* verb) {
    if (family == wire::AfiSafi::l2vpn_evpn()) {
      auto s = decode_evpn_section(nlri, attr, ctx_, raw_);
      for (const auto& n : s.nlri) {
        o_ << "    " << verb << " " << evpn::to_string(n.route) << "\n";
        o_ << "      " << route_fields_text(n) << "\n";
      }
      if (s.error && !error_) error_ = s.error;
    } else if (family == wire::AfiSafi::ipv4_unicast() || family == wire::AfiSafi::ipv6_unicast()) {
      for (const auto& p : prefixes) o_ << "    " << verb << " " << prefix_line(p) << "\n";
    } else if (!nlri.empty()) {
      o_ << "    NLRI (not decoded): " << hex_spaced(nlri) << "\n";
    }
  }

  void attribute(const wire::PathAttributes& a, const wire::PathAttributes::Slot& s) {
    using wire::AttrType;
    o_ << "  " << attribute_name(s.type) << " (" << int{s.type} << ") flags " << flags_hex(s.flags) << ":";
    switch (static_cast<AttrType>(s.type)) {
      case AttrType::Origin:
        if (a.origin) o_ << " " << origin_name(*a.origin);
        break;
      case AttrType::AsPath:
        if (a.as_path) o_ << " " << (a.as_path->segments.empty() ? "(empty)" : a.as_path->to_string());
        break;
      case AttrType::NextHop:
        if (a.next_hop) o_ << " " << a.next_hop->to_string();
        break;
      case AttrType::MultiExitDisc:
        if (a.med) o_ << " " << *a.med;
        break;
      case AttrType::LocalPref:
        if (a.local_pref) o_ << " " << *a.local_pref;
        break;
      case AttrType::AtomicAggregate: o_ << " present"; break;
      case AttrType::Aggregator:
        if (a.aggregator) o_ << " AS " << a.aggregator->asn.value << " address " << a.aggregator->address.to_string();
        break;
      case AttrType::Communities:
        for (auto c : a.communities) o_ << " " << community_text(c);
        break;
      case AttrType::OriginatorId:
        if (a.originator_id) o_ << " " << a.originator_id->to_string();
        break;
      case AttrType::ClusterList:
        for (auto c : a.cluster_list) o_ << " " << wire::IpAddress::v4(c).to_string();
        break;
      case AttrType::MpReachNlri:
        if (const auto& m = a.mp_reach) {
          o_ << " " << wire::to_string(m->family) << " next hop ";
          if (auto nh = m->next_hop_address())
            o_ << nh->to_string();
          else
            o_ << "(" << m->next_hop.size() << " bytes) " << hex_compact(m->next_hop);
          if (m->next_hop.size() == 32) {
            std::array<std::uint8_t, 16> ll{};
            std::copy(m->next_hop.begin() + 16, m->next_hop.end(), ll.begin());
            o_ << " link-local " << wire::IpAddress::v6(ll).to_string();
          }
          o_ << "\n";
          mp_nlri(m->family, m->nlri, m->prefixes, s.type, "announce");
          return;
        }
        break;
      case AttrType::MpUnreachNlri:
        if (const auto& m = a.mp_unreach) {
          o_ << " " << wire::to_string(m->family);
          if (m->nlri.empty()) o_ << ", no NLRI";
          o_ << "\n";
          mp_nlri(m->family, m->nlri, m->prefixes, s.type, "withdraw");
          return;
        }
        break;
      case AttrType::ExtendedCommunities:
        for (const auto& c : a.extended_communities) {
          const auto text = evpn::describe(c);
          o_ << " " << (text.empty() ? "EC:" + hex_compact(c.bytes) : text);
        }
        break;
      case AttrType::As4Path:
        o_ << " merged into AS_PATH above (RFC 6793 §4.2.3)";
        break;
      case AttrType::As4Aggregator:
        o_ << " merged into AGGREGATOR (RFC 6793 §4.2.3)";
        break;
      case AttrType::PmsiTunnel:
        if (const auto& p = a.pmsi_tunnel)
          o_ << " " << pmsi_type_name(p->tunnel_type) << " (" << int{p->tunnel_type} << ") flags "
             << flags_hex(p->flags) << " label " << p->label << " tunnel " << tunnel_id_text(p->tunnel_id);
        break;
      case AttrType::LargeCommunities:
        for (const auto& c : a.large_communities) o_ << " " << large_community_text(c);
        break;
      default:
        // The n-th slot of an unknown type is the n-th stored attribute of that type.
        for (const auto& u : a.unknown) {
          if (u.type != s.type || used_unknown_.count(&u)) continue;
          used_unknown_.insert(&u);
          o_ << " " << u.value.size() << " bytes";
          if (!u.value.empty()) o_ << ": " << hex_spaced(u.value);
          break;
        }
        break;
    }
    o_ << "\n";
  }

  std::ostringstream& o_;
  const wire::CodecContext& ctx_;
  wire::ByteSpan raw_;
  std::optional<wire::DecodeError> error_;
  std::set<const wire::UnknownAttribute*> used_unknown_;
};

void capability_text(std::ostringstream& o, const wire::Capability& c) {
  const auto code = wire::capability_code(c);
  o << "  capability " << capability_name(code) << " (" << int{code} << ")";
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, wire::MultiprotocolCap>) {
          o << ": " << wire::to_string(v.family) << " (" << v.family.afi << "/" << int{v.family.safi} << ")";
        } else if constexpr (std::is_same_v<T, wire::ExtendedNextHopCap>) {
          o << ":";
          for (const auto& e : v.entries)
            o << " nlri " << e.nlri_afi << "/" << e.nlri_safi << " next-hop afi " << e.next_hop_afi << ";";
        } else if constexpr (std::is_same_v<T, wire::GracefulRestartCap>) {
          // RFC 4724 §3 R (restart state) and RFC 8538 §2 N (notification) bits.
          o << ": restart time " << v.restart_time << " flags " << flags_hex(v.flags);
          if (v.flags & 0x8) o << " restarting";
          if (v.flags & 0x4) o << " notification";
          for (const auto& e : v.entries)
            o << "; " << wire::to_string(e.family) << ((e.flags & 0x80) ? " forwarding preserved" : "");
        } else if constexpr (std::is_same_v<T, wire::FourOctetAsCap>) {
          o << ": AS " << v.asn.value;
        } else if constexpr (std::is_same_v<T, wire::AddPathCap>) {
          o << ":";
          for (const auto& e : v.entries)
            o << " " << wire::to_string(e.family) << " " << add_path_direction_name(e.direction);
        } else if constexpr (std::is_same_v<T, wire::FqdnCap>) {
          o << ": hostname \"" << printable(v.hostname) << "\" domain \"" << printable(v.domain) << "\"";
        } else if constexpr (std::is_same_v<T, wire::UnknownCap>) {
          if (!v.value.empty()) o << ": " << hex_spaced(v.value);
        }
      },
      c);
  o << "\n";
}

void open_text(std::ostringstream& o, const wire::OpenMessage& m) {
  o << "OPEN, version " << int{m.version} << ", AS " << m.asn().value << ", hold time " << m.hold_time
    << ", BGP identifier " << m.bgp_id.to_string() << "\n";
  if (m.asn().value != m.my_as) o << "  My Autonomous System field: " << m.my_as << "\n";
  std::size_t caps = 0;
  for (const auto& p : m.params) caps += p.capabilities.size();
  o << "  " << m.params.size() << " optional parameters" << (m.extended_params ? " (RFC 9072 extended encoding)" : "")
    << ", " << caps << " capabilities\n";
  for (const auto& p : m.params) {
    if (p.type != wire::OptionalParameter::kCapabilities) {
      o << "  optional parameter type " << int{p.type} << ": " << hex_spaced(p.value) << "\n";
      continue;
    }
    for (const auto& c : p.capabilities) capability_text(o, c);
  }
}

}  // namespace

std::string message_text(const wire::DecodedMessage& m, const wire::CodecContext& ctx, wire::ByteSpan raw) {
  std::ostringstream o;
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, wire::OpenMessage>) {
          open_text(o, v);
        } else if constexpr (std::is_same_v<T, wire::DecodedUpdate>) {
          UpdateText(o, ctx, raw).render(v);
        } else if constexpr (std::is_same_v<T, wire::NotificationMessage>) {
          o << "NOTIFICATION, " << wire::error_code_name(v.code) << " (" << int{v.code} << ") / "
            << wire::error_subcode_name(v.code, v.subcode) << " (" << int{v.subcode} << ")\n";
          if (auto text = v.shutdown_communication()) o << "  shutdown communication: \"" << printable(*text) << "\"\n";
          if (!v.data.empty()) o << "  data: " << hex_spaced(v.data) << "\n";
        } else if constexpr (std::is_same_v<T, wire::KeepaliveMessage>) {
          o << "KEEPALIVE\n";
        } else if constexpr (std::is_same_v<T, wire::RouteRefreshMessage>) {
          o << "ROUTE-REFRESH, " << wire::to_string(v.family) << " (" << v.family.afi << "/" << int{v.family.safi}
            << "), " << route_refresh_subtype_name(v.subtype) << "\n";
        }
      },
      m);
  return o.str();
}

}  // namespace evpnd::cli
