#pragma once
// UPDATE message (RFC 4271 §4.3) with the path attributes evpnd understands, and the
// RFC 7606 outcome of decoding it. EVPN NLRI inside MP_REACH/MP_UNREACH are kept as raw
// bytes here and decoded by evpn/ (the codec does not know EVPN); IPv4/IPv6 unicast
// NLRI are decoded into prefixes.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/decode_error.hpp"
#include "bgp/wire/result.hpp"
#include "bgp/wire/types.hpp"

namespace evpnd::bgp::wire {

enum class AttrType : std::uint8_t {
  Origin = 1,
  AsPath = 2,
  NextHop = 3,
  MultiExitDisc = 4,
  LocalPref = 5,
  AtomicAggregate = 6,
  Aggregator = 7,
  Communities = 8,        // RFC 1997
  OriginatorId = 9,       // RFC 4456
  ClusterList = 10,       // RFC 4456
  MpReachNlri = 14,       // RFC 4760
  MpUnreachNlri = 15,     // RFC 4760
  ExtendedCommunities = 16,  // RFC 4360
  As4Path = 17,           // RFC 6793
  As4Aggregator = 18,     // RFC 6793
  PmsiTunnel = 22,        // RFC 6514
  LargeCommunities = 32,  // RFC 8092
};

namespace attr_flag {
constexpr std::uint8_t kOptional = 0x80;
constexpr std::uint8_t kTransitive = 0x40;
constexpr std::uint8_t kPartial = 0x20;
constexpr std::uint8_t kExtendedLength = 0x10;
}  // namespace attr_flag

// A unicast prefix, with its RFC 7911 path identifier when ADD-PATH is in use.
struct Prefix {
  IpAddress address;  // host bits beyond `length` are zero
  std::uint8_t length = 0;
  std::optional<std::uint32_t> path_id;
  friend auto operator<=>(const Prefix&, const Prefix&) = default;
};

enum class Origin : std::uint8_t { Igp = 0, Egp = 1, Incomplete = 2 };

enum class AsPathSegmentType : std::uint8_t {
  Set = 1,
  Sequence = 2,
  ConfedSequence = 3,  // RFC 5065
  ConfedSet = 4,
};
struct AsPathSegment {
  AsPathSegmentType type = AsPathSegmentType::Sequence;
  std::vector<std::uint32_t> asns;
  friend bool operator==(const AsPathSegment&, const AsPathSegment&) = default;
};
// Always 4-octet AS numbers: a path from a 2-octet session is reconciled with AS4_PATH
// (RFC 6793 §4.2.3) when decoded, and split again when encoded.
struct AsPath {
  std::vector<AsPathSegment> segments;
  friend bool operator==(const AsPath&, const AsPath&) = default;
  // RFC 4271 §9.1.2.2 a): a set counts 1, confederation segments count 0.
  [[nodiscard]] std::size_t length() const;
  [[nodiscard]] std::optional<std::uint32_t> first_as() const;   // leftmost AS of a leading sequence
  [[nodiscard]] bool contains(std::uint32_t asn) const;
  [[nodiscard]] std::size_t count(std::uint32_t asn) const;  // occurrences (allowas-in)
  [[nodiscard]] std::string to_string() const;  // "65001 65002 {1 2}" like FRR
};

struct Aggregator {
  Asn asn;
  IpAddress address;  // IPv4
  friend bool operator==(const Aggregator&, const Aggregator&) = default;
};

struct ExtendedCommunity {
  std::array<std::uint8_t, 8> bytes{};
  friend auto operator<=>(const ExtendedCommunity&, const ExtendedCommunity&) = default;
  [[nodiscard]] std::uint8_t type() const { return bytes[0]; }
  [[nodiscard]] std::uint8_t subtype() const { return bytes[1]; }
};

struct LargeCommunity {
  std::uint32_t global_admin = 0;
  std::uint32_t local1 = 0;
  std::uint32_t local2 = 0;
  friend auto operator<=>(const LargeCommunity&, const LargeCommunity&) = default;
};

// MP_REACH_NLRI. `next_hop` holds the raw next-hop field (4, 16 or 32 bytes for the
// families we carry; other lengths kept as is). `nlri` holds the raw NLRI bytes;
// for IPv4/IPv6 unicast they are also decoded into `prefixes`.
// Where a decoded MP attribute sat in its message, so that an error found later in its
// NLRI (the EVPN NLRI are decoded by evpn/) can name the offset in the message and put
// the attribute in the NOTIFICATION (RFC 4271 §6.3). All zero for attributes built
// locally. Not part of the value: two attributes compare equal wherever they were.
struct WirePosition {
  std::size_t attribute_offset = 0;  // of the flags octet
  std::size_t attribute_length = 0;  // header and value
  std::size_t nlri_offset = 0;       // of the first NLRI octet
  friend bool operator==(const WirePosition&, const WirePosition&) { return true; }
};

struct MpReach {
  AfiSafi family;
  ByteVec next_hop;
  ByteVec nlri;
  std::vector<Prefix> prefixes;
  WirePosition position{};
  friend bool operator==(const MpReach&, const MpReach&) = default;
  // The first (global) next-hop address for 4/16/32-byte fields; nullopt otherwise.
  [[nodiscard]] std::optional<IpAddress> next_hop_address() const;
};

struct MpUnreach {
  AfiSafi family;
  ByteVec nlri;
  std::vector<Prefix> prefixes;
  WirePosition position{};
  friend bool operator==(const MpUnreach&, const MpUnreach&) = default;
};

// RFC 6514 §5 P-Multicast Service Interface Tunnel attribute.
struct PmsiTunnel {
  static constexpr std::uint8_t kIngressReplication = 6;
  std::uint8_t flags = 0;        // bit 0x01: leaf information required
  std::uint8_t tunnel_type = 0;
  std::uint32_t label = 0;       // the raw 3-octet field (RFC 8365: the VNI)
  ByteVec tunnel_id;             // IR: the tunnel endpoint address (4 or 16 bytes)
  friend bool operator==(const PmsiTunnel&, const PmsiTunnel&) = default;
};

// An attribute we do not model. Optional transitive ones are passed on with the Partial
// bit set (RFC 4271 §5); optional non-transitive ones are dropped by whoever re-advertises.
struct UnknownAttribute {
  std::uint8_t flags = 0;
  std::uint8_t type = 0;
  ByteVec value;
  friend bool operator==(const UnknownAttribute&, const UnknownAttribute&) = default;
};

struct PathAttributes {
  std::optional<Origin> origin;
  std::optional<AsPath> as_path;
  std::optional<IpAddress> next_hop;
  std::optional<std::uint32_t> med;
  std::optional<std::uint32_t> local_pref;
  bool atomic_aggregate = false;
  std::optional<Aggregator> aggregator;
  std::vector<std::uint32_t> communities;
  std::optional<RouterId> originator_id;
  std::vector<std::uint32_t> cluster_list;
  std::optional<MpReach> mp_reach;
  std::optional<MpUnreach> mp_unreach;
  std::vector<ExtendedCommunity> extended_communities;
  std::vector<LargeCommunity> large_communities;
  std::optional<PmsiTunnel> pmsi_tunnel;
  std::vector<UnknownAttribute> unknown;

