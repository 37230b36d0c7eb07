#!/usr/bin/env bash
# evpnd <-> FRR 8.4 (zebra + bgpd, advertise-all-vni, real br100/vxlan100 and a pinging
# host) over eBGP: FRR's real Type-2/Type-3 read field by field by evpnd, evpnd's
# routes shown by FRR and installed by zebra, withdrawals;
# then 60 s at hold time 9 without a flap, and a bgpd kill + restart
# (see frr_evpnd.inc.sh). Usage: interop_frr_ebgp.sh [EVPND EVPNSH] (or set EVPND/EVPNSH).
MODE=ebgp
. "$(dirname "$0")/frr_evpnd.inc.sh"
