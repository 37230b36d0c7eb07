#pragma once
// Prints a BgpConfig as FRR's `show running-config` does: the `router bgp` stanza with
// one space of indent per level, address-family blocks closed by ` exit-address-family`,
// `exit` and `!` separators, and only what differs from the defaults (FRR's
// bgp_config_write), except that the `no` forms FRR also prints -- `no bgp
// ebgp-requires-policy`, `no bgp default ipv4-unicast` -- are printed when set.
//
// The output is canonical: parse_config(print_config(c)) gives back c for any c that
// parse_config produced, and printing that again gives the same text. Neighbors keep
// their configured order; AS numbers are printed asplain whatever notation was typed.
#include <string>

#include "bgp/config.hpp"

namespace evpnd::cli {

std::string print_config(const bgp::BgpConfig& config);

}  // namespace evpnd::cli
