// libFuzzer target for the receive path from bytes to the Adj-RIB-In: framing, the
// UPDATE codec, EVPN NLRI decoding, RFC 7606 outcomes and bgp::apply_update (the code a
// peer's UPDATEs reach), with the table's invariants checked after every message.
//
// Input: octet 0 picks the session (4-octet AS, ADD-PATH on EVPN, eBGP or iBGP, RFC 8212,
// unknown route types kept, families negotiated), the rest is a stream of whole messages
// (the seeds: captured UPDATEs). Invariants:
//  - every stored path has interned attributes, canonical (no NLRI, no wire order), and
//    is found again under its own route;
//  - no route of an unknown type is stored unless the session keeps them;
//  - nothing is stored while RFC 8212 blocks the peer;
//  - every attribute set alive in the store is held by a stored path;
//  - withdrawing every stored route, through the encoder and the same path, empties the table.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "bgp/inbound.hpp"
#include "bgp/outbound.hpp"
#include "bgp/wire/message.hpp"
#include "evpn/nlri.hpp"

using namespace evpnd;
namespace wire = bgp::wire;

namespace {

void check_invariants(const bgp::PeerTables& t, const rib::AttrStore& store, const bgp::InboundPolicy& policy) {
  std::size_t held = 0;
  for (const auto& p : t.evpn.sorted()) {
    if (!p.attrs) __builtin_trap();
    if (p.attrs->mp_reach && !p.attrs->mp_reach->nlri.empty()) __builtin_trap();
    if (!p.attrs->wire_order.empty() || p.attrs->mp_unreach) __builtin_trap();
    const auto* found = t.evpn.find(evpn::EvpnNlri{p.path_id, p.route});
    if (!found || found->attrs != p.attrs) __builtin_trap();
    if (std::holds_alternative<evpn::UnknownRoute>(p.route) && !policy.keep_unknown_route_types) __builtin_trap();
    ++held;
  }
  t.ipv4.for_each([](const rib::PrefixKey&, const rib::Ipv4Rib::Path& path) {
    if (!path.attrs) __builtin_trap();
  });
  if (!policy.accept && (t.evpn.size() || t.ipv4.size())) __builtin_trap();
  if (store.live_entries() > held + t.ipv4.size()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t sel = data[0] == 0xFF ? 0 : data[0];
  wire::CodecContext ctx;
  ctx.four_octet_as = (sel & 0x01) == 0;
  if (sel & 0x02) ctx.add_path_rx = ctx.add_path_tx = {wire::AfiSafi::l2vpn_evpn()};
  ctx.ibgp = (sel & 0x04) != 0;
  ctx.extended_message_rx = ctx.extended_message_tx = true;
  bgp::InboundPolicy policy;
  policy.accept = (sel & 0x08) == 0;
  policy.keep_unknown_route_types = (sel & 0x10) != 0;
  policy.local_as = 65002;
  if (sel & 0x20) policy.families = {wire::AfiSafi::l2vpn_evpn()};
  if (sel & 0x40) policy.families = {wire::AfiSafi::ipv4_unicast()};

  wire::ByteSpan stream(data, size);
  if (data[0] != 0xFF) stream = stream.subspan(1);
  rib::AttrStore store;  // before the tables: the paths' AttrRefs go before their store
  bgp::PeerTables tables;
  while (!stream.empty()) {
    auto len = wire::frame_length(stream, ctx);
    if (!len || !*len) break;
    const wire::ByteSpan msg = stream.first(**len);
    stream = stream.subspan(**len);
    auto decoded = wire::decode_message(msg, ctx);
    if (!decoded) continue;
    const auto* u = std::get_if<wire::DecodedUpdate>(&*decoded);
    if (!u) continue;
    const auto r = bgp::apply_update(*u, msg, ctx, policy, tables, store);
    if (r.reset) {
      // The NOTIFICATION data of an EVPN NLRI error is the attribute, inside the message.
      if (!r.reset->data.empty() && r.reset->data.size() > msg.size()) __builtin_trap();
      if (r.reset->offset >= msg.size()) __builtin_trap();
    }
    check_invariants(tables, store, policy);
  }

  // Withdraw everything held, as a peer would, through the same path.
  std::vector<evpn::EvpnNlri> all;
  for (const auto& p : tables.evpn.sorted()) all.push_back(evpn::EvpnNlri{p.path_id, p.route});
  if (!all.empty()) {
    for (const auto& m : bgp::build_withdrawals(all, ctx)) {
      auto d = wire::decode_message(m, ctx);
      if (!d) __builtin_trap();  // we encoded what we refuse
      const auto r = bgp::apply_update(std::get<wire::DecodedUpdate>(*d), m, ctx, policy, tables, store);
      if (r.reset) __builtin_trap();
    }
    if (tables.evpn.size() != 0) __builtin_trap();
  }
  return 0;
}
