#!/usr/bin/env bash
# evpnd's security features against real peers, in FRR's syntax:
#   - TCP-MD5 (RFC 2385): with FRR and the same password the session comes up; with
#     GoBGP and a different one it never does, and evpnd says why;
#   - GTSM (RFC 5082) across a router: FRR two hops away with `ttl-security hops 2`;
#     evpnd with hops 1 refuses the session (and says why), with hops 2 takes it;
#   - maximum-prefix: FRR sends 4 EVPN routes to an evpnd that allows 3: Cease / Maximum
#     Number of Prefixes Reached (FRR shows it), held down until `clear bgp`;
#   - the daemon's own hardening: capabilities dropped to CAP_NET_BIND_SERVICE, the
#     management socket mode 0660 with its group, `test evpn` unknown without
#     --enable-test-commands.
#
#   leafh -- leaf (FRR 65001, 10.10.0.1) ---- eth0 10.10.0.2
#                                                      ev (evpnd 65002) eth1 10.11.0.2 ---- gb (GoBGP 65003, 10.11.0.1)
#   leaf2 (FRR 65004, 10.30.0.2) -- rt (10.30.0.1 | 10.20.0.1) -- eth2 10.20.0.2
. "$(dirname "$0")/lib.sh"
ev_require jq nft gobgpd gobgp vtysh "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd "${1:-}" "${2:-}"
ev_init

EV_AS=65002
GB_ADDR=10.11.0.1; EV_GB=10.11.0.2
L2_ADDR=10.30.0.2; EV_RT=10.20.0.2

frr_leaf_topology leaf ev                      # leaf 10.10.0.1 <-> ev 10.10.0.2, host leafh
netns_create gb
link ev eth1 "$EV_GB/24" gb eth0 "$GB_ADDR/24"
netns_create rt
netns_create leaf2
link ev eth2 "$EV_RT/24" rt eth0 10.20.0.1/24
link rt eth1 10.30.0.1/24 leaf2 eth0 "$L2_ADDR/24"
nsx rt sysctl -qw net.ipv4.ip_forward=1
ip -n "$(ns_name ev)" route add 10.30.0.0/24 via 10.20.0.1
ip -n "$(ns_name leaf2)" route add 10.20.0.0/24 via 10.30.0.1

# FRR leaf: the standard EVPN leaf, with a password.
frr_write_conf leaf zebra.conf <<<"hostname leaf1"
frr_write_conf leaf bgpd.conf <<C
hostname leaf1
router bgp 65001
 bgp router-id $LEAF_VTEP
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 neighbor $PEER_ADDR remote-as $EV_AS
 neighbor $PEER_ADDR password s3cret
 neighbor $PEER_ADDR timers 3 9
 neighbor $PEER_ADDR timers connect 2
 address-family l2vpn evpn
  neighbor $PEER_ADDR activate
  advertise-all-vni
 exit-address-family
exit
C
# FRR leaf2, two hops away, with GTSM.
frr_write_conf leaf2 zebra.conf <<<"hostname leaf2"
frr_write_conf leaf2 bgpd.conf <<C
hostname leaf2
router bgp 65004
 bgp router-id 10.0.0.4
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 neighbor $EV_RT remote-as $EV_AS
 neighbor $EV_RT ttl-security hops 2
 neighbor $EV_RT timers 3 9
 neighbor $EV_RT timers connect 2
 address-family l2vpn evpn
  neighbor $EV_RT activate
 exit-address-family
