#!/usr/bin/env bash
# Harness smoke test, no evpnd involved: an FRR leaf (zebra + bgpd, advertise-all-vni over
# a real br100/vxlan100 with a pinging host) peers over eBGP with GoBGP. Proves the
# topology, both peers' handling and the JSON shapes the evpnd tests rely on:
#   FRR -> GoBGP: Type-2 MAC, MAC+IPv4, MAC+IPv6 and Type-3 with every field;
#   GoBGP -> FRR: the same set, and zebra installs it (remote MAC, flood entry, neighbors);
#   withdrawals in both directions.
. "$(dirname "$0")/lib.sh"
ev_require jq gobgpd gobgp vtysh "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_init

RMAC=02:00:00:00:02:0b; RIP4=192.168.100.11; RIP6=fd00:100::11
GRD=10.0.0.2:100

frr_leaf_topology leaf gb
frr_leaf_conf leaf leaf1 65001 "$LEAF_VTEP" "$PEER_ADDR" 65002
gobgp_conf gb 65002 "$PEER_VTEP" "$PEER_ADDR" "$LEAF_ADDR" 65001
start_frr leaf
start_gobgp gb

if wait_until 30 frr_established leaf "$PEER_ADDR"; then pass "FRR session to GoBGP Established"
else fail "FRR session to GoBGP Established" "state $(frr_peer_state leaf "$PEER_ADDR")"; ev_finish; fi
check "GoBGP session to FRR Established" gobgp_established gb "$LEAF_ADDR"

host_ping leafh "$SVI4" "$SVI6"

# ------------------------------------------------------------------ FRR -> GoBGP
FRD=$(frr_vni_rd leaf "$VNI")
check "FRR RD '$FRD' is router-id:index" grep -Eq "^$LEAF_VTEP:[0-9]+$" <<<"$FRD"
if wait_until 20 gobgp_has gb '[.[]|select(.nlri.type==2 or .nlri.type==3)|select(.nlri.value.rd.admin=="10.0.0.1")]|length==4'; then
  pass "GoBGP received FRR's 4 routes"
else
  fail "GoBGP received FRR's 4 routes" "$(gobgp_cli gb global rib -a evpn)"
fi
P=$(gobgp_paths gb)
expect_gobgp_macip "FRR MAC" "$P" "$FRD" "$HOST_MAC" "" "$VNI" "$LEAF_VTEP" "65001:$VNI"
expect_gobgp_macip "FRR MAC+IPv4" "$P" "$FRD" "$HOST_MAC" "$HOST_IP4" "$VNI" "$LEAF_VTEP" "65001:$VNI"
expect_gobgp_macip "FRR MAC+IPv6" "$P" "$FRD" "$HOST_MAC" "$HOST_IP6" "$VNI" "$LEAF_VTEP" "65001:$VNI"
expect_gobgp_imet "FRR IMET" "$P" "$FRD" "$LEAF_VTEP" "$LEAF_VTEP" "65001:$VNI" "$VNI"

# ------------------------------------------------------------------ GoBGP -> FRR
gadd() { gobgp_cli gb global rib -a evpn "$@"; }
for ip in 0.0.0.0 "$RIP4" "$RIP6"; do
  check "gobgp add macadv $RMAC $ip" gadd add macadv "$RMAC" "$ip" etag 0 label "$VNI" rd "$GRD" \
    rt "65002:$VNI" encap vxlan nexthop "$PEER_VTEP"
done
check "gobgp add multicast $PEER_VTEP" gadd add multicast "$PEER_VTEP" etag 0 rd "$GRD" \
  rt "65002:$VNI" encap vxlan pmsi ingress-repl "$VNI" "$PEER_VTEP" nexthop "$PEER_VTEP"

if wait_until 20 frr_has leaf '[.[]|select(.rd=="10.0.0.2:100")]|length==4'; then
  pass "FRR received GoBGP's 4 routes"
else
  fail "FRR received GoBGP's 4 routes" "$(frr_vtysh leaf 'show bgp l2vpn evpn route')"
