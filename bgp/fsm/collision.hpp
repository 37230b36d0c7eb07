#pragma once
// Connection collision resolution (RFC 4271 §6.8, RFC 6286 §2.3). When both speakers
// open a TCP connection at once there are two connections to the same peer; once an
// OPEN tells us the peer's BGP identifier, one of them must go. The speaker asks here
// which, then feeds OpenCollisionDump to that connection's FsmState, which sends
// Cease / Connection Collision Resolution and closes it.
#include <cstdint>
#include <string_view>

#include "bgp/fsm/fsm.hpp"
#include "bgp/wire/types.hpp"

namespace evpnd::bgp::fsm {

// Which side opened a TCP connection.
enum class Initiator : std::uint8_t { Local, Remote };

enum class CollisionDecision : std::uint8_t {
  NoCollision,    // the existing connection has no session to protect (Idle/Connect/Active)
  CloseExisting,  // dump the connection we already had, keep the new one
  CloseNew,       // dump the connection that just received an OPEN
};

struct CollisionInput {
  State existing_state = State::Idle;        // the other connection's FSM state
  Initiator existing_initiator = Initiator::Local;
  Initiator new_initiator = Initiator::Remote;  // the connection that just got an OPEN
  wire::RouterId local_id;
  wire::RouterId remote_id;                  // from the OPEN just received
  wire::Asn local_as;                        // tie-break when the identifiers are equal
  wire::Asn remote_as;
};

// RFC 4271 §6.8: an Established connection always wins (we do not implement
// CollisionDetectEstablishedState). Against a connection in OpenSent or OpenConfirm,
// the identifiers are compared as host-order 32-bit unsigned numbers and the connection
// initiated by the side with the lower one is closed. RFC 6286 §2.3: with equal
// identifiers (possible on eBGP), the connection initiated by the side with the larger
// AS number survives. Two connections opened by the same side are not a collision in
// the RFC's sense: the newer one is closed and the older one keeps its progress.
CollisionDecision resolve_collision(const CollisionInput& in);

// The event to feed to the connection the decision closes.
inline Event collision_dump_event() { return OpenCollisionDump{wire::CeaseSubcode::ConnectionCollisionResolution}; }

std::string_view to_string(CollisionDecision d);

}  // namespace evpnd::bgp::fsm