  // Order and flags of the attributes as received, so that a decoded UPDATE re-encodes
  // to the same bytes (FRR puts MP_REACH first, GoBGP last). Empty for attributes built
  // locally: then the encoder uses ascending type order and the RFC flags, with the
  // extended-length bit only when the value exceeds 255 bytes.
  struct Slot {
    std::uint8_t type = 0;
    std::uint8_t flags = 0;
    friend bool operator==(const Slot&, const Slot&) = default;
  };
  std::vector<Slot> wire_order;

  friend bool operator==(const PathAttributes&, const PathAttributes&) = default;
};

// "ORIGIN", "MP_REACH_NLRI", ...; "attribute N" for types we do not model.
std::string attribute_name(std::uint8_t type);

struct UpdateMessage {
  std::vector<Prefix> withdrawn;  // IPv4 unicast withdrawn routes field
  PathAttributes attrs;
  std::vector<Prefix> nlri;       // IPv4 unicast NLRI field
  friend bool operator==(const UpdateMessage&, const UpdateMessage&) = default;

  // RFC 4724 §2: End-of-RIB is an empty UPDATE (IPv4 unicast) or one whose only
  // attribute is an empty MP_UNREACH_NLRI for the family.
  [[nodiscard]] std::optional<AfiSafi> end_of_rib() const;
};
UpdateMessage make_end_of_rib(AfiSafi family);

// RFC 7606 §2 approaches, from mildest to harshest.
enum class AttrAction : std::uint8_t {
  None = 0,
  AttributeDiscard,   // the attribute is dropped, the UPDATE is otherwise processed
  TreatAsWithdraw,    // every NLRI in the UPDATE is handled as withdrawn
  AfiSafiDisable,     // RFC 4760 §7 / RFC 7606 §5.3 (we reset instead; see update.cpp)
  SessionReset,       // NOTIFICATION and close
};
std::string_view to_string(AttrAction a);

struct AttrFinding {
  std::uint8_t type = 0;            // attribute type code (0: not attribute-specific)
  AttrAction action = AttrAction::None;
  std::uint8_t subcode = 0;         // the UPDATE error subcode the RFC associates with it
  std::size_t offset = 0;           // offset in the whole message
  std::string reason;
  // The rule that decided, e.g. "RFC 7606 §7.2" (static storage): findings are counted
  // and logged per peer and per rule.
  std::string_view rule;
  // The NOTIFICATION data should this finding end the session (RFC 7606 §5.2
  // escalation): the attribute as received, or the missing attribute's type code
  // (RFC 4271 §6.3).
  ByteVec data;
  friend bool operator==(const AttrFinding&, const AttrFinding&) = default;
};

// The result of decoding an UPDATE that did not end the session. When `action` is
// TreatAsWithdraw the caller must withdraw every NLRI in `update` (both the IPv4 fields
// and MP_REACH), not install them. A SessionReset outcome is returned as a DecodeError.
struct DecodedUpdate {
  UpdateMessage update;
  AttrAction action = AttrAction::None;  // the harshest finding below SessionReset
  std::vector<AttrFinding> findings;
};

// `body` is the UPDATE after the 19-byte header.
Result<DecodedUpdate, DecodeError> decode_update(ByteSpan body, const DecodeContext& ctx,
                                                 std::size_t base_offset = kHeaderSize);
void encode_update_body(const UpdateMessage& m, const EncodeContext& ctx, ByteVec& out);

// Unicast NLRI (RFC 4271 §4.3, RFC 7911 §3): used by the UPDATE codec and by tests.
Result<std::vector<Prefix>, DecodeError> decode_prefixes(ByteSpan data, IpAddress::Family family,
                                                         bool add_path, std::size_t base_offset);
void encode_prefixes(const std::vector<Prefix>& prefixes, bool add_path, ByteVec& out);

}  // namespace evpnd::bgp::wire
