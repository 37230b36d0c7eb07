#pragma once
// Applies one decoded UPDATE from a peer to that peer's Adj-RIB-In: decodes the EVPN
// NLRI carried in MP_REACH/MP_UNREACH, follows the RFC 7606 verdict the codec reached,
// and reports what changed. No sockets, no timers: the session calls it and acts on a
// reset verdict.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "bgp/wire/context.hpp"
#include "bgp/wire/decode_error.hpp"
#include "bgp/wire/update.hpp"
#include "rib/attr_store.hpp"
#include "rib/path_table.hpp"

namespace evpnd::bgp {

struct InboundResult {
  std::size_t announced = 0;
  std::size_t withdrawn = 0;
  std::size_t filtered = 0;           // dropped by RFC 8212 (eBGP without policy)
  std::size_t looped = 0;             // dropped: our AS in the AS_PATH (RFC 4271 §9.1.2)
  std::size_t other_families = 0;     // NLRI of families we do not keep (IPv4/IPv6 unicast)
  std::optional<wire::AfiSafi> end_of_rib;
  bool treated_as_withdraw = false;
  std::optional<wire::DecodeError> reset;  // the session must send this and close
  std::vector<std::string> notes;          // RFC 7606 findings and interop warnings, for the log
};

struct InboundPolicy {
  // RFC 8212: with `bgp ebgp-requires-policy` on and no policy configured, nothing from
  // an eBGP peer is accepted.
  bool accept = true;
  // RFC 4271 §9.1.2: a route whose AS_PATH already holds our AS is a loop and is not
  // accepted (FRR sends our own routes back to us over eBGP). Unset: no check.
  std::optional<std::uint32_t> local_as;
};

InboundResult apply_update(const wire::DecodedUpdate& update, const wire::CodecContext& ctx,
                           const InboundPolicy& policy, rib::AdjRibIn& adj_in, rib::AttrStore& attrs);

}  // namespace evpnd::bgp
