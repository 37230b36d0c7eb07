#pragma once
// Builds the UPDATEs evpnd sends for its own EVPN routes: the attributes as a given peer
// must see them (RFC 4271 §5.1: AS_PATH prepend on eBGP, LOCAL_PREF on iBGP only) and
// the packing of every NLRI that shares an attribute set into as few messages as the
// negotiated maximum size allows (ARCHITECTURE "Data, for speed").
#include <span>
#include <vector>

#include "bgp/wire/context.hpp"
#include "bgp/wire/types.hpp"
#include "bgp/wire/update.hpp"
#include "evpn/nlri.hpp"

namespace evpnd::bgp {

struct ExportContext {
  bool ibgp = true;
  wire::Asn local_as;
};

// `base` holds what the route carries wherever it goes (ORIGIN, MP next hop, extended
// communities, PMSI); the result adds what depends on the peer.
wire::PathAttributes export_attributes(const wire::PathAttributes& base, const ExportContext& ex);

// Whole messages (header included), each at most ctx.max_send_size() bytes.
std::vector<wire::ByteVec> build_evpn_updates(const wire::PathAttributes& attrs, std::span<const evpn::EvpnNlri> nlri,
                                              const wire::CodecContext& ctx);
std::vector<wire::ByteVec> build_evpn_withdrawals(std::span<const evpn::EvpnNlri> nlri, const wire::CodecContext& ctx);

}  // namespace evpnd::bgp
