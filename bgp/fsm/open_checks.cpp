// RFC 4271 §6.2 OPEN message error handling, with RFC 6793 (4-octet AS), RFC 6286
// (BGP identifier) and RFC 7607 (AS 0). The codec has already checked the syntax
// (lengths, capability encodings); these are the checks that need the configuration.
#include <string>

#include "bgp/fsm/negotiation.hpp"

namespace evpnd::bgp::fsm {
namespace {

using wire::DecodeError;
using wire::ErrorCode;
using wire::OpenSubcode;

// Field offsets in the whole OPEN message (19-byte header first), reported with errors.
constexpr std::size_t kVersionOffset = wire::kHeaderSize;
constexpr std::size_t kMyAsOffset = kVersionOffset + 1;
constexpr std::size_t kHoldTimeOffset = kMyAsOffset + 2;
constexpr std::size_t kBgpIdOffset = kHoldTimeOffset + 2;
constexpr std::size_t kOptParamsOffset = kBgpIdOffset + 4 + 1;

constexpr std::uint8_t kBgpVersion = 4;

DecodeError open_error(OpenSubcode sub, std::size_t offset, std::string why, wire::ByteVec data = {}) {
  return DecodeError::make(ErrorCode::OpenMessage, static_cast<std::uint8_t>(sub), offset, std::move(why),
                           std::move(data));
}

std::string as_text(wire::Asn a) { return std::to_string(a.value); }

// The AS the configuration expects, as text for the error reason.
std::string expected_as(const PeerConfig& cfg) {
  switch (cfg.remote_as_kind) {
    case RemoteAsKind::Number: return as_text(cfg.remote_as);
    case RemoteAsKind::Internal: return "internal (" + as_text(cfg.local_as) + ")";
    case RemoteAsKind::External: return "external (not " + as_text(cfg.local_as) + ")";
  }
  return "?";
}

bool as_acceptable(wire::Asn peer, const PeerConfig& cfg) {
  switch (cfg.remote_as_kind) {
    case RemoteAsKind::Number: return peer == cfg.remote_as;
    case RemoteAsKind::Internal: return peer == cfg.local_as;
    case RemoteAsKind::External: return peer != cfg.local_as;
  }
  return false;
}

}  // namespace

std::optional<wire::DecodeError> check_open(const wire::OpenMessage& peer, const PeerConfig& cfg) {
  // RFC 4271 §6.2: the data is the largest version we support, as 2 octets.
  if (peer.version != kBgpVersion)
    return open_error(OpenSubcode::UnsupportedVersionNumber, kVersionOffset,
                      "version " + std::to_string(peer.version) + ", we speak 4", {0, kBgpVersion});

  const auto* as4 = peer.find<wire::FourOctetAsCap>();
  const wire::Asn asn = peer_asn(peer);
  // RFC 6793 §4.1: with the capability, My AS carries AS_TRANS (or the same AS when it
  // fits in 2 octets); anything else means the two fields disagree.
  if (as4 && peer.my_as != wire::Asn::kAsTrans && wire::Asn{peer.my_as} != as4->asn)
    return open_error(OpenSubcode::BadPeerAs, kMyAsOffset,
                      "My AS " + std::to_string(peer.my_as) + " disagrees with 4-octet AS " + as_text(as4->asn));
  // RFC 7607 §3: AS 0 is never a valid peer AS.
  if (asn.value == 0) return open_error(OpenSubcode::BadPeerAs, kMyAsOffset, "peer AS 0");
  if (!as_acceptable(asn, cfg))
    return open_error(OpenSubcode::BadPeerAs, kMyAsOffset,
                      "peer AS " + as_text(asn) + ", expected " + expected_as(cfg));

  // RFC 4271 §4.2/§6.2: zero, or at least three seconds (or our configured minimum).
  if (peer.hold_time != 0 && (peer.hold_time < 3 || peer.hold_time < cfg.min_hold_time))
    return open_error(OpenSubcode::UnacceptableHoldTime, kHoldTimeOffset,
                      "hold time " + std::to_string(peer.hold_time));

  // RFC 6286 §2.2: any non-zero value; equal to ours is refused within an AS only.
  if (peer.bgp_id.value == 0) return open_error(OpenSubcode::BadBgpIdentifier, kBgpIdOffset, "BGP identifier 0");
  if (asn == cfg.local_as && peer.bgp_id == cfg.local_id)
    return open_error(OpenSubcode::BadBgpIdentifier, kBgpIdOffset,
                      "iBGP peer uses our BGP identifier " + cfg.local_id.to_string());

  // RFC 4271 §6.2: capabilities (RFC 5492) are the only optional parameter we know.
  for (const auto& p : peer.params)
    if (p.type != wire::OptionalParameter::kCapabilities)
      return open_error(OpenSubcode::UnsupportedOptionalParameter, kOptParamsOffset,
                        "optional parameter type " + std::to_string(p.type));

  return std::nullopt;
}

}  // namespace evpnd::bgp::fsm
