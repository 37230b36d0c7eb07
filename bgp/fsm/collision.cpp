#include "bgp/fsm/collision.hpp"

namespace evpnd::bgp::fsm {

CollisionDecision resolve_collision(const CollisionInput& in) {
  switch (in.existing_state) {
    case State::Idle:
    case State::Connect:
    case State::Active: return CollisionDecision::NoCollision;
    case State::Established: return CollisionDecision::CloseNew;
    case State::OpenSent:
    case State::OpenConfirm: break;
  }
  if (in.existing_initiator == in.new_initiator) return CollisionDecision::CloseNew;

  // Which side's connection survives: the one with the higher identifier (§6.8 step 2),
  // or with equal identifiers the one with the larger AS (RFC 6286 §2.3).
  bool keep_local_initiated = false;
  if (in.local_id.value != in.remote_id.value) {
    keep_local_initiated = in.local_id.value > in.remote_id.value;
  } else if (in.local_as != in.remote_as) {
    keep_local_initiated = in.local_as > in.remote_as;
  } else {
    return CollisionDecision::CloseNew;  // cannot happen on a valid session; keep progress
  }
  const Initiator keep = keep_local_initiated ? Initiator::Local : Initiator::Remote;
  return in.new_initiator == keep ? CollisionDecision::CloseExisting : CollisionDecision::CloseNew;
}

std::string_view to_string(CollisionDecision d) {
  switch (d) {
    case CollisionDecision::NoCollision: return "NoCollision";
    case CollisionDecision::CloseExisting: return "CloseExisting";
    case CollisionDecision::CloseNew: return "CloseNew";
  }
  return "?";
}

}  // namespace evpnd::bgp::fsm
