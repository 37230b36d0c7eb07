#!/usr/bin/env bash
# Link and process faults between evpnd and real peers (FRR over eBGP, GoBGP over eBGP):
#   - both links go silent (nftables drops every packet, so no FIN and no RST): the hold
#     timers expire on every side, evpnd records Hold Timer Expired, drops the routes it
#     learnt and does not grow its output queue; when the links come back the sessions
#     and all routes come back by themselves;
#   - evpnd is stopped with SIGTERM: FRR is told Cease / Administrative Shutdown and
#     evpnd exits 0; started again, everything comes back;
#   - evpnd is killed with SIGKILL (no NOTIFICATION, the kernel closes the sockets): the
#     peers notice at once, and a new evpnd on the same socket path takes over.
#
#   leafh -- leaf (FRR 65001, 10.10.0.1) ---- eth0 10.10.0.2
#                                                     ev (evpnd 65002) eth1 10.11.0.2 ---- gb (GoBGP 65003, 10.11.0.1)
. "$(dirname "$0")/lib.sh"
ev_require jq nft gobgpd gobgp vtysh "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd "${1:-}" "${2:-}"
ev_init

EV_AS=65002; GB_AS=65003
GB_ADDR=10.11.0.1; EV_GB=10.11.0.2
ERD=$PEER_VTEP:100; ERT=$EV_AS:$VNI
EMAC=02:00:00:00:02:0b

frr_leaf_topology leaf ev
netns_create gb
link ev eth1 "$EV_GB/24" gb eth0 "$GB_ADDR/24"

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
 address-family l2vpn evpn
  neighbor $LEAF_ADDR activate
  neighbor $GB_ADDR activate
 exit-address-family
exit
C

start_frr leaf
start_gobgp gb
start_evpnd ev

both_up() {
  evpnd_established ev "$LEAF_ADDR" && frr_established leaf "$PEER_ADDR" &&
    evpnd_established ev "$GB_ADDR" && gobgp_established gb "$EV_GB"
}
frr_routes_at_evpnd() { evpnd_has ev "[.routes[] | select(.peer==\"$LEAF_ADDR\")] | length == $1"; }
ev_mac_at_frr() { frr_has leaf "[.[] | select(.routeType==2 and .mac==\"$EMAC\")] | length == $1"; }
ev_mac_at_gobgp() { gobgp_has gb "[.[] | select(.nlri.value.mac==\"$EMAC\")] | length == $1"; }
originate() {
  evpnsh_c ev "test evpn originate macip rd $ERD mac $EMAC label $VNI nexthop $PEER_VTEP rt $ERT"
}
# everything_back WHAT: both sessions up, FRR's 4 routes at evpnd, evpnd's MAC at both.
everything_back() {
  local what=$1
  check "$what: both sessions Established" wait_until 40 both_up
  check "$what: evpnd holds FRR's 4 routes" wait_until 20 frr_routes_at_evpnd 4
  check "$what: FRR holds evpnd's MAC" wait_until 20 ev_mac_at_frr 1
  check "$what: GoBGP holds evpnd's MAC" wait_until 20 ev_mac_at_gobgp 1
}

host_ping leafh "$SVI4" "$SVI6"        # FRR advertises MAC, MAC+IPv4, MAC+IPv6 and IMET
check "evpnd originates $EMAC" originate
everything_back "start"

# ------------------------------------------------------------------ silent links
est_leaf=$(evpnd_neighbor ev "$LEAF_ADDR" | jq .connectionsEstablished)
silence ev eth0
silence ev eth1
t0=$(date +%s)
# Hold time 9: every side gives up between 9 and ~12 s after the last KEEPALIVE.
check "silent links: evpnd's sessions leave Established" wait_until 20 eval \
  '! evpnd_established ev "$LEAF_ADDR" && ! evpnd_established ev "$GB_ADDR"'
took=$(( $(date +%s) - t0 ))
check "silent links: evpnd noticed within the hold time ($took s, hold 9)" test "$took" -le 13
check "silent links: FRR leaves Established" wait_until 20 eval '! frr_established leaf "$PEER_ADDR"'
check "silent links: GoBGP leaves Established" wait_until 20 eval '! gobgp_established gb "$EV_GB"'
for p in "$LEAF_ADDR" "$GB_ADDR"; do
  N=$(evpnd_neighbor ev "$p")
  jq_field "silent links: evpnd to $p: last reset is the NOTIFICATION it sent" "$N" .lastResetDueTo "BGP Notification send"
  jq_field "silent links: evpnd to $p: Hold Timer Expired" "$N" .lastNotificationReason "Hold Timer Expired"
  jq_check "silent links: evpnd to $p: nothing left queued" "$N" '.outputQueueBytes == 0'
done
jq_field "silent links: FRR's own hold timer expired" "$(frr_neighbor leaf "$PEER_ADDR")" \
  .lastNotificationReason "Hold Timer Expired"
check "silent links: evpnd dropped FRR's routes" wait_until 5 frr_routes_at_evpnd 0
check "silent links: FRR dropped evpnd's MAC" wait_until 10 ev_mac_at_frr 0
check "silent links: GoBGP dropped evpnd's MAC" wait_until 10 ev_mac_at_gobgp 0
# While silent, evpnd keeps trying (connect 2): each attempt times out; it must not
# pile up sockets.
sleep 6
fds_silent=$(proc_fds "$(evpnd_pid ev)")
unsilence ev
everything_back "links back"
check "links back: a new session, not the old one" test \
  "$(evpnd_neighbor ev "$LEAF_ADDR" | jq .connectionsEstablished)" -gt "$est_leaf"
fds_up=$(proc_fds "$(evpnd_pid ev)")
check "evpnd held no more descriptors while the links were silent ($fds_silent) than up ($fds_up) + 2 attempts" \
  test "$fds_silent" -le $((fds_up + 2))

# ------------------------------------------------------------------ SIGTERM
ev_stop ev-evpnd TERM
check_eq "SIGTERM: evpnd exits 0" 0 "${EV_STATUS[ev-evpnd]:-?}"
F=$(frr_neighbor leaf "$PEER_ADDR")
jq_field "SIGTERM: FRR was told why" "$F" .lastNotificationReason "Cease/Administrative Shutdown"
jq_field "SIGTERM: FRR received it" "$F" .lastResetDueTo "BGP Notification received"
check "SIGTERM: FRR dropped evpnd's MAC" wait_until 10 ev_mac_at_frr 0
check "SIGTERM: GoBGP dropped evpnd's MAC" wait_until 10 ev_mac_at_gobgp 0
start_evpnd ev
check "restart: evpnd originates $EMAC" originate
everything_back "after SIGTERM and start"

# ------------------------------------------------------------------ SIGKILL
ev_stop ev-evpnd KILL
check "SIGKILL: FRR notices at once (the kernel closed the socket)" wait_until 5 eval '! frr_established leaf "$PEER_ADDR"'
check "SIGKILL: GoBGP notices at once" wait_until 5 eval '! gobgp_established gb "$EV_GB"'
check "SIGKILL: the management socket file is left behind" test -S "$(evpnd_sock ev)"
start_evpnd ev                       # takes over the stale socket path
check "restart: evpnd originates $EMAC" originate
everything_back "after SIGKILL and start"
ev_finish
