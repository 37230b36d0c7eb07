#pragma once
// What an OPEN exchange settles (RFC 4271 §4.2, RFC 5492 capabilities): the checks a
// received OPEN must pass (RFC 4271 §6.2, RFC 6793, RFC 6286, RFC 7607), the OPEN we
// send, and the parameters both sides agreed on. Pure functions of the two OPENs and
// the peer's configuration.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bgp/fsm/peer_config.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/decode_error.hpp"
#include "bgp/wire/open.hpp"
#include "bgp/wire/types.hpp"

namespace evpnd::bgp::fsm {

// The session parameters both sides agreed on, known from OpenConfirm on.
struct Negotiated {
  wire::Asn peer_as;          // the 4-octet capability's value when sent, else My AS
  wire::RouterId peer_id;
  std::uint16_t hold_time = 0;   // min(ours, theirs); 0: no keepalives, no hold timer
  std::uint16_t keepalive = 0;   // min(configured, hold/3), at least 1 when hold > 0
  // Families both sides activated, in the order of our configuration. A side that sent
  // no Multiprotocol capability at all is taken to speak IPv4 unicast only: RFC 4760
  // does not say so, but it is what a speaker that predates RFC 4760 can speak, and
  // what FRR and BIRD assume.
  std::vector<wire::AfiSafi> families;
  bool four_octet_as = false;           // both sent capability 65 (RFC 6793)
  bool route_refresh = false;           // both sent 2 (the peer may use the old 128)
  bool enhanced_route_refresh = false;  // both sent 70 (RFC 7313)
  // RFC 8654 is per direction: we may receive big messages because we advertised 6,
  // and send them when the peer did.
  bool extended_message_rx = false;     // we sent 6
  bool extended_message_tx = false;     // the peer sent 6
  // RFC 7911 §4: we receive path identifiers for F when we said Receive/Both and the
  // peer said Send/Both for F; we send them in the mirror case.
  std::vector<wire::AfiSafi> add_path_rx;
  std::vector<wire::AfiSafi> add_path_tx;
  bool peer_graceful_restart = false;   // the peer sent capability 64
  // Both sent 64 (RFC 4724): the peer, as a helper, keeps our routes when the session
  // ends without a NOTIFICATION, so we stop without one.
  bool graceful_restart = false;
  std::string peer_hostname;            // FQDN capability, empty when not sent
  std::string peer_domain;
  bool ibgp = false;                    // peer_as == our AS

  [[nodiscard]] bool family_active(wire::AfiSafi f) const;
  // The encoding switches the codec needs for this session.
  [[nodiscard]] wire::CodecContext codec_context() const;

  friend bool operator==(const Negotiated&, const Negotiated&) = default;
};

// Our OPEN: My AS (AS_TRANS when ours needs 4 octets), the configured hold time and
// BGP identifier; capabilities: Multiprotocol for each configured family, route refresh
// (2), enhanced route refresh (70), 4-octet AS (65), extended message (6, RFC 8654),
// ADD-PATH (69) when configured, and FQDN (73) when `hostname` is not empty.
wire::OpenMessage build_open(const PeerConfig& cfg, std::string_view hostname = {});

// RFC 4271 §6.2 checks on a received OPEN, in the RFC's order: version, peer AS, hold
// time, BGP identifier, optional parameters. Returns the error to send as NOTIFICATION
// (code, subcode and data; offset is the field's offset in the message), or nullopt.
std::optional<wire::DecodeError> check_open(const wire::OpenMessage& peer, const PeerConfig& cfg);

// The peer's AS as RFC 6793 defines it: the 4-octet capability's value when present.
wire::Asn peer_asn(const wire::OpenMessage& peer);

// The families an OPEN activates: its Multiprotocol capabilities, or IPv4 unicast when
// it has none (established practice, see Negotiated::families).
std::vector<wire::AfiSafi> open_families(const wire::OpenMessage& open);

// Combines our OPEN and the peer's (already checked) OPEN.
Negotiated negotiate(const wire::OpenMessage& local, const wire::OpenMessage& peer, const PeerConfig& cfg);

}  // namespace evpnd::bgp::fsm
