#pragma once
// Builds the UPDATEs evpnd sends: the attributes as a given peer must see them (RFC 4271
// §5.1: AS_PATH prepend on eBGP, LOCAL_PREF on iBGP only, the next hop) and the packing
// of every NLRI that shares an attribute set into as few messages as the negotiated
// maximum size allows (ARCHITECTURE "Data, for speed"): l2vpn evpn in MP_REACH /
// MP_UNREACH (RFC 4760), ipv4 unicast in the UPDATE's own NLRI and Withdrawn Routes
// fields (RFC 4271 §4.3), as FRR and GoBGP send it on an IPv4 session.
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

#include "bgp/wire/context.hpp"
#include "bgp/wire/notification.hpp"
#include "bgp/wire/types.hpp"
#include "bgp/wire/update.hpp"
#include "evpn/nlri.hpp"
#include "rib/peer_info.hpp"

namespace evpnd::bgp {

struct ExportContext {
  bool ibgp = true;  // the peer we send to
  wire::Asn local_as;
  // Where the path came from; nullptr (or a local source): originated here.
  const rib::PeerInfo* from = nullptr;
  // RFC 4456 §7: ours (`bgp cluster-id`, or the router ID), prepended to CLUSTER_LIST on
  // reflection.
  wire::RouterId cluster_id;
  // `neighbor X next-hop-self`: our address on this session replaces a learned path's
  // next hop. Unset: the next hop is passed on unchanged, which for l2vpn evpn is the
  // default on iBGP and eBGP alike (INTEROP §5: a rewritten VTEP blackholes traffic).
  std::optional<wire::IpAddress> next_hop_self;
  // `next-hop-self force`: also on reflected paths (iBGP-learned, to iBGP), which plain
  // next-hop-self leaves alone, as FRR does.
  bool next_hop_self_force = false;
  // ipv4 unicast: our address on the session, the next hop of a route we originate
  // (`network`), which has none of its own (FRR shows it as 0.0.0.0).
  std::optional<wire::IpAddress> local_next_hop;
  std::uint32_t default_local_pref = 100;
};

// RFC 4271 §9.2 and RFC 4456 §6: whether the best path from `from` goes to `to` at all.
// Never back to its source; iBGP to iBGP only by reflection (from or to a client);
// RFC 1997 NO_ADVERTISE to nobody, NO_EXPORT not out of the AS.
bool may_advertise(const wire::PathAttributes& attrs, const rib::PeerInfo& from, bool to_is_from,
                   const rib::PeerInfo& to);

// The attributes `ex`'s peer sees for a path with attributes `base` (for routes we
// originate: ORIGIN, the MP next hop in an MP_REACH with no NLRI, extended communities,
// PMSI). To eBGP: our AS prepended (RFC 4271 §5.1.2), no LOCAL_PREF (§5.1.5), no MED
// learned from another AS (§5.1.4), no ORIGINATOR_ID or CLUSTER_LIST (RFC 4456: iBGP
// only). To iBGP: LOCAL_PREF (the received one from iBGP, else the default); reflected
// paths get ORIGINATOR_ID (if absent) and our cluster ID in front of CLUSTER_LIST (RFC
// 4456 §8). Unknown optional transitive attributes pass with the Partial bit set, unknown
// non-transitive ones do not (RFC 4271 §5, §9.1.2).
wire::PathAttributes export_attributes(const wire::PathAttributes& base, const ExportContext& ex);

// An ipv4 unicast path's next hop as it holds it: the NEXT_HOP attribute, or the next hop
// of an MP_REACH of ipv4 unicast (a peer may send IPv4 routes there).
std::optional<wire::IpAddress> ipv4_next_hop(const wire::PathAttributes& attrs);

// Whether a path can be sent with the attributes `ex` gives it: it needs a next hop of
// its family (EVPN: the MP_REACH one; ipv4 unicast: an IPv4 address, since RFC 8950's
// IPv6 next hop is not negotiated). An update group records only what it can send.
bool sendable(const wire::PathAttributes& base, const ExportContext& ex, std::type_identity<evpn::EvpnNlri>);
bool sendable(const wire::PathAttributes& base, const ExportContext& ex, std::type_identity<wire::Prefix>);

// Whole messages (header included), each at most ctx.max_send_size() bytes. One
// overload per family, chosen by the NLRI type (the update groups are written once
// over both). Empty when the routes cannot be announced: no next hop for them.
std::vector<wire::ByteVec> build_updates(const wire::PathAttributes& attrs, std::span<const evpn::EvpnNlri> nlri,
                                         const wire::CodecContext& ctx);
std::vector<wire::ByteVec> build_withdrawals(std::span<const evpn::EvpnNlri> nlri, const wire::CodecContext& ctx);
// ipv4 unicast: the next hop is the NEXT_HOP attribute (or, for a route that came in an
// MP_REACH of ipv4 unicast, that next hop); any MP_REACH is left out.
std::vector<wire::ByteVec> build_updates(const wire::PathAttributes& attrs, std::span<const wire::Prefix> nlri,
                                         const wire::CodecContext& ctx);
std::vector<wire::ByteVec> build_withdrawals(std::span<const wire::Prefix> nlri, const wire::CodecContext& ctx);

// The markers around a table: RFC 4724 End-of-RIB, RFC 2918 / RFC 7313 ROUTE-REFRESH
// (the request, BoRR, EoRR). Whole messages.
wire::ByteVec end_of_rib_message(wire::AfiSafi family, const wire::CodecContext& ctx);
wire::ByteVec route_refresh_message(wire::AfiSafi family, wire::RouteRefreshMessage::Subtype subtype,
                                    const wire::CodecContext& ctx);

}  // namespace evpnd::bgp
