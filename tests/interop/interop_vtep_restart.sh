#!/usr/bin/env bash
# evpnd restarted (SIGTERM, then SIGKILL) while its host pings a host behind an FRR leaf
# at 10 per second. The kernel entries evpnd installed stay while it is away, and the new
# evpnd adopts them: not one remote entry may be rewritten or removed (counted from
# `bridge monitor fdb` in evpnd's namespace). Lost pings are counted and printed; without
# graceful restart (not built yet) FRR withdraws evpnd's routes while it is down, so
# replies to its host are lost for that time, and the test only requires that traffic
# recovers after each restart.
. "$(dirname "$0")/lib.sh"
ev_require jq vtysh ping bridge "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd "${1:-}" "${2:-}"
ev_init

H2_MAC=02:00:00:00:02:0a; H2_IP4=192.168.100.20
vtep_leaf_pair leaf ev 192.168.100.2/24 fd00:100::2/64
host_on_bridge ev "br$VNI" evh "$H2_MAC" "$H2_IP4/24" fd00:100::20/64
start_frr leaf
EVPND_TEST_COMMANDS=0 start_evpnd ev

session_up() { evpnd_established ev "$LEAF_ADDR" && frr_established leaf "$PEER_ADDR"; }
fdb_has() { nsx ev bridge fdb show dev "vxlan$VNI" | grep -q "$1"; }
installed() {
  fdb_has "^$HOST_MAC dst $LEAF_VTEP self extern_learn" && fdb_has "^00:00:00:00:00:00 dst $LEAF_VTEP self permanent"
}
recovered() { nsx evh ping -c 1 -W 1 -q "$HOST_IP4" >/dev/null 2>&1; }
check "session Established" wait_until 30 session_up
host_ping leafh "$SVI4" >/dev/null
check "h2 reaches h1" wait_until 20 recovered
check "evpnd installed h1's MAC and FRR's flood entry" wait_until 20 installed

# From here on, every change to the kernel's FDB in evpnd's namespace is recorded.
MON=$(ev_dir ev)/fdb-monitor.txt
ev_bg ev-fdbmon bridge ev "$MON" bridge monitor fdb
PINGS=$(ev_dir evh)/ping.txt
ev_bg evh-ping ping evh "$PINGS" ping -i 0.1 -c 400 -W 1 "$HOST_IP4"
sleep 2

restart() {  # restart SIGNAL
  ev_stop ev-evpnd "$1"
  [ "$1" == TERM ] && check_eq "evpnd exits 0 on SIGTERM" 0 "${EV_STATUS[ev-evpnd]:-?}"
  check "kernel entries stay while evpnd is down ($1)" installed
  EVPND_TEST_COMMANDS=0 start_evpnd ev
  check "session Established again after SIG$1" wait_until 30 session_up
  check "traffic recovers after SIG$1" wait_until 30 recovered
  check "evpnd adopted its entries: show evpn fib counts them installed" \
    wait_until 10 evpnd_has_installed
}
evpnd_has_installed() { evpnsh_c ev "show evpn fib json" | jq -e '.installed >= 3' >/dev/null; }
restart TERM
sleep 2
restart KILL
sleep 1
# Let the pinger finish its 40 s (bounded).
pinger_done() { ! ev_pid_alive evh-ping; }
wait_until 60 pinger_done || ev_stop evh-ping
ev_stop ev-fdbmon
SENT=$(grep -oE '^[0-9]+ packets transmitted' "$PINGS" | cut -d' ' -f1)
GOT=$(grep -oE '[0-9]+ received' "$PINGS" | cut -d' ' -f1)
ev_log "pings during two restarts: ${GOT:-?} of ${SENT:-?} answered, $(( ${SENT:-0} - ${GOT:-0} )) lost"
check "the pinger ran to the end" test -n "$SENT"

# The remote entries (FRR's VTEP) must not have been touched: no line about them.
TOUCHED=$(grep -c "dst $LEAF_VTEP" "$MON" || true)
if [ "$TOUCHED" -eq 0 ]; then pass "no remote kernel entry rewritten or removed across both restarts"
else fail "no remote kernel entry rewritten or removed across both restarts" "$(grep "dst $LEAF_VTEP" "$MON" | head -10)"; fi
F=$(evpnsh_c ev "show evpn fib json")
jq_check "the restarted evpnd wrote nothing that was already there" "$F" '.applied == 0 and .failed == 0'
ev_log "show evpn fib: $(jq -c '{installed, applied, unchanged, unconfirmedFromBefore}' <<<"$F")"

ev_finish