fi
P=$(frr_paths leaf)
expect_frr_macip "GoBGP MAC" "$P" "$GRD" "$RMAC" "" "$VNI" "$PEER_VTEP" "65002:$VNI"
expect_frr_macip "GoBGP MAC+IPv4" "$P" "$GRD" "$RMAC" "$RIP4" "$VNI" "$PEER_VTEP" "65002:$VNI"
expect_frr_macip "GoBGP MAC+IPv6" "$P" "$GRD" "$RMAC" "$RIP6" "$VNI" "$PEER_VTEP" "65002:$VNI"
expect_frr_imet "GoBGP IMET" "$P" "$GRD" "$PEER_VTEP" "$PEER_VTEP" "65002:$VNI" "$VNI"

# zebra/kernel: what FRR made of them.
fdb_has() { nsx leaf bridge fdb show dev "vxlan$VNI" | grep -q "$1"; }
check "kernel flood entry to $PEER_VTEP (PMSI IR accepted)" wait_until 10 fdb_has "00:00:00:00:00:00 dst $PEER_VTEP self"
check "kernel remote MAC $RMAC via $PEER_VTEP" wait_until 10 fdb_has "$RMAC dst $PEER_VTEP self extern_learn"
# FRR 8.4's JSON lists remote VTEPs without the flood type, so read the text form.
V=$(frr_vtysh leaf "show evpn vni $VNI")
if grep -Eq "^ *$PEER_VTEP +flood: HER" <<<"$V"; then pass "zebra: remote VTEP $PEER_VTEP with flood HER"
else fail "zebra: remote VTEP $PEER_VTEP with flood HER" "$V"; fi
neigh_has() { nsx leaf ip neigh show dev "br$VNI" | grep -q "^$1 .*lladdr $RMAC"; }
check "kernel neighbor $RIP4 -> $RMAC on br$VNI" wait_until 10 neigh_has "$RIP4"
check "kernel neighbor $RIP6 -> $RMAC on br$VNI" wait_until 10 neigh_has "$RIP6"

# ------------------------------------------------------------------ withdrawals
check "gobgp del macadv $RMAC $RIP4" gadd del macadv "$RMAC" "$RIP4" etag 0 label "$VNI" rd "$GRD" \
  rt "65002:$VNI" encap vxlan nexthop "$PEER_VTEP"
check "gobgp del multicast" gadd del multicast "$PEER_VTEP" etag 0 rd "$GRD" rt "65002:$VNI" \
  encap vxlan pmsi ingress-repl "$VNI" "$PEER_VTEP" nexthop "$PEER_VTEP"
check "GoBGP MAC+IPv4 withdrawn at FRR" wait_until 15 frr_has leaf \
  '[.[]|select(.rd=="10.0.0.2:100" and .ip=="192.168.100.11")]|length==0'
check "GoBGP IMET withdrawn at FRR" wait_until 15 frr_has leaf \
  '[.[]|select(.rd=="10.0.0.2:100" and .routeType==3)]|length==0'
check "GoBGP MAC-only and MAC+IPv6 still at FRR" frr_has leaf \
  '[.[]|select(.rd=="10.0.0.2:100")]|length==2'
check "kernel flood entry to $PEER_VTEP removed" wait_until 10 eval '! fdb_has "00:00:00:00:00:00 dst $PEER_VTEP"'

# FRR side: deleting the host's IPv4 neighbor makes FRR withdraw MAC+IPv4.
nsx leaf ip neigh del "$HOST_IP4" dev "br$VNI"
check "FRR MAC+IPv4 withdrawn at GoBGP" wait_until 15 gobgp_has gb \
  '[.[]|select(.nlri.type==2 and .nlri.value.ip=="192.168.100.10")]|length==0'
check "FRR MAC-only still at GoBGP" gobgp_has gb \
  '[.[]|select(.nlri.type==2 and .nlri.value.mac=="02:00:00:00:01:0a" and .nlri.value.ip=="<nil>")]|length==1'

check "FRR session never dropped" eval '[ "$(frr_vtysh leaf "show bgp l2vpn evpn summary json" | jq ".peers[\"$PEER_ADDR\"].connectionsDropped")" == 0 ]'
ev_finish
