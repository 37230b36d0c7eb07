#pragma once
// Message counters of one session, kept apart from bgp/session.hpp so that snapshots
// (PeerView) and the show code do not pull in Asio.
#include <cstdint>

namespace evpnd::bgp {

struct SessionCounters {
  std::uint64_t messages_in = 0, messages_out = 0;
  std::uint64_t updates_in = 0, updates_out = 0;
  std::uint64_t keepalives_in = 0, keepalives_out = 0;
  std::uint64_t notifications_in = 0, notifications_out = 0;
  std::uint64_t opens_in = 0, opens_out = 0;
  std::uint64_t route_refresh_in = 0, route_refresh_out = 0;
};

}  // namespace evpnd::bgp
