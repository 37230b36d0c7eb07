#pragma once
// What an update group (bgp/update_groups.hpp) needs of a peer: the settings that decide
// what it is sent and how that is encoded (ExportKey), and its output queue. bgp::Peer
// implements it; the update group tests use a peer of their own with no socket.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "bgp/wire/context.hpp"
#include "bgp/wire/message.hpp"
#include "bgp/wire/types.hpp"
#include "rib/peer_info.hpp"

namespace evpnd::bgp {

// Peers with equal keys are sent the same bytes: the same routes (RFC 4456 §6: whether a
// reflected route goes to a peer depends only on iBGP/eBGP and client or not; the split
// horizon towards a route's own source is per message, see UpdateGroups), the same
// attributes (next-hop-self replaces the next hop with the session's address), and the
// same encoding (4-octet AS, ADD-PATH for the family, RFC 8654 extended messages). Each
// family has its own update groups and a peer its own key in each.
struct ExportKey {
  bool ibgp = true;
  bool rr_client = false;
  // Set: learned paths go out with our session address as next hop (`next-hop-self`;
  // for ipv4 unicast also every eBGP peer, RFC 4271 §5.1.3).
  std::optional<wire::IpAddress> next_hop_self;
  bool next_hop_self_force = false;  // also on reflected paths (`next-hop-self force`)
  // ipv4 unicast: our session address, the next hop of the routes we originate.
  std::optional<wire::IpAddress> local_next_hop;
  bool four_octet_as = true;
  bool add_path_send = false;  // in this family
  bool extended_message = false;
  friend bool operator==(const ExportKey&, const ExportKey&) = default;
};

std::size_t hash_value(const ExportKey& k);
// A name for show (FRR's `show bgp update-groups` prints the settings the same way):
// "ibgp rr-client as4", "ebgp as4 extended-message next-hop-self 10.0.0.1".
std::string describe(const ExportKey& k);

// How a table (re)send started: RFC 4724 End-of-RIB after the initial one, RFC 7313
// BoRR/EoRR around a route refresh when the peer speaks Enhanced Route Refresh.
enum class TableSendReason : std::uint8_t { Initial, Refresh };

using SharedMessage = std::shared_ptr<const wire::ByteVec>;

class ExportPeer {
 public:
  virtual ~ExportPeer() = default;
  [[nodiscard]] virtual rib::PeerId rib_id() const = 0;
  // Established, `family` negotiated, and not blocked by RFC 8212.
  [[nodiscard]] virtual bool exports(wire::AfiSafi family) const = 0;
  [[nodiscard]] virtual ExportKey export_key(wire::AfiSafi family) const = 0;
  [[nodiscard]] virtual const wire::CodecContext& codec() const = 0;
  [[nodiscard]] virtual bool enhanced_route_refresh() const = 0;
  [[nodiscard]] virtual std::size_t queued_bytes() const = 0;
  // The owner calls UpdateGroups::output_drained once the queue is below the low-water mark.
  virtual void notify_when_drained() = 0;
  // Whole encoded messages, shared with the other members of the peer's group.
  virtual void send_shared(std::span<const SharedMessage> messages, wire::MessageType type) = 0;
  // The size of the peer's Adj-RIB-Out in `family` (FRR's pfxSnt).
  virtual void set_prefixes_sent(wire::AfiSafi family, std::size_t n) = 0;
};

}  // namespace evpnd::bgp
