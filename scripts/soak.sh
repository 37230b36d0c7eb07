#!/usr/bin/env bash
# soak.sh MINUTES [BUILD_DIR]: evpnd between an FRR leaf and a GoBGP peer (both EVPN),
# plus a scripted peer (evpnd-peersim), under steady churn for MINUTES minutes:
#   every 10 s   evpnd re-advertises 2,000 routes with new attributes and originates and
#                withdraws a MAC; peersim connects, sends 5,000 routes and goes;
#   every 30 s   evpnd's session with FRR is reset (clear bgp);
#   every 50 s   GoBGP resets its session with evpnd.
# Once a minute it prints evpnd's RSS, open descriptors, sessions up, routes held and
# error lines logged. It fails if evpnd dies, logs an error or a sanitizer report, if
# RSS at the end is more than 10% above the baseline (taken after the first two
# minutes), if descriptors grew, or if a peer misses routes at the end.
# Not part of the suite (scripts/test.sh); needs root, FRR, GoBGP and a built evpnd
# (default build/release; `bash scripts/build.sh release`).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
minutes=${1:?usage: soak.sh MINUTES [BUILD_DIR]}
build=${2:-$root/build/release}
export EVPND=$build/daemon/evpnd EVPNSH=$build/daemon/evpnsh PEERSIM=$build/tests/tools/evpnd-peersim
export EVPND_NO_SKIP=1 EVPND_LOG_LEVEL=${EVPND_LOG_LEVEL:-info}
. "$root/tests/interop/lib.sh"
ev_require jq gobgpd gobgp vtysh "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd
ev_require_peersim
ev_init

EV_AS=65002; GB_AS=65003; PS_AS=65010
GB_ADDR=10.11.0.1; EV_GB=10.11.0.2
PS_ADDR=10.12.0.1; EV_PS=10.12.0.2
CHURN=2000; PS_ROUTES=5000

frr_leaf_topology leaf ev
netns_create gb
netns_create ps
link ev eth1 "$EV_GB/24" gb eth0 "$GB_ADDR/24"
link ev eth2 "$EV_PS/24" ps eth0 "$PS_ADDR/24"
frr_leaf_conf leaf leaf1 65001 "$LEAF_VTEP" "$PEER_ADDR" "$EV_AS"
gobgp_conf gb "$GB_AS" 10.0.0.3 "$GB_ADDR" "$EV_GB" "$EV_AS"
evpnd_write_conf ev <<C
hostname ev1
router bgp $EV_AS
 bgp router-id $PEER_VTEP
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 neighbor $LEAF_ADDR remote-as 65001
 neighbor $LEAF_ADDR timers 3 9
 neighbor $LEAF_ADDR timers connect 2
 neighbor $GB_ADDR remote-as $GB_AS
 neighbor $GB_ADDR timers 3 9
 neighbor $GB_ADDR timers connect 2
 neighbor $PS_ADDR remote-as $PS_AS
 neighbor $PS_ADDR passive
 neighbor $PS_ADDR timers 3 9
 address-family l2vpn evpn
  neighbor $LEAF_ADDR activate
  neighbor $GB_ADDR activate
  neighbor $PS_ADDR activate
 exit-address-family
exit
C
start_frr leaf
start_gobgp gb
start_evpnd ev
check "FRR and GoBGP sessions Established" wait_until 30 eval \
  'evpnd_established ev "$LEAF_ADDR" && evpnd_established ev "$GB_ADDR"'
host_ping leafh "$SVI4" "$SVI6"
pid=$(evpnd_pid ev)
log=$(ev_dir ev)/evpnd.log

