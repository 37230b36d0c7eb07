#pragma once
// What the codec must know about the session to read or write a message: the things
// negotiated in OPEN that change the encoding (RFC 6793 4-octet AS, RFC 7911 ADD-PATH,
// RFC 8654 extended message) or the error handling (RFC 7606 treats some attributes
// from external peers differently). The same struct serves decode and encode.
#include <algorithm>
#include <cstddef>
#include <vector>

#include "bgp/wire/types.hpp"

namespace evpnd::bgp::wire {

constexpr std::size_t kHeaderSize = 19;
constexpr std::size_t kMaxMessageSize = 4096;           // RFC 4271 §4.1
constexpr std::size_t kMaxExtendedMessageSize = 65535;  // RFC 8654

struct CodecContext {
  bool four_octet_as = true;            // both sides sent capability 65
  // RFC 8654 is a capability per direction. §4: "An implementation that advertises the
  // BGP Extended Message Capability MUST be capable of receiving a message with a
  // length up to and including 65,535 octets", and "A BGP speaker MAY send BGP Extended
  // Messages to a peer only if the BGP Extended Message Capability was received from
  // that peer."
  bool extended_message_rx = false;     // we sent capability 6: accept up to 65535
  bool extended_message_tx = false;     // the peer sent capability 6: we may send up to 65535
  std::vector<AfiSafi> add_path_rx;     // families whose NLRI we receive with path ids
  std::vector<AfiSafi> add_path_tx;     // families whose NLRI we send with path ids
  // The peer sent the Enhanced Route Refresh capability (70): RFC 7313 §5's length
  // check of BoRR/EoRR applies only then.
  bool enhanced_route_refresh = false;
  // RFC 7606 §7.5, §7.9, §7.10: LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST from an
  // external peer are discarded whatever their shape. Tools that decode captures
  // without knowing the session keep the internal-peer checks.
  bool ibgp = true;
  // Some family other than IPv4 unicast is negotiated, so its routes travel in
  // MP_REACH/MP_UNREACH: an attribute list we cannot walk may hide them (RFC 7606 §4,
  // §3(j)). Tools that do not know the session assume so.
  bool multiprotocol = true;

  [[nodiscard]] bool add_path_receive(AfiSafi f) const {
    return std::find(add_path_rx.begin(), add_path_rx.end(), f) != add_path_rx.end();
  }
  [[nodiscard]] bool add_path_send(AfiSafi f) const {
    return std::find(add_path_tx.begin(), add_path_tx.end(), f) != add_path_tx.end();
  }
  // RFC 8654 §6: OPEN and KEEPALIVE stay at 4096 whatever was negotiated.
  [[nodiscard]] std::size_t max_receive_size() const {
    return extended_message_rx ? kMaxExtendedMessageSize : kMaxMessageSize;
  }
  [[nodiscard]] std::size_t max_send_size() const {
    return extended_message_tx ? kMaxExtendedMessageSize : kMaxMessageSize;
  }
};
using DecodeContext = CodecContext;
using EncodeContext = CodecContext;

}  // namespace evpnd::bgp::wire
