#!/usr/bin/env bash
# evpnd demo: an EVPN-VXLAN fabric of two leaves in network namespaces, an FRR leaf and
# an evpnd leaf, peering over eBGP, with a host behind each.
#
#   leaf1 (FRR 8.4 zebra + bgpd, AS 65001)          leaf2 (evpnd, AS 65002)
#   VTEP 10.0.0.1, br100 + vxlan100 (VNI 100)        VTEP 10.0.0.2, br100 + vxlan100
#   SVI 192.168.100.1/24, fd00:100::1/64             SVI 192.168.100.2/24, fd00:100::2/64
#      | h1: 02:00:00:00:01:0a 192.168.100.10           | h2: 02:00:00:00:02:0a 192.168.100.20
#      +------------- 10.10.0.1/24 ---- 10.10.0.2/24 ----+
#
# Both leaves run advertise-all-vni: each discovers VNI 100 from its kernel, learns its
# host's MAC and addresses, advertises them (Type-2) with its flood entry (Type-3), and
# installs the other's in the kernel. h2 pings h1 over IPv4 and IPv6 across VXLAN. No
# test hook is used. The script prints both leaves' views, then tears everything down --
# or, with --keep, leaves it running and says how to enter it and how to remove it
# (--down).
#
# It builds nothing (default binaries: build/release/daemon/, else build/daemon/).
# Needs root, FRR, jq and iproute2 (scripts/install-deps.sh).
# Everything lives in namespaces named <name>-*; nothing is touched in the root namespace.
#
# Usage: scripts/demo.sh [--evpnd PATH] [--evpnsh PATH] [--name NAME] [--keep | --down]
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# Default binaries: the release flavour of scripts/build.sh, else a plain build/ tree.
BUILD=$ROOT/build/release
[ -x "$BUILD/daemon/evpnd" ] || BUILD=$ROOT/build
EVPND=$BUILD/daemon/evpnd
EVPNSH=$BUILD/daemon/evpnsh
NAME=evdemo
KEEP=0
DOWN=0
while [ $# -gt 0 ]; do
  case $1 in
    --evpnd) EVPND=$2; shift 2;;
    --evpnsh) EVPNSH=$2; shift 2;;
    --name) NAME=$2; shift 2;;
    --keep) KEEP=1; shift;;
    --down) DOWN=1; shift;;
    -h|--help) sed -n '2,20p' "$0"; exit 0;;
    *) echo "demo.sh: unknown argument $1 (see --help)" >&2; exit 2;;
  esac
done
if ! [[ "$NAME" =~ ^[a-z][a-z0-9]{0,9}$ ]]; then echo "demo.sh: --name must be [a-z][a-z0-9]{0,9}" >&2; exit 2; fi

. "$ROOT/tests/interop/lib.sh"
EV_RUN=$NAME                      # namespaces: $NAME-leaf1, $NAME-leaf2, $NAME-leaf1h
STATE=/tmp/$NAME                  # configs, sockets, logs, and the state --down reads

# --down: stop exactly the processes a --keep run recorded, remove its namespaces and files.
if [ "$DOWN" -eq 1 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "demo.sh: run as root" >&2; exit 1; }
  if [ ! -f "$STATE/demo.state" ]; then echo "demo.sh: no demo '$NAME' is running ($STATE/demo.state missing)"; exit 1; fi
  while read -r kind a b c; do
    case $kind in
      pid) EV_PID[$a]=$b; EV_EXE[$a]=$c;;
      netns) EV_NETNS+=("$a");;
    esac
  done <"$STATE/demo.state"
  for n in "${!EV_PID[@]}"; do ev_stop "$n"; done
  for ns in "${EV_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$STATE"
  echo "demo '$NAME' removed"
  exit 0
fi

ev_require jq vtysh "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
if [ ! -x "$EVPND" ] || [ ! -x "$EVPNSH" ]; then
  echo "demo.sh: evpnd/evpnsh not found at $EVPND / $EVPNSH (build them, or pass --evpnd/--evpnsh)" >&2
  exit 1
fi
if [ -e "$STATE" ] || ip netns list | grep -q "^$NAME-"; then
  echo "demo.sh: a demo named '$NAME' exists already; remove it with: $0 --name $NAME --down" >&2
  exit 1
fi

mkdir -p "$STATE" && chmod 755 "$STATE"
EV_TMP=$STATE
trap ev_cleanup EXIT
trap 'echo "interrupted"; exit 130' INT TERM HUP

say() { if [ -t 1 ]; then printf '\n\033[1m== %s\033[0m\n' "$*"; else printf '\n== %s\n' "$*"; fi; }

H2_MAC=02:00:00:00:02:0a; H2_IP4=192.168.100.20; H2_IP6=fd00:100::20
say "building namespaces $NAME-leaf1 (FRR), $NAME-leaf2 (evpnd), $NAME-leaf1h and $NAME-leaf2h (hosts)"
vtep_leaf_pair leaf1 leaf2 192.168.100.2/24 fd00:100::2/64
host_on_bridge leaf2 "br$VNI" leaf2h "$H2_MAC" "$H2_IP4/24" "$H2_IP6/64"
start_frr leaf1
EVPND_TEST_COMMANDS=0 start_evpnd leaf2

