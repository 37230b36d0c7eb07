#!/usr/bin/env bash
# evpnd restarted (SIGTERM, then SIGKILL) while its host pings a host behind an FRR leaf
# at 10 per second, with `bgp graceful-restart` (RFC 4724, evpnd the restarting speaker).
# The kernel entries evpnd installed stay while it is away, and the new evpnd adopts
# them: not one remote entry may be rewritten or removed (counted from `bridge monitor
# fdb` in evpnd's namespace). FRR must see evpnd's capability with the forwarding bit for
# l2vpn evpn, and evpnd's SIGTERM must end the session without a NOTIFICATION (else no
# helper keeps anything). FRR 8.4, as a helper, keeps only unicast, multicast and VPN
# routes of a restarting peer (its NSF families end at SAFI 128), so it withdraws evpnd's
# EVPN routes while evpnd is down and replies to evpnd's host are lost for that time: the
# lost pings are counted and printed, and the test requires that traffic recovers after
# each restart and says whether FRR kept the MAC.
. "$(dirname "$0")/lib.sh"
ev_require jq vtysh ping bridge "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd "${1:-}" "${2:-}"
ev_init

H2_MAC=02:00:00:00:02:0a; H2_IP4=192.168.100.20
vtep_leaf_pair leaf ev 192.168.100.2/24 fd00:100::2/64
host_on_bridge ev "br$VNI" evh "$H2_MAC" "$H2_IP4/24" fd00:100::20/64
sed -i '/^ no bgp ebgp-requires-policy$/a\ bgp graceful-restart' "$(ev_dir ev)/evpnd.conf"
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

frr_keeps_h2() {  # FRR's kernel still has h2's MAC behind evpnd's VTEP
  nsx leaf bridge fdb show dev "vxlan$VNI" | grep -q "^$H2_MAC dst $PEER_VTEP self extern_learn"
}
check "FRR has h2's MAC behind evpnd's VTEP" wait_until 20 frr_keeps_h2
G=$(frr_neighbor leaf "$PEER_ADDR")
jq_check "FRR sees evpnd's graceful-restart capability, l2vpn evpn preserved" "$G" \
  '.neighborCapabilities.gracefulRestart == "advertisedAndReceived" and
   .neighborCapabilities.addressFamiliesByPeer.l2VpnEvpn.preserved == true'
restart() {  # restart SIGNAL
  ev_stop ev-evpnd "$1"
  [ "$1" == TERM ] && check_eq "evpnd exits 0 on SIGTERM" 0 "${EV_STATUS[ev-evpnd]:-?}"
  check "kernel entries stay while evpnd is down ($1)" installed
  frr_keeps_h2 && K=yes || K=no
  ev_log "FRR's kernel keeps h2's MAC while evpnd is down ($1): $K"
  EVPND_TEST_COMMANDS=0 start_evpnd ev
  check "session Established again after SIG$1" wait_until 30 session_up
  check "traffic recovers after SIG$1" wait_until 30 recovered
  [ "$1" == TERM ] && jq_check "evpnd's SIGTERM sent FRR no NOTIFICATION (graceful restart)" \
    "$(frr_neighbor leaf "$PEER_ADDR")" '.messageStats.notificationsRecv == 0'
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
