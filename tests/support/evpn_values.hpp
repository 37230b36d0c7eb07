#pragma once
// Short spellings of the EVPN values tests write over and over: a VNI, an address, a MAC
// in 02:00:00:00:00:NN. A malformed literal (a test bug) throws std::bad_optional_access.
#include <cstdint>
#include <string_view>

#include "bgp/wire/types.hpp"
#include "evpn/types.hpp"

namespace evpnd::test {

inline evpn::Vni vni(std::uint32_t v) { return evpn::Vni::make(v).value(); }
inline bgp::wire::IpAddress ip(std::string_view s) { return bgp::wire::IpAddress::parse(s).value(); }
inline evpn::MacAddress mac(std::uint8_t last) { return evpn::MacAddress{{0x02, 0, 0, 0, 0, last}}; }

}  // namespace evpnd::test