say "waiting for the eBGP session (up to 30 s)"
up() { evpnd_established leaf2 "$LEAF_ADDR" && frr_established leaf1 "$PEER_ADDR"; }
if ! wait_until 30 up; then
  echo "session did not come up: evpnd says $(evpnd_peer_state leaf2 "$LEAF_ADDR"), FRR says $(frr_peer_state leaf1 "$PEER_ADDR")"
  echo "logs: $STATE/leaf2/evpnd.log, $STATE/leaf1/frr/bgpd.log"
  [ "$KEEP" -eq 1 ] || tail -20 "$STATE/leaf2/evpnd.log" 2>/dev/null
  exit 1
fi
echo "Established"

say "h2 (behind evpnd) pings h1 (behind FRR) across VXLAN, IPv4 and IPv6"
flood_ready() { nsx leaf2 bridge fdb show dev "vxlan$VNI" | grep -q "00:00:00:00:00:00 dst $LEAF_VTEP"; }
wait_until 20 flood_ready || echo "(evpnd has not installed FRR's flood entry yet)"
PINGS_OK=1
nsx leaf2h ping -c 3 -i 0.3 -W 2 "$HOST_IP4" || PINGS_OK=0
nsx leaf2h ping -c 3 -i 0.3 -W 2 "$HOST_IP6" || PINGS_OK=0
say "h1 pings h2"
nsx leaf1h ping -c 3 -i 0.3 -W 2 "$H2_IP4" || PINGS_OK=0
host_ping leaf2h 192.168.100.2 fd00:100::2 >/dev/null
host_ping leaf1h "$SVI4" "$SVI6" >/dev/null
wait_until 15 frr_has leaf1 "[.[] | select(.rd==\"$PEER_VTEP:2\")] | length >= 4" \
  || echo "(FRR has not got all of evpnd's routes yet)"

# Text output where evpnsh has it, else its JSON.
evpnsh_show() {
  evpnsh_c leaf2 "$1" 2>/dev/null || evpnsh_c leaf2 "$1 json" | jq .
}
say "evpnsh -c \"show bgp l2vpn evpn summary\"  (evpnd, leaf2)"
evpnsh_show "show bgp l2vpn evpn summary"
say "evpnsh -c \"show bgp l2vpn evpn route\"  (evpnd, leaf2)"
evpnsh_show "show bgp l2vpn evpn route"
say "vtysh -c \"show bgp l2vpn evpn route\"  (FRR, leaf1)"
frr_vtysh leaf1 "show bgp l2vpn evpn route"
say "evpnsh -c \"show evpn mac vni 100\"  (evpnd: h2 local, h1 remote)"
evpnsh_show "show evpn mac vni 100"
say "evpnsh -c \"show evpn vni 100\"  (evpnd)"
evpnsh_show "show evpn vni 100"
say "kernel FDB of vxlan100 on leaf2 (what evpnd installed from FRR's routes)"
nsx leaf2 bridge fdb show dev vxlan100
say "vtysh -c \"show evpn mac vni 100\"  (FRR's zebra: local and remote MACs)"
frr_vtysh leaf1 "show evpn mac vni 100"
say "kernel FDB of vxlan100 on leaf1 (what zebra installed from evpnd's routes)"
nsx leaf1 bridge fdb show dev vxlan100

if [ "$KEEP" -eq 1 ]; then
  {
    for n in "${!EV_PID[@]}"; do echo "pid $n ${EV_PID[$n]} ${EV_EXE[$n]}"; done
    for ns in "${EV_NETNS[@]}"; do echo "netns $ns"; done
  } >"$STATE/demo.state"
  trap - EXIT INT TERM HUP
  cat <<EOF

The demo keeps running. Try:
  $EVPNSH --socket $STATE/leaf2/evpnd.sock -c "show bgp l2vpn evpn route json"
  vtysh --vty_socket $STATE/leaf1/frr -c "show bgp l2vpn evpn summary"
  ip netns exec $NAME-leaf2h ping -c 3 $HOST_IP4    # h2 (behind evpnd) to h1 (behind FRR)
  $EVPNSH --socket $STATE/leaf2/evpnd.sock -c "show evpn mac vni all"
  ip netns exec $NAME-leaf1 bash                    # a shell on the FRR leaf
  ip netns exec $NAME-leaf2 bash                    # a shell on the evpnd leaf
Logs: $STATE/leaf2/evpnd.log, $STATE/leaf1/frr/{zebra,bgpd}.log
Tear it down with:
  $0 --name $NAME --down
EOF
  exit 0
fi
say "tearing down"
if [ "$PINGS_OK" -ne 1 ]; then echo "demo.sh: the hosts could not ping each other (logs were in $STATE)" >&2; exit 1; fi
exit 0
