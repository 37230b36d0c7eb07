#include "evpn/instance.hpp"

#include <algorithm>

namespace evpnd::evpn {

namespace {
// FRR's EVPN_AUTORT_VXLAN: RFC 8365 §5.1.2.1 type 1 (VXLAN) in the local-admin field.
constexpr std::uint32_t kRfc8365Vxlan = 0x10000000;
// FRR's rd_idspace: index 1 belongs to the BGP instance itself.
constexpr std::uint16_t kFirstRdIndex = 2;
}  // namespace

std::optional<RouteTarget> auto_route_target(Vni vni, bgp::wire::Asn asn, AutoRtForm form) {
  switch (form) {
    case AutoRtForm::Frr:
      return RouteTarget::as2(static_cast<std::uint16_t>(asn.value & 0xFFFF), vni.value());
    case AutoRtForm::Rfc8365:
      return RouteTarget::as2(static_cast<std::uint16_t>(asn.value & 0xFFFF), kRfc8365Vxlan | vni.value());
    case AutoRtForm::As4:
      if (vni.value() > 0xFFFF) return std::nullopt;
      return RouteTarget::as4(asn.value, static_cast<std::uint16_t>(vni.value()));
  }
  return std::nullopt;
}

EvpnInstance resolve_instance(const VniConfig& config, const InstanceContext& ctx, std::uint16_t rd_index) {
  EvpnInstance out;
  out.vni = config.vni;
  if (config.rd) {
    out.rd = *config.rd;
    out.rd_auto = false;
  } else {
    out.rd = RouteDistinguisher::make_type1(ctx.router_id.value, rd_index);
  }
  const auto auto_rt = auto_route_target(config.vni, ctx.asn, config.autort.value_or(ctx.autort));
  auto pick = [&](const std::vector<RouteTarget>& configured, std::vector<RouteTarget>& rts, bool& is_auto) {
    if (!configured.empty()) {
      rts = configured;
      is_auto = false;
    } else if (auto_rt) {
      rts = {*auto_rt};
    }
  };
  pick(config.import_rts, out.import_rts, out.import_auto);
  pick(config.export_rts, out.export_rts, out.export_auto);
  return out;
}

bool imports(const EvpnInstance& instance, std::span<const RouteTarget> route_targets) {
  for (const auto& rt : route_targets) {
    for (const auto& mine : instance.import_rts) {
      if (instance.import_auto ? rt.local_admin == mine.local_admin : rt == mine) return true;
    }
  }
  return false;
}

std::uint16_t RdIndexes::assign(Vni vni) {
  if (auto i = find(vni)) return *i;
  std::uint16_t index = kFirstRdIndex;
  auto it = slots_.begin();
  for (; it != slots_.end() && it->index == index; ++it) ++index;
  slots_.insert(it, Slot{vni, index});
  return index;
}

void RdIndexes::release(Vni vni) {
  std::erase_if(slots_, [&](const Slot& s) { return s.vni == vni; });
}

std::optional<std::uint16_t> RdIndexes::find(Vni vni) const {
  for (const auto& s : slots_)
    if (s.vni == vni) return s.index;
  return std::nullopt;
}

}  // namespace evpnd::evpn
