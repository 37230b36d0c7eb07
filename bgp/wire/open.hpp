#pragma once
// OPEN message (RFC 4271 §4.2) and capabilities (RFC 5492). The optional parameters
// are kept as received (each capability in its own parameter, as FRR sends them, or
// several in one), so re-encoding a decoded OPEN gives the same bytes.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/decode_error.hpp"
#include "bgp/wire/result.hpp"
#include "bgp/wire/types.hpp"

namespace evpnd::bgp::wire {

enum class CapabilityCode : std::uint8_t {
  Multiprotocol = 1,           // RFC 4760
  RouteRefresh = 2,            // RFC 2918
  ExtendedNextHop = 5,         // RFC 8950
  ExtendedMessage = 6,         // RFC 8654
  GracefulRestart = 64,        // RFC 4724
  FourOctetAs = 65,            // RFC 6793
  AddPath = 69,                // RFC 7911
  EnhancedRouteRefresh = 70,   // RFC 7313
  LongLivedGracefulRestart = 71,
  Fqdn = 73,                   // draft-walton-bgp-hostname-capability (FRR)
  RouteRefreshOld = 128,       // pre-standard Cisco code, still sent by FRR
};

struct MultiprotocolCap {
  AfiSafi family;
  std::uint8_t reserved = 0;  // kept for byte-exact re-encode
  friend bool operator==(const MultiprotocolCap&, const MultiprotocolCap&) = default;
};
struct RouteRefreshCap {
  friend bool operator==(const RouteRefreshCap&, const RouteRefreshCap&) = default;
};
struct ExtendedNextHopCap {
  struct Entry {
    std::uint16_t nlri_afi = 0;
    std::uint16_t nlri_safi = 0;
    std::uint16_t next_hop_afi = 0;
    friend bool operator==(const Entry&, const Entry&) = default;
  };
  std::vector<Entry> entries;
  friend bool operator==(const ExtendedNextHopCap&, const ExtendedNextHopCap&) = default;
};
struct ExtendedMessageCap {
  friend bool operator==(const ExtendedMessageCap&, const ExtendedMessageCap&) = default;
};
struct GracefulRestartCap {
  struct Entry {
    AfiSafi family;
    std::uint8_t flags = 0;  // bit 0x80: forwarding state preserved
    friend bool operator==(const Entry&, const Entry&) = default;
  };
  std::uint8_t flags = 0;          // upper 4 bits of the first octet (R=0x8, N=0x4)
  std::uint16_t restart_time = 0;  // 12 bits, seconds
  std::vector<Entry> entries;
  friend bool operator==(const GracefulRestartCap&, const GracefulRestartCap&) = default;
};
struct FourOctetAsCap {
  Asn asn;
  friend bool operator==(const FourOctetAsCap&, const FourOctetAsCap&) = default;
};
enum class AddPathDirection : std::uint8_t { Receive = 1, Send = 2, Both = 3 };
struct AddPathCap {
  struct Entry {
    AfiSafi family;
    AddPathDirection direction = AddPathDirection::Receive;
    friend bool operator==(const Entry&, const Entry&) = default;
  };
  std::vector<Entry> entries;
  friend bool operator==(const AddPathCap&, const AddPathCap&) = default;
};
struct EnhancedRouteRefreshCap {
  friend bool operator==(const EnhancedRouteRefreshCap&, const EnhancedRouteRefreshCap&) = default;
};
struct FqdnCap {
  std::string hostname;
  std::string domain;
  friend bool operator==(const FqdnCap&, const FqdnCap&) = default;
};
// Any capability we do not model (LLGR, old route refresh, ...): kept byte for byte.
struct UnknownCap {
  std::uint8_t code = 0;
  ByteVec value;
  friend bool operator==(const UnknownCap&, const UnknownCap&) = default;
};

using Capability = std::variant<MultiprotocolCap, RouteRefreshCap, ExtendedNextHopCap, ExtendedMessageCap,
                                GracefulRestartCap, FourOctetAsCap, AddPathCap, EnhancedRouteRefreshCap,
                                FqdnCap, UnknownCap>;

std::uint8_t capability_code(const Capability& c);

struct OptionalParameter {
  static constexpr std::uint8_t kCapabilities = 2;  // RFC 5492
  std::uint8_t type = kCapabilities;
  std::vector<Capability> capabilities;  // when type == kCapabilities
  ByteVec value;                         // other (unsupported) parameter types, raw
  friend bool operator==(const OptionalParameter&, const OptionalParameter&) = default;
};

struct OpenMessage {
  std::uint8_t version = 4;
  std::uint16_t my_as = 0;  // the 2-octet field: AS_TRANS when the real AS needs 4 octets
  std::uint16_t hold_time = 0;
  RouterId bgp_id;
  std::vector<OptionalParameter> params;
  bool extended_params = false;  // RFC 9072 encoding (non-ext length 255, type 255)
  friend bool operator==(const OpenMessage&, const OpenMessage&) = default;

  // All capabilities, flattened across parameters, in order.
  [[nodiscard]] std::vector<Capability> capabilities() const;
  // The speaker's AS: the 4-octet capability if present, else my_as.
  [[nodiscard]] Asn asn() const;
  template <class T>
  [[nodiscard]] const T* find() const {
    for (const auto& p : params)
      for (const auto& c : p.capabilities)
        if (auto* v = std::get_if<T>(&c)) return v;
    return nullptr;
  }
  [[nodiscard]] std::vector<AfiSafi> multiprotocol_families() const;
};

// Builds an OPEN with each capability in its own optional parameter (as FRR does);
// my_as is set to AS_TRANS when `asn` does not fit in 2 octets.
OpenMessage make_open(Asn asn, std::uint16_t hold_time, RouterId id, std::vector<Capability> caps);

// Body codecs (the bytes after the 19-byte header). `base_offset` is added to offsets in
// errors so that they count from the start of the whole message.
Result<OpenMessage, DecodeError> decode_open(ByteSpan body, std::size_t base_offset = kHeaderSize);
void encode_open_body(const OpenMessage& m, ByteVec& out);

}  // namespace evpnd::bgp::wire
