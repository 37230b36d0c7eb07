#pragma once
// Field values the route key and route data tests build their routes from.
#include "evpn/nlri.hpp"

namespace evpnd::test {

inline evpn::wire::IpAddress ip(const char* t) { return *evpn::wire::IpAddress::parse(t); }
inline const evpn::RouteDistinguisher kRd = evpn::RouteDistinguisher::make_type1(0x0a000001, 2);
inline const evpn::MacAddress kMac = *evpn::MacAddress::parse("02:00:00:00:01:01");
inline const evpn::EthernetSegmentId kEsi = *evpn::EthernetSegmentId::parse("00:11:22:33:44:55:66:77:88:99");

}  // namespace evpnd::test
