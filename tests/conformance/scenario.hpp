#pragma once
// Scenario scripts for the conformance harness (tests/conformance/scenarios/*.scn) and
// the transcript they produce, compared with golden JSON. One command per line; '#'
// starts a comment.
//
//   config                       the speaker's configuration follows, each line indented
//     router bgp 65000 ...
//   peer ADDR as ASN id RID [hold N] [local ADDR] [families evpn,ipv4] [no-refresh]
//                                a scripted neighbor (`local`: the speaker's address on
//                                the session; default the speaker's router ID)
//   start                        the speaker starts and connects out
//   connect ADDR                 ADDR connects to the speaker instead (inbound)
//   establish                    time runs until every accepting peer is Established
//   advance N                    N seconds pass (keepalives flow, timers fire)
//   send ADDR file NAME.hex      a captured message from tests/testdata
//   send ADDR macip|multicast ARGS [as-path A,B] [local-pref N] [med N]
//                                [originator-id IP] [cluster-list IP,IP]
//                                an UPDATE (ARGS as `test evpn originate` takes them)
//   send ADDR prefix P/LEN nexthop IP [as-path ...] [local-pref N] [med N]
//   send ADDR withdraw macip|multicast ARGS | withdraw prefix P/LEN
//   send ADDR eor evpn|ipv4      End-of-RIB
//   send ADDR refresh evpn|ipv4 [borr|eorr]
//   keepalives ADDR on|off       a silent peer lets the speaker's hold timer run out
//   accept ADDR on|off           whether the speaker's connection attempts succeed
//   close ADDR                   the peer closes its connection
//   > COMMAND                    an evpnsh command; its output goes in the transcript
//   sent ADDR                    what the speaker sent ADDR since the last look, decoded
//                                (KEEPALIVEs counted, not listed)
//
// The transcript is a JSON array with one entry per `>` and `sent` line, in order.
#include <string>

#include <nlohmann/json.hpp>

namespace evpnd::test {

// Runs a whole script. Throws std::runtime_error with the line number on a bad line or
// a step that cannot complete (a session that does not come up, say).
nlohmann::ordered_json run_scenario(const std::string& script);

}  // namespace evpnd::test
