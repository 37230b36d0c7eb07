#!/usr/bin/env bash
# evpnd <-> GoBGP over iBGP: Type-2/Type-3 both ways, field by field, and withdrawals
# (see gobgp_evpnd.inc.sh). Usage: interop_gobgp_ibgp.sh [EVPND EVPNSH] (or set EVPND/EVPNSH).
MODE=ibgp
. "$(dirname "$0")/gobgp_evpnd.inc.sh"
