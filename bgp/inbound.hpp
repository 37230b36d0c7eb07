#pragma once
// Applies one decoded UPDATE from a peer to that peer's Adj-RIB-In: decodes the EVPN
// NLRI carried in MP_REACH/MP_UNREACH, follows the RFC 7606 verdict the codec reached,
// applies the EVPN validity rules (RFC 7606 §5.4 unknown route types, RFC 9136 §3 for
// Type-5), and reports what changed. No sockets, no timers: Peer::on_update calls it
// and acts on a reset verdict.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "bgp/finding_log.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/decode_error.hpp"
#include "bgp/wire/update.hpp"
#include "rib/attr_store.hpp"
#include "rib/adj_rib_in.hpp"
#include "rib/path_table.hpp"

namespace evpnd::bgp {

struct InboundResult {
  std::size_t announced = 0;
  std::size_t withdrawn = 0;
  std::size_t filtered = 0;           // dropped by RFC 8212 (eBGP without policy)
  std::size_t looped = 0;             // dropped: our AS in the AS_PATH (RFC 4271 §9.1.2)
  std::size_t other_families = 0;     // NLRI of families we do not keep (IPv6 unicast, ...)
  std::size_t not_negotiated = 0;     // NLRI of a family the session did not negotiate, ignored
  std::size_t unknown_types = 0;      // EVPN NLRI of route types we do not know
  std::size_t invalid_type5 = 0;      // Type-5 treated as withdrawn (RFC 9136 §3)
  std::optional<wire::AfiSafi> end_of_rib;
  bool treated_as_withdraw = false;
  std::optional<wire::DecodeError> reset;  // the session must send this and close
  std::vector<UpdateNote> notes;           // RFC 7606 findings and interop remarks
};

struct InboundPolicy {
  // RFC 8212: with `bgp ebgp-requires-policy` on and no policy configured, nothing from
  // an eBGP peer is accepted.
  bool accept = true;
  // RFC 4271 §9.1.2: a route whose AS_PATH already holds our AS is a loop and is not
  // accepted (FRR sends our own routes back to us over eBGP). Unset: no check.
  std::optional<std::uint32_t> local_as;
  // `neighbor X allowas-in N`: up to N occurrences of our AS are not a loop (per family:
  // l2vpn evpn, ipv4 unicast).
  std::uint8_t allowas_in = 0;
  std::uint8_t allowas_in_ipv4 = 0;
  // RFC 4456 §8 (iBGP only): a route carrying our router ID as ORIGINATOR_ID, or our
  // cluster ID in its CLUSTER_LIST, has come round and is not accepted.
  std::optional<wire::RouterId> router_id;
  std::optional<std::uint32_t> cluster_id;
  // RFC 4760 §8, RFC 7432 §7: NLRI of a family the session did not negotiate are not
  // ours to take. Empty: every family (tools, tests of the codec path).
  std::vector<wire::AfiSafi> families;
  // RFC 7606 §5.4 discards EVPN routes of unknown types; `bgp evpn unknown-route-types
  // reflect` keeps them, opaque, for a route reflector in a mixed-vendor fabric.
  bool keep_unknown_route_types = false;
};

// One peer's Adj-RIB-In, per family we keep. Attached to the Loc-RIBs, each view keeps
// them in step; detached (tools, tests) they stand alone.
struct PeerTables {
  PeerTables() = default;
  PeerTables(rib::EvpnRib& evpn_rib, rib::Ipv4Rib& ipv4_rib, rib::PeerId id) : evpn(evpn_rib, id), ipv4(ipv4_rib, id) {}
  rib::AdjRibIn evpn;
  rib::Ipv4AdjRibIn ipv4;
  void clear() {
    evpn.clear();
    ipv4.clear();
  }
};

// `raw` is the whole UPDATE as received (for the NOTIFICATION data of an EVPN NLRI
// error, RFC 4271 §6.3); it may be empty, and the data is then left empty.
InboundResult apply_update(const wire::DecodedUpdate& update, wire::ByteSpan raw, const wire::CodecContext& ctx,
                           const InboundPolicy& policy, PeerTables& tables, rib::AttrStore& attrs);

}  // namespace evpnd::bgp