round=0
churn_once() {
  round=$((round + 1))
  evpnsh_c ev "test evpn originate macip rd $PEER_VTEP:200 mac 02:30:00:00:00:00 label 200 nexthop $PEER_VTEP rt $EV_AS:200 rt $EV_AS:$((1000 + round % 2)) count $CHURN" >/dev/null
  evpnsh_c ev "test evpn originate macip rd $PEER_VTEP:100 mac 02:00:00:00:02:0b label 100 nexthop $PEER_VTEP rt $EV_AS:100" >/dev/null
  evpnsh_c ev "test evpn withdraw macip rd $PEER_VTEP:100 mac 02:00:00:00:02:0b" >/dev/null
  peersim ps --local "$PS_ADDR" --remote "$EV_PS" --as "$PS_AS" --remote-as "$EV_AS" --routes "$PS_ROUTES" \
    --timeout 30 >/dev/null 2>&1
  # Keep the host's MAC alive on the leaf (the bridge ages it out after 300 s, and FRR
  # then withdraws its Type-2 routes).
  nsx leafh ping -c 1 -W 1 -q "$SVI4" >/dev/null 2>&1
  (( round % 3 == 0 )) && evpnsh_c ev "clear bgp $LEAF_ADDR" >/dev/null
  (( round % 5 == 0 )) && gobgp_cli gb neighbor "$EV_GB" reset >/dev/null
  return 0
}
errors() { grep -cE '^[0-9T:.-]+ (error|critical) ' "$log" 2>/dev/null; }
sessions_up() {
  evpnsh_c ev "show bgp l2vpn evpn summary json" |
    jq '[.peers[] | select(.state == "Established")] | length'
}
both_up() { evpnd_established ev "$LEAF_ADDR" && evpnd_established ev "$GB_ADDR"; }
routes_held() { evpnsh_c ev "show bgp l2vpn evpn summary json" | jq '[.peers[].pfxRcd] | add'; }

printf '%-7s %10s %5s %9s %7s %7s\n' minute rss_kb fds sessions routes errors
base_rss=0; base_fds=0; status=0
end_at=$(( $(date +%s) + minutes * 60 ))
for ((m = 1; m <= minutes; m++)); do
  minute_end=$(( $(date +%s) + 60 ))
  while [ "$(date +%s)" -lt "$minute_end" ]; do
    t=$(date +%s)
    churn_once
    if ! ev_pid_alive ev-evpnd; then echo "evpnd died in minute $m"; status=1; break 2; fi
    rest=$(( t + 10 - $(date +%s) ))
    [ "$rest" -gt 0 ] && sleep "$rest"
  done
  # Sample in the same state each time: both long-lived sessions up again after the resets
  # (GoBGP stays idle for 30 s after `neighbor reset`, its idle-hold-time-after-reset).
  wait_until 45 both_up || echo "note: a session was not back within 45 s in minute $m"
  rss=$(proc_rss_kb "$pid"); fds=$(proc_fds "$pid")
  printf '%-7s %10s %5s %9s %7s %7s\n' "$m" "$rss" "$fds" "$(sessions_up)" "$(routes_held)" "$(errors)"
  if [ "$m" -eq 2 ]; then base_rss=$rss; base_fds=$fds; fi
done
[ "$(date +%s)" -le $((end_at + 120)) ] || echo "note: the rounds ran late"

if [ "$status" -eq 0 ]; then
  # Let the last resets settle, then look at the end state.
  check "FRR and GoBGP sessions Established at the end" wait_until 30 both_up
  rss=$(proc_rss_kb "$pid"); fds=$(proc_fds "$pid")
  echo "end: rss ${rss} kB (baseline ${base_rss}), fds ${fds} (baseline ${base_fds})"
  check "evpnd is alive" ev_pid_alive ev-evpnd
  check_eq "no error lines in evpnd's log" 0 "$(errors)"
  if [ "$base_rss" -gt 0 ]; then
    check "RSS at most 10% above the baseline ($base_rss -> $rss kB)" test "$rss" -le $(( base_rss + base_rss / 10 ))
    check "descriptors did not grow ($base_fds -> $fds)" test "$fds" -le "$base_fds"
  fi
  frr_pfx() { frr_vtysh leaf "show bgp l2vpn evpn summary json" | jq --arg p "$PEER_ADDR" '.peers[$p].pfxRcd // 0'; }
  gb_rib() { gobgp_cli gb global rib summary -a evpn 2>/dev/null | awk '/Destination:/ {gsub(",", "", $2); print $2}'; }
  check "FRR holds evpnd's $CHURN churned routes" wait_until 60 eval '[ "$(frr_pfx)" -eq '"$CHURN"' ]'
  check "evpnd holds FRR's 4 routes" wait_until 30 evpnd_has ev \
    "[.routes[] | select(.peer==\"$LEAF_ADDR\")] | length == 4"
  # evpnd passes FRR's routes on (eBGP transit): GoBGP holds those and evpnd's own.
  check "GoBGP holds evpnd's $CHURN churned routes and FRR's 4" wait_until 60 eval \
    '[ "$(gb_rib)" -eq '"$((CHURN + 4))"' ]'
else
  fail "soak ran $minutes minutes" "evpnd died: $(tail -20 "$(ev_dir ev)/evpnd.out")"
fi
ev_finish
