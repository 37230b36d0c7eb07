#!/usr/bin/env bash
# evpnd <-> GoBGP over eBGP: Type-2/Type-3 both ways, field by field, and withdrawals;
# then 60 s at hold time 9 without a flap, and a gobgpd kill + restart
# (see gobgp_evpnd.inc.sh). Usage: interop_gobgp_ebgp.sh [EVPND EVPNSH] (or set EVPND/EVPNSH).
MODE=ebgp
. "$(dirname "$0")/gobgp_evpnd.inc.sh"
