#pragma once
// NOTIFICATION error codes and subcodes (RFC 4271 §4.5 and §6, RFC 4486 and RFC 8203
// for Cease, RFC 7313 for ROUTE-REFRESH, RFC 6608 for FSM errors), with their names for
// logs and `show`.
#include <cstdint>
#include <string_view>

namespace evpnd::bgp::wire {

enum class ErrorCode : std::uint8_t {
  MessageHeader = 1,
  OpenMessage = 2,
  UpdateMessage = 3,
  HoldTimerExpired = 4,
  FiniteStateMachine = 5,
  Cease = 6,
  RouteRefreshMessage = 7,
  SendHoldTimerExpired = 8,  // RFC 9687
};

enum class HeaderSubcode : std::uint8_t {
  Unspecific = 0,
  ConnectionNotSynchronized = 1,
  BadMessageLength = 2,
  BadMessageType = 3,
};

enum class OpenSubcode : std::uint8_t {
  Unspecific = 0,
  UnsupportedVersionNumber = 1,
  BadPeerAs = 2,
  BadBgpIdentifier = 3,
  UnsupportedOptionalParameter = 4,
  // 5 (Authentication Failure) is deprecated by RFC 4271.
  UnacceptableHoldTime = 6,
  UnsupportedCapability = 7,  // RFC 5492
  RoleMismatch = 11,          // RFC 9234
};

enum class UpdateSubcode : std::uint8_t {
  Unspecific = 0,
  MalformedAttributeList = 1,
  UnrecognizedWellKnownAttribute = 2,
  MissingWellKnownAttribute = 3,
  AttributeFlagsError = 4,
  AttributeLengthError = 5,
  InvalidOriginAttribute = 6,
  // 7 (AS Routing Loop) is deprecated.
  InvalidNextHopAttribute = 8,
  OptionalAttributeError = 9,
  InvalidNetworkField = 10,
  MalformedAsPath = 11,
};

enum class FsmSubcode : std::uint8_t {
  Unspecific = 0,
  UnexpectedMessageInOpenSent = 1,
  UnexpectedMessageInOpenConfirm = 2,
  UnexpectedMessageInEstablished = 3,
};

enum class CeaseSubcode : std::uint8_t {
  Unspecific = 0,
  MaximumNumberOfPrefixesReached = 1,
  AdministrativeShutdown = 2,
  PeerDeconfigured = 3,
  AdministrativeReset = 4,
  ConnectionRejected = 5,
  OtherConfigurationChange = 6,
  ConnectionCollisionResolution = 7,
  OutOfResources = 8,
  HardReset = 9,  // RFC 8538
  BfdDown = 10,   // RFC 9384
};

enum class RouteRefreshSubcode : std::uint8_t {
  Reserved = 0,
  InvalidMessageLength = 1,
};

// "Message Header Error", "Connection Not Synchronized", ...; unknown values give "Unknown".
std::string_view error_code_name(std::uint8_t code);
std::string_view error_subcode_name(std::uint8_t code, std::uint8_t subcode);

}  // namespace evpnd::bgp::wire
