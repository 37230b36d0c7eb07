#!/usr/bin/env bash
# Peers that stop reading while evpnd sends them a large table:
#   - a second FRR (fz) is frozen (SIGSTOP on its bgpd) and evpnd sends it its
#     30,000-route table again (clear bgp soft out): its receive window closes. evpnd holds
#     about one part of the table for it (the table is encoded as the peer reads), keeps
#     serving the first FRR, which still gets a route originated meanwhile, and after the
#     send hold time (RFC 9687) resets the session with Send Hold Timer Expired. Thawed,
#     fz reconnects and gets the whole table again.
#   - GoBGP peers over IPv4 unicast only and must not notice any of it.
# (GoBGP is not the frozen peer: GoBGP 3.10's intake of Type-2 routes is quadratic, about
# 22,000 in its first minute here with one core busy, so it reads slowly anyway.)
#   - evpnd-peersim stops reading but keeps sending KEEPALIVEs while routes churn: the
#     changes wait as keys, the queue stays at the high-water mark under
#     --peer-output-limit, memory stays flat, and once it reads it is sent the current
#     table; the next session gets every route.
# Socket buffers are shrunk in the namespaces (tcp_rmem/tcp_wmem are per namespace), so a
# few hundred KiB stall a writer instead of the ~10 MiB that loopback defaults allow.
#
#   leaf (FRR 65001, 10.10.0.1) ---- eth0 10.10.0.2 ev (evpnd 65002) eth1 10.11.0.2 ---- fz (FRR 65003, 10.11.0.1)
#                                                                  eth2 10.12.0.2 ---- ps (peersim 65010, 10.12.0.1)
#                                                                  eth3 10.13.0.2 ---- gb (GoBGP 65004, 10.13.0.1, IPv4)
. "$(dirname "$0")/lib.sh"
ev_require jq gobgpd gobgp vtysh "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd "${1:-}" "${2:-}"
ev_require_peersim
ev_init

EV_AS=65002; FZ_AS=65003; GB_AS=65004; PS_AS=65010
FZ_ADDR=10.11.0.1; EV_FZ=10.11.0.2
PS_ADDR=10.12.0.1; EV_PS=10.12.0.2
GB_ADDR=10.13.0.1; EV_GB=10.13.0.2
TABLE=30000
BRD=$PEER_VTEP:200; BRT=$EV_AS:200       # the bulk routes: an RT nobody imports
LIMIT_MB=2

frr_leaf_topology leaf ev
netns_create fz
netns_create ps
netns_create gb
link ev eth1 "$EV_FZ/24" fz eth0 "$FZ_ADDR/24"
link ev eth2 "$EV_PS/24" ps eth0 "$PS_ADDR/24"
link ev eth3 "$EV_GB/24" gb eth0 "$GB_ADDR/24"
for n in ev fz ps; do
  nsx "$n" sysctl -qw net.ipv4.tcp_wmem="4096 16384 65536" net.ipv4.tcp_rmem="4096 16384 65536"
done

frr_leaf_conf leaf leaf1 65001 "$LEAF_VTEP" "$PEER_ADDR" "$EV_AS"
# fz with a long hold time: frozen, it sends no KEEPALIVE, and evpnd must give up on it
# because it does not read (send hold 12 s), not because it is silent (hold 90 s).
frr_write_conf fz zebra.conf <<<"hostname fz"
frr_write_conf fz bgpd.conf <<C
hostname fz
router bgp $FZ_AS
 bgp router-id 10.0.0.3
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 neighbor $EV_FZ remote-as $EV_AS
 neighbor $EV_FZ timers 30 90
 neighbor $EV_FZ timers connect 2
 address-family l2vpn evpn
  neighbor $EV_FZ activate
 exit-address-family
