// libFuzzer target for the typed extended communities (evpn/ext_community.hpp): the
// input is cut into 8-octet communities. For each: decoding never fails; the typed value
// encodes to a community that decodes to the same value (reserved octets become zero, so
// encode(decode(x)) is x with its reserved octets cleared, and a second round is exact);
// an unknown community is kept byte for byte; FRR's text exists for every one, in both
// orders, and route_targets() agrees with the values decoded one by one.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "evpn/ext_community.hpp"

using namespace evpnd::evpn;
namespace wire = evpnd::bgp::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<wire::ExtendedCommunity> all;
  std::size_t rts = 0;
  for (std::size_t off = 0; off + 8 <= size; off += 8) {
    wire::ExtendedCommunity c;
    std::memcpy(c.bytes.data(), data + off, 8);
    all.push_back(c);
    const ExtCommunityValue v = decode_ext_community(c);
    const wire::ExtendedCommunity e = encode_ext_community(v);
    if (!(decode_ext_community(e) == v)) __builtin_trap();
    if (!(encode_ext_community(decode_ext_community(e)) == e)) __builtin_trap();
    if (std::holds_alternative<UnknownExtCommunity>(v) && !(e == c)) __builtin_trap();
    if (std::holds_alternative<RouteTarget>(v)) ++rts;
    (void)describe(c);
  }
  (void)describe_all(all, DescribeOrder::Received);
  (void)describe_all(all, DescribeOrder::FrrSorted);
  if (route_targets(all).size() != rts) __builtin_trap();
  return 0;
}