exit
C
# GoBGP with a password evpnd does not use.
gobgp_write_conf gb <<C
[global.config]
  as = 65003
  router-id = "10.0.0.3"
  local-address-list = ["$GB_ADDR"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$EV_GB"
    peer-as = $EV_AS
    auth-password = "wrong"
  [neighbors.timers.config]
    connect-retry = 2
    hold-time = 9
    keepalive-interval = 3
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l2vpn-evpn"
C

# evpnd_security_conf GB_PASSWORD GTSM_HOPS MAXPREFIX_LINE
evpnd_security_conf() {
  evpnd_write_conf ev <<C
hostname ev1
router bgp $EV_AS
 bgp router-id $PEER_VTEP
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 neighbor $LEAF_ADDR remote-as 65001
 neighbor $LEAF_ADDR password s3cret
 neighbor $LEAF_ADDR timers 3 9
 neighbor $LEAF_ADDR timers connect 2
 neighbor $GB_ADDR remote-as 65003
 neighbor $GB_ADDR password $1
 neighbor $GB_ADDR timers 3 9
 neighbor $GB_ADDR timers connect 2
 neighbor $L2_ADDR remote-as 65004
 neighbor $L2_ADDR ttl-security hops $2
 neighbor $L2_ADDR timers 3 9
 neighbor $L2_ADDR timers connect 2
 address-family l2vpn evpn
  neighbor $LEAF_ADDR activate
  $3
  neighbor $GB_ADDR activate
  neighbor $L2_ADDR activate
 exit-address-family
exit
C
}

# ------------------------------------------------------------------ phase 1
evpnd_security_conf s3cret 1 ""
start_frr leaf
start_frr leaf2
start_gobgp gb
EVPND_TEST_COMMANDS=0 start_evpnd ev --socket-group frr

check "TCP-MD5 with FRR, same password: Established" wait_until 30 eval \
  'evpnd_established ev "$LEAF_ADDR" && frr_established leaf "$PEER_ADDR"'
jq_field "evpnd shows TCP-MD5 on the FRR session" "$(evpnd_neighbor ev "$LEAF_ADDR")" .tcpMd5 true
jq_field "FRR sees evpnd's router-id over the signed session" "$(frr_neighbor leaf "$PEER_ADDR")" .remoteRouterId "$PEER_VTEP"

# GoBGP's password differs: every SYN either way is dropped by a kernel.
md5_drops() { nsx ev awk '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 } else for (i = 1; i <= NF; i++) if (n[i] == "TCPMD5Failure") print $i }' /proc/net/netstat; }
check "evpnd's kernel drops GoBGP's wrongly signed SYNs (TCPMD5Failure > 0)" wait_until 20 eval '[ "$(md5_drops)" -gt 0 ]'
mdgb() { evpnd_neighbor ev "$GB_ADDR" | jq -r '.lastErrorDescription // ""'; }
check "evpnd says why the GoBGP session does not come up ('$(mdgb)')" wait_until 20 eval 'mdgb | grep -q "TCP-MD5"'
jq_field "GoBGP session never Established (password mismatch)" "$(evpnd_neighbor ev "$GB_ADDR")" .connectionsEstablished 0

# leaf2 is two hops away, evpnd allows one: FRR's segments arrive with TTL 254 < 255.
gtsm_err() { evpnd_neighbor ev "$L2_ADDR" | jq -r '.lastErrorDescription // ""'; }
check "evpnd says why leaf2 does not come up ('$(gtsm_err)')" wait_until 25 eval 'gtsm_err | grep -q "ttl-security"'
jq_field "leaf2 never Established (ttl-security hops 1, peer 2 hops away)" "$(evpnd_neighbor ev "$L2_ADDR")" \
  .connectionsEstablished 0

# The daemon itself.
pid=$(evpnd_pid ev)
cap_eff=$(awk '/^CapEff:/ {print $2}' "/proc/$pid/status")
cap_bnd=$(awk '/^CapBnd:/ {print $2}' "/proc/$pid/status")
check_eq "evpnd keeps only CAP_NET_BIND_SERVICE (CapEff)" 0000000000000400 "$cap_eff"
check_eq "evpnd's bounding set is empty (CapBnd)" 0000000000000000 "$cap_bnd"
sock=$(evpnd_sock ev)
check_eq "management socket mode 0660, group frr" "srw-rw---- frr" "$(stat -c '%A %G' "$sock")"
out=$(evpnsh_c ev "test evpn originate macip rd 1:1 mac 02:00:00:00:09:09 label 100 nexthop 10.0.0.2 rt 1:1" 2>&1)
check "without --enable-test-commands 'test evpn' is an unknown command ($out)" grep -q "Unknown command" <<<"$out"
jq_check "evpnd holds no route (none could be injected)" "$(evpnd_routes ev)" \
  '[.routes[] | select(.peer == "local")] | length == 0'

# ------------------------------------------------------------------ phase 2
ev_stop ev-evpnd TERM
evpnd_security_conf wrong 2 "neighbor $LEAF_ADDR maximum-prefix 3"
EVPND_TEST_COMMANDS=0 start_evpnd ev

check "TCP-MD5 with GoBGP, same password now: Established" wait_until 30 eval \
  'evpnd_established ev "$GB_ADDR" && gobgp_established gb "$EV_GB"'
check "GTSM: leaf2 two hops away with hops 2 on both sides: Established" wait_until 30 eval \
  'evpnd_established ev "$L2_ADDR" && frr_established leaf2 "$EV_RT"'

# The host makes FRR advertise MAC, MAC+IPv4, MAC+IPv6 and its IMET: 4 > 3.
host_ping leafh "$SVI4" "$SVI6"
frr_reason() { frr_neighbor leaf "$PEER_ADDR" | jq -r '.lastNotificationReason // ""'; }
check "FRR is told Cease / Maximum Number of Prefixes Reached ('$(frr_reason)')" wait_until 30 eval \
  'frr_reason | grep -q "Maximum Number of Prefixes"'
N=$(evpnd_neighbor ev "$LEAF_ADDR")
jq_field "evpnd: the session is held down (prefixOverflow)" "$N" .prefixOverflow true
jq_field "evpnd: it sent the Cease" "$N" .lastNotificationReason "Cease/Maximum Number of Prefixes Reached"
est=$(jq '.connectionsEstablished' <<<"$N")
# FRR retries every 2 s (timers connect 2); evpnd refuses until `clear bgp`.
held_down() { [ "$(evpnd_neighbor ev "$LEAF_ADDR" | jq '.connectionsEstablished')" = "$est" ] && ! frr_established leaf "$PEER_ADDR"; }
held=1
for _ in 1 2 3 4 5 6 7 8; do held_down || held=0; sleep 1; done
check "the session stays down for 8 s of FRR retries" test "$held" = 1
check "clear bgp $LEAF_ADDR" evpnsh_c ev "clear bgp $LEAF_ADDR"
check "after clear bgp the session comes up again (and meets the limit again)" wait_until 30 eval \
  '[ "$(evpnd_neighbor ev "$LEAF_ADDR" | jq ".connectionsEstablished")" -gt "$est" ]'
check "and is held down again" wait_until 30 eval \
  '[ "$(evpnd_neighbor ev "$LEAF_ADDR" | jq ".prefixOverflow")" = true ]'
ev_finish