exit
C
gobgp_write_conf gb <<C
[global.config]
  as = $GB_AS
  router-id = "10.0.0.4"
  local-address-list = ["$GB_ADDR"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$EV_GB"
    peer-as = $EV_AS
  [neighbors.timers.config]
    connect-retry = 2
    hold-time = 9
    keepalive-interval = 3
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
C
evpnd_write_conf ev <<C
hostname ev1
router bgp $EV_AS
 bgp router-id $PEER_VTEP
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 neighbor $LEAF_ADDR remote-as 65001
 neighbor $LEAF_ADDR timers 3 9
 neighbor $LEAF_ADDR timers connect 2
 neighbor $FZ_ADDR remote-as $FZ_AS
 neighbor $FZ_ADDR timers 30 90
 neighbor $FZ_ADDR timers connect 2
 neighbor $FZ_ADDR timers send-hold 12
 neighbor $GB_ADDR remote-as $GB_AS
 neighbor $GB_ADDR timers 3 9
 neighbor $GB_ADDR timers connect 2
 neighbor $PS_ADDR remote-as $PS_AS
 neighbor $PS_ADDR passive
 neighbor $PS_ADDR timers 3 9
 neighbor $PS_ADDR timers send-hold 600
 address-family ipv4 unicast
  neighbor $GB_ADDR activate
 exit-address-family
 address-family l2vpn evpn
  neighbor $LEAF_ADDR activate
  neighbor $FZ_ADDR activate
  neighbor $PS_ADDR activate
 exit-address-family
exit
C

start_frr leaf
start_gobgp gb
start_evpnd ev --peer-output-limit "$LIMIT_MB"
check "FRR session Established" wait_until 30 evpnd_established ev "$LEAF_ADDR"
check "GoBGP (IPv4 unicast) session Established" wait_until 30 evpnd_established ev "$GB_ADDR"
check "evpnd originates $TABLE routes" evpnsh_c ev \
  "test evpn originate macip rd $BRD mac 02:30:00:00:00:00 label 200 nexthop $PEER_VTEP rt $BRT count $TABLE"
frr_pfx() { frr_vtysh leaf "show bgp l2vpn evpn summary json" | jq --arg p "$PEER_ADDR" '.peers[$p].pfxRcd // 0'; }
check "FRR receives the $TABLE routes" wait_until 60 eval '[ "$(frr_pfx)" -eq '"$TABLE"' ]'
rss0=$(proc_rss_kb "$(evpnd_pid ev)")
# evpnd passes the leaf's own routes (its IMET, ...) on to its other eBGP peers too.
leaf_n() { evpnsh_c ev "show bgp l2vpn evpn summary json" | jq --arg p "$LEAF_ADDR" '.peers[$p].pfxRcd // 0'; }

# ------------------------------------------------------------------ FRR frozen mid-table
start_frr fz
fz_pid=${EV_PID[fz-bgpd]}
fz_pfx() { frr_vtysh fz "show bgp l2vpn evpn summary json" | jq --arg p "$EV_FZ" '.peers[$p].pfxRcd // 0'; }
check "fz session Established" wait_until 30 evpnd_established ev "$FZ_ADDR"
wait_until 60 eval '[ "$(fz_pfx)" -eq $((TABLE + $(leaf_n))) ]'
check_eq "fz receives the $TABLE routes and the leaf's" $((TABLE + $(leaf_n))) "$(fz_pfx)"
# Freeze fz and make evpnd send it the whole table again (a route refresh, with
# BoRR/EoRR): the table send meets a closed window after a few hundred KiB.
kill -STOP "$fz_pid"
check "clear bgp $FZ_ADDR soft out (the table again, to a frozen peer)" evpnsh_c ev "clear bgp $FZ_ADDR soft out"
t0=$(date +%s)
fzn() { evpnd_neighbor ev "$FZ_ADDR"; }
most_q=0; most_rss=0
sample() {
  local q r
  q=$(fzn | jq '.outputQueueBytes // 0'); r=$(proc_rss_kb "$(evpnd_pid ev)")
  [ "$q" -gt "$most_q" ] && most_q=$q
  [ "$r" -gt "$most_rss" ] && most_rss=$r
  return 0
}
# While it is frozen the other FRR still gets news at once.
EMAC=02:00:00:00:02:0b
check "evpnd originates $EMAC while fz is frozen" evpnsh_c ev \
  "test evpn originate macip rd $PEER_VTEP:100 mac $EMAC label $VNI nexthop $PEER_VTEP rt $EV_AS:$VNI"
check "leaf gets it at once (a frozen peer blocks nobody)" wait_until 5 eval '[ "$(frr_pfx)" -eq '"$((TABLE + 1))"' ]'
# (sampled here, not inside `check`, whose command runs in a subshell)
for _ in $(seq 1 60); do
  sample
  evpnd_established ev "$FZ_ADDR" || break
  sleep 0.5
done
check "evpnd gives up on the frozen fz" eval '! evpnd_established ev "$FZ_ADDR"'
took=$(( $(date +%s) - t0 ))
N=$(fzn)
jq_field "it sent Send Hold Timer Expired (RFC 9687)" "$N" .lastNotificationReason "Send Hold Timer Expired"
check "after about the send hold time of 12 s ($took s)" test "$took" -ge 10 -a "$took" -le 16
check "queued output for the frozen peer stayed under 1.25 MiB (most: $most_q bytes)" test "$most_q" -le 1310720
check_memory "evpnd's RSS grew by less than 32 MiB while fz was frozen ($rss0 -> $most_rss kB)" \
  test $((most_rss - rss0)) -lt 32768
kill -CONT "$fz_pid"
check "fz thawed: the session comes back" wait_until 30 eval \
  'evpnd_established ev "$FZ_ADDR" && frr_established fz "$EV_FZ"'
wait_until 60 eval '[ "$(fz_pfx)" -eq $((TABLE + 1 + $(leaf_n))) ]'
check_eq "fz gets the whole table again" $((TABLE + 1 + $(leaf_n))) "$(fz_pfx)"
check "leaf's session never flapped" test "$(evpnd_neighbor ev "$LEAF_ADDR" | jq .connectionsEstablished)" -eq 1
check "GoBGP's session never flapped" test "$(evpnd_neighbor ev "$GB_ADDR" | jq .connectionsEstablished)" -eq 1

# ------------------------------------------------------------------ peersim: churn into a closed window
# peersim stops reading after the OPEN exchange but keeps the session alive. evpnd's
# table send stalls at its high-water mark (1 MiB); the churn that follows waits as keys
# to send, not as encoded UPDATEs, so the queue stays at the mark, under the 2 MiB cap,
# and the session is not reset. When peersim reads again it is sent the table as it is
# then. (The cap itself is tested in SessionFaults.OutputCapResetsWithOutOfResources.)
PEERSIM_LOG=$(ev_dir ps)/peersim.out
peersim_bg ps-peersim ps "$PEERSIM_LOG" --local "$PS_ADDR" --remote "$EV_PS" --as "$PS_AS" --remote-as "$EV_AS" \
  --stop-reading --resume-after 25 --rcvbuf 4096 --hold-open 60 --timeout 90
check "peersim session Established" wait_until 20 evpnd_established ev "$PS_ADDR"
psn() { evpnd_neighbor ev "$PS_ADDR"; }
rss_c0=$(proc_rss_kb "$(evpnd_pid ev)"); most_q=0; most_rss=0
psample() {
  local q r
  q=$(psn | jq '.outputQueueBytes // 0'); r=$(proc_rss_kb "$(evpnd_pid ev)")
  [ "$q" -gt "$most_q" ] && most_q=$q
  [ "$r" -gt "$most_rss" ] && most_rss=$r
  return 0
}
for i in $(seq 1 40); do
  evpnd_established ev "$PS_ADDR" || break
  # A new attribute set for the same routes: a whole new round of UPDATEs per command.
  evpnsh_c ev "test evpn originate macip rd $BRD mac 02:30:00:00:00:00 label 200 nexthop $PEER_VTEP rt $BRT rt $EV_AS:$((1000 + i)) count 5000" >/dev/null
  psample
  sleep 0.2
done
check "the peer that does not read stays up through 40 rounds of churn" evpnd_established ev "$PS_ADDR"
check "its queue stayed at the high-water mark, under the $LIMIT_MB MiB cap (most: $most_q bytes)" \
  test "$most_q" -le 1310720
check_memory "evpnd's RSS grew by less than 16 MiB during the churn ($rss_c0 -> $most_rss kB)" \
  test $((most_rss - rss_c0)) -lt 16384
whole=$((TABLE + 1 + $(leaf_n)))
check "reading again, peersim is sent the table as it is now ($whole routes)" wait_until 60 eval \
  '[ "$(psn | jq .outputQueueBytes)" -eq 0 ] && [ "$(evpnsh_c ev "show bgp l2vpn evpn summary json" | jq --arg p "$PS_ADDR" ".peers[\$p].pfxSnt")" -eq '"$whole"' ]'
check "leaf's session never flapped" test "$(evpnd_neighbor ev "$LEAF_ADDR" | jq .connectionsEstablished)" -eq 1
check "GoBGP's session never flapped" test "$(evpnd_neighbor ev "$GB_ADDR" | jq .connectionsEstablished)" -eq 1
ev_stop ps-peersim TERM
# The next session reads: it gets the whole table, 30,000 bulk routes, EMAC and the leaf's.
whole=$((TABLE + 1 + $(leaf_n)))
out=$(PEERSIM_TIMEOUT=90 peersim ps --local "$PS_ADDR" --remote "$EV_PS" --as "$PS_AS" --remote-as "$EV_AS" \
  --expect-routes "$whole" --timeout 80)
echo "peersim: $out"
jq_field "peersim's next session gets every route" "$out" .received_routes "$whole"
jq_field "and the End-of-RIB" "$out" .received_eor true
rss1=$(proc_rss_kb "$(evpnd_pid ev)")
echo "evpnd RSS: ${rss0} kB after the table, ${most_rss} kB at most while fz was frozen, ${rss1} kB at the end"
ev_finish
