#include "bgp/wire/error_codes.hpp"

namespace evpnd::bgp::wire {

std::string_view error_code_name(std::uint8_t code) {
  switch (static_cast<ErrorCode>(code)) {
    case ErrorCode::MessageHeader: return "Message Header Error";
    case ErrorCode::OpenMessage: return "OPEN Message Error";
    case ErrorCode::UpdateMessage: return "UPDATE Message Error";
    case ErrorCode::HoldTimerExpired: return "Hold Timer Expired";
    case ErrorCode::FiniteStateMachine: return "Finite State Machine Error";
    case ErrorCode::Cease: return "Cease";
    case ErrorCode::RouteRefreshMessage: return "ROUTE-REFRESH Message Error";
    case ErrorCode::SendHoldTimerExpired: return "Send Hold Timer Expired";
  }
  return "Unknown";
}

std::string_view error_subcode_name(std::uint8_t code, std::uint8_t subcode) {
  switch (static_cast<ErrorCode>(code)) {
    case ErrorCode::MessageHeader:
      switch (static_cast<HeaderSubcode>(subcode)) {
        case HeaderSubcode::Unspecific: return "Unspecific";
        case HeaderSubcode::ConnectionNotSynchronized: return "Connection Not Synchronized";
        case HeaderSubcode::BadMessageLength: return "Bad Message Length";
        case HeaderSubcode::BadMessageType: return "Bad Message Type";
      }
      break;
    case ErrorCode::OpenMessage:
      switch (static_cast<OpenSubcode>(subcode)) {
        case OpenSubcode::Unspecific: return "Unspecific";
        case OpenSubcode::UnsupportedVersionNumber: return "Unsupported Version Number";
        case OpenSubcode::BadPeerAs: return "Bad Peer AS";
        case OpenSubcode::BadBgpIdentifier: return "Bad BGP Identifier";
        case OpenSubcode::UnsupportedOptionalParameter: return "Unsupported Optional Parameter";
        case OpenSubcode::UnacceptableHoldTime: return "Unacceptable Hold Time";
        case OpenSubcode::UnsupportedCapability: return "Unsupported Capability";
        case OpenSubcode::RoleMismatch: return "Role Mismatch";
      }
      if (subcode == 5) return "Authentication Failure (deprecated)";
      break;
    case ErrorCode::UpdateMessage:
      switch (static_cast<UpdateSubcode>(subcode)) {
        case UpdateSubcode::Unspecific: return "Unspecific";
        case UpdateSubcode::MalformedAttributeList: return "Malformed Attribute List";
        case UpdateSubcode::UnrecognizedWellKnownAttribute: return "Unrecognized Well-known Attribute";
        case UpdateSubcode::MissingWellKnownAttribute: return "Missing Well-known Attribute";
        case UpdateSubcode::AttributeFlagsError: return "Attribute Flags Error";
        case UpdateSubcode::AttributeLengthError: return "Attribute Length Error";
        case UpdateSubcode::InvalidOriginAttribute: return "Invalid ORIGIN Attribute";
        case UpdateSubcode::InvalidNextHopAttribute: return "Invalid NEXT_HOP Attribute";
        case UpdateSubcode::OptionalAttributeError: return "Optional Attribute Error";
        case UpdateSubcode::InvalidNetworkField: return "Invalid Network Field";
        case UpdateSubcode::MalformedAsPath: return "Malformed AS_PATH";
      }
      if (subcode == 7) return "AS Routing Loop (deprecated)";
      break;
    case ErrorCode::HoldTimerExpired:
      if (subcode == 0) return "Unspecific";
      break;
    case ErrorCode::FiniteStateMachine:
      switch (static_cast<FsmSubcode>(subcode)) {
        case FsmSubcode::Unspecific: return "Unspecific";
        case FsmSubcode::UnexpectedMessageInOpenSent: return "Receive Unexpected Message in OpenSent State";
        case FsmSubcode::UnexpectedMessageInOpenConfirm: return "Receive Unexpected Message in OpenConfirm State";
        case FsmSubcode::UnexpectedMessageInEstablished: return "Receive Unexpected Message in Established State";
      }
      break;
    case ErrorCode::Cease:
      switch (static_cast<CeaseSubcode>(subcode)) {
        case CeaseSubcode::Unspecific: return "Unspecific";
        case CeaseSubcode::MaximumNumberOfPrefixesReached: return "Maximum Number of Prefixes Reached";
        case CeaseSubcode::AdministrativeShutdown: return "Administrative Shutdown";
        case CeaseSubcode::PeerDeconfigured: return "Peer De-configured";
        case CeaseSubcode::AdministrativeReset: return "Administrative Reset";
        case CeaseSubcode::ConnectionRejected: return "Connection Rejected";
        case CeaseSubcode::OtherConfigurationChange: return "Other Configuration Change";
        case CeaseSubcode::ConnectionCollisionResolution: return "Connection Collision Resolution";
        case CeaseSubcode::OutOfResources: return "Out of Resources";
        case CeaseSubcode::HardReset: return "Hard Reset";
        case CeaseSubcode::BfdDown: return "BFD Down";
      }
      break;
    case ErrorCode::RouteRefreshMessage:
      switch (static_cast<RouteRefreshSubcode>(subcode)) {
        case RouteRefreshSubcode::Reserved: return "Reserved";
        case RouteRefreshSubcode::InvalidMessageLength: return "Invalid Message Length";
      }
      break;
    case ErrorCode::SendHoldTimerExpired:
      if (subcode == 0) return "Unspecific";  // RFC 9687 §6: the subcode is 0
      break;
  }
  return "Unknown";
}

}  // namespace evpnd::bgp::wire
