#!/usr/bin/env bash
# evpnd as an iBGP route reflector (RFC 4456) between an FRR leaf and a GoBGP leaf:
#
#   ns "leaf": FRR AS 65000, 10.10.0.1, VTEP 10.0.0.1, VNI 100 bridge with a host (leafh)
#   ns "ev":   evpnd AS 65000, 10.10.0.2 and 10.11.0.2, router ID 10.0.0.2, cluster ID
#              10.0.0.254, both leaves route-reflector-client
#   ns "gb":   GoBGP AS 65000, 10.11.0.1, VTEP 10.0.0.3
#
# Each leaf must see the other's Type-2 and Type-3 routes with next hop, RTs,
# encapsulation and PMSI intact, ORIGINATOR_ID the originating leaf and CLUSTER_LIST
# evpnd's cluster ID; FRR must install GoBGP's MACs and flood entry in its kernel.
# Withdrawals cross both ways, and a leaf that goes down takes its routes out of the other.
. "$(dirname "$0")/lib.sh"
ev_require jq gobgpd gobgp vtysh "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd "${1:-}" "${2:-}"
ev_init

AS=65000
GB_ADDR=10.11.0.1; EV_GB=10.11.0.2; GB_VTEP=10.0.0.3
CLUSTER=10.0.0.254
RT=$AS:$VNI                                  # FRR's auto RT, and GoBGP's
GRD=$GB_VTEP:100
GMAC=02:00:00:00:03:0b; GIP4=192.168.100.31

frr_leaf_topology leaf ev
gobgp_leaf_beside ev gb

frr_leaf_conf leaf leaf1 "$AS" "$LEAF_VTEP" "$PEER_ADDR" "$AS"
gobgp_conf gb "$AS" "$GB_VTEP" "$GB_ADDR" "$EV_GB" "$AS"
evpnd_write_conf ev <<C
hostname rr1
router bgp $AS
 bgp router-id $PEER_VTEP
 bgp cluster-id $CLUSTER
 no bgp default ipv4-unicast
 neighbor $LEAF_ADDR remote-as $AS
 neighbor $LEAF_ADDR timers 3 9
 neighbor $LEAF_ADDR timers connect 2
 neighbor $GB_ADDR remote-as $AS
 neighbor $GB_ADDR timers 3 9
 neighbor $GB_ADDR timers connect 2
 address-family l2vpn evpn
  neighbor $LEAF_ADDR activate
  neighbor $LEAF_ADDR route-reflector-client
  neighbor $GB_ADDR activate
  neighbor $GB_ADDR route-reflector-client
 exit-address-family
exit
C
start_frr leaf
start_gobgp gb
start_evpnd ev
check "both leaves Established with the reflector" wait_until 30 eval \
  'evpnd_established ev "$LEAF_ADDR" && evpnd_established ev "$GB_ADDR"'
check "evpnd prints its reflector config back" eval \
  "evpnsh_c ev 'show running-config' | grep -q '  neighbor $GB_ADDR route-reflector-client'"
host_ping leafh "$SVI4" "$SVI6"
FRD=$(frr_vni_rd leaf "$VNI")

gobgp_macadv() {  # gobgp_macadv add|del MAC IP
  gobgp_cli gb global rib -a evpn "$1" macadv "$2" "$3" etag 0 label "$VNI" rd "$GRD" \
    rt "$RT" encap vxlan nexthop "$GB_VTEP" origin igp
}
gobgp_imet() {  # gobgp_imet add|del
  gobgp_cli gb global rib -a evpn "$1" multicast "$GB_VTEP" etag 0 rd "$GRD" rt "$RT" \
    encap vxlan pmsi ingress-repl "$VNI" "$GB_VTEP" nexthop "$GB_VTEP" origin igp
}
check "gobgp add macadv $GMAC (MAC only)" gobgp_macadv add "$GMAC" 0.0.0.0
check "gobgp add macadv $GMAC $GIP4" gobgp_macadv add "$GMAC" "$GIP4"
check "gobgp add multicast $GB_VTEP" gobgp_imet add

# ------------------------------------------------------------------ GoBGP -> evpnd -> FRR
from_gb_at_frr() { echo "[.[] | select(.rd==\"$GRD\")] | length == $1"; }
check "FRR holds GoBGP's 3 routes, reflected" wait_until 20 frr_has leaf "$(from_gb_at_frr 3)"
P=$(frr_paths leaf)
expect_frr_macip "reflected to FRR: MAC" "$P" "$GRD" "$GMAC" "" "$VNI" "$GB_VTEP" "$RT"
expect_frr_macip "reflected to FRR: MAC+IPv4" "$P" "$GRD" "$GMAC" "$GIP4" "$VNI" "$GB_VTEP" "$RT"
expect_frr_imet "reflected to FRR: IMET" "$P" "$GRD" "$GB_VTEP" "$GB_VTEP" "$RT" "$VNI"
for t in 2 3; do
  p=$(jq -c --arg rd "$GRD" --argjson t $t '[.[] | select(.rd==$rd and .routeType==$t)] | first' <<<"$P")
  jq_fields "reflected to FRR: Type-$t" "$p" \
    "ORIGINATOR_ID (the GoBGP leaf)" .originatorId "$GB_VTEP" \
    "CLUSTER_LIST (evpnd's cluster ID)" '.clusterList.list[]' "$CLUSTER" \
    "iBGP, not an AS path" '.aspath.string // .path // ""' "Local" \
    "learned from evpnd" "(.peer.peerId // .peerId)" "$PEER_ADDR"
done
fdb_has() { nsx leaf bridge fdb show dev "vxlan$VNI" | grep -q "$1"; }
check "FRR's kernel: GoBGP's MAC $GMAC via $GB_VTEP" wait_until 10 fdb_has "$GMAC dst $GB_VTEP self extern_learn"
check "FRR's kernel: flood entry to $GB_VTEP (PMSI IR)" wait_until 10 fdb_has "00:00:00:00:00:00 dst $GB_VTEP self"

# ------------------------------------------------------------------ FRR -> evpnd -> GoBGP
from_frr_at_gb() { echo "[.[] | select(rdstr==\"$FRD\")] | length == $1"; }
check "GoBGP holds FRR's 4 routes, reflected" wait_until 20 gobgp_has gb "$(from_frr_at_gb 4)"
G=$(gobgp_paths gb)
expect_gobgp_macip "reflected to GoBGP: MAC" "$G" "$FRD" "$HOST_MAC" "" "$VNI" "$LEAF_VTEP" "$RT"
expect_gobgp_macip "reflected to GoBGP: MAC+IPv4" "$G" "$FRD" "$HOST_MAC" "$HOST_IP4" "$VNI" "$LEAF_VTEP" "$RT"
expect_gobgp_imet "reflected to GoBGP: IMET" "$G" "$FRD" "$LEAF_VTEP" "$LEAF_VTEP" "$RT" "$VNI"
p=$(jq -c --arg rd "$FRD" "$GOBGP_JQ_DEFS"' [.[] | select(rdstr==$rd and .nlri.type==3)] | first' <<<"$G")
jq_fields "reflected to GoBGP: IMET" "$p" \
  "ORIGINATOR_ID (the FRR leaf)" '.attrs[] | select(.type==9) | .value' "$LEAF_VTEP" \
  "CLUSTER_LIST (evpnd's cluster ID)" '.attrs[] | select(.type==10) | .value[]' "$CLUSTER" \
  "LOCAL_PREF" '.attrs[] | select(.type==5) | .value' 100
# Nothing goes back to where it came from.
check "GoBGP does not get its own routes back" gobgp_has gb \
  "[.[] | select(rdstr==\"$GRD\" and .\"neighbor-ip\" == \"$EV_GB\")] | length == 0"
jq_field "evpnd advertised 4 routes to GoBGP and 3 to FRR" \
  "$(evpnsh_c ev "show bgp l2vpn evpn summary json")" \
  "[.peers[\"$GB_ADDR\"].pfxSnt, .peers[\"$LEAF_ADDR\"].pfxSnt] | map(tostring) | join(\" \")" "4 3"

A=$(evpnsh_c ev "show bgp l2vpn evpn neighbors $GB_ADDR advertised-routes json" | jq "$EVPND_FLATTEN")
jq_fields "evpnd's advertised-routes to GoBGP" "$A" \
  "4 paths" '.routes | length' 4 \
  "all FRR's" '[.routes[] | .rd] | unique | join(" ")' "$FRD" \
  "ORIGINATOR_ID as sent" '[.routes[] | .originatorId] | unique | join(" ")' "$LEAF_VTEP" \
  "CLUSTER_LIST as sent" '[.routes[] | .clusterList.list | join(",")] | unique | join(" ")' "$CLUSTER"
R=$(evpnd_routes ev)
jq_check "evpnd marks each path best, the only path for its key" "$R" \
  '[.routes[] | .bestpath.selectionReason] | unique == ["First path received"]'

# ------------------------------------------------------------------ route refresh
# RFC 2918 / RFC 7313: each leaf asks for evpnd's table again; evpnd answers from its
# Loc-RIB (with BoRR/EoRR around it for FRR, which speaks Enhanced Route Refresh) and
# the leaf's table is the same afterwards.
frr_table() { frr_paths leaf | jq -S '[.[] | {rd, prefix, nh: .nexthops[0].ip, ec: .extendedCommunity.string,
  o: .originatorId, c: .clusterList}] | sort_by(.rd, .prefix)'; }
# GoBGP lists the NLRI that shared a route's UPDATE inside its MP_REACH attribute; how
# routes are packed is not part of the table.
gb_table() { gobgp_paths gb | jq -S '[.[] | {prefix, attrs: [.attrs[] | if .type == 14 then del(.value) else . end]}]
  | sort_by(.prefix)'; }
stat() { evpnd_neighbor ev "$1" | jq ".messageStats.$2"; }
jq_field "FRR and evpnd negotiated Enhanced Route Refresh" "$(frr_neighbor leaf "$PEER_ADDR")" \
  .neighborCapabilities.enhancedRouteRefresh advertisedAndReceived
frr_before=$(frr_table); gb_before=$(gb_table)
rr_in=$(stat "$LEAF_ADDR" routeRefreshRecv); rr_out=$(stat "$LEAF_ADDR" routeRefreshSent)
check "FRR: clear bgp * soft in" frr_vtysh leaf "clear bgp * soft in"
check "evpnd receives FRR's ROUTE-REFRESH" wait_until 10 eval \
  '[ "$(stat "$LEAF_ADDR" routeRefreshRecv)" -gt '"$rr_in"' ]'
check "evpnd sends BoRR and EoRR around the table (RFC 7313)" wait_until 10 eval \
  '[ "$(stat "$LEAF_ADDR" routeRefreshSent)" -ge '"$((rr_out + 2))"' ]'
check "FRR's table is the same after the refresh" wait_until 10 eval '[ "$(frr_table)" == "$frr_before" ]'
check "FRR's session did not flap" test "$(evpnd_neighbor ev "$LEAF_ADDR" | jq .connectionsEstablished)" -eq 1
# GoBGP keeps its Adj-RIB-In and never sends ROUTE-REFRESH; evpnd asks it instead.
evpnd_table_from_gb() { evpnd_routes ev | jq -S --arg p "$GB_ADDR" '[.routes[] | select(.peer==$p) | del(.bestpath)]
  | sort_by(.rd, .prefix)'; }
ev_before=$(evpnd_table_from_gb); gb_out=$(stat "$GB_ADDR" routeRefreshSent)
check "evpnd: clear bgp $GB_ADDR soft in" evpnsh_c ev "clear bgp $GB_ADDR soft in"
check "evpnd sends GoBGP a ROUTE-REFRESH" wait_until 10 eval \
  '[ "$(stat "$GB_ADDR" routeRefreshSent)" -gt '"$gb_out"' ]'
sleep 1
check "evpnd's table from GoBGP is the same after" wait_until 10 eval '[ "$(evpnd_table_from_gb)" == "$ev_before" ]'
# GoBGP sends its routes again unchanged: best paths stay, so evpnd sends FRR nothing.
to_frr=$(stat "$LEAF_ADDR" updatesSent); from_gb=$(stat "$GB_ADDR" updatesRecv)
check "GoBGP: neighbor $EV_GB softresetout" gobgp_cli gb neighbor "$EV_GB" softresetout -a evpn
check "evpnd receives GoBGP's routes again" wait_until 10 eval \
  '[ "$(stat "$GB_ADDR" updatesRecv)" -gt '"$from_gb"' ]'
sleep 2
check_eq "evpnd sends FRR no UPDATE for routes that did not change" "$to_frr" "$(stat "$LEAF_ADDR" updatesSent)"
check "evpnd: clear bgp $GB_ADDR soft out" evpnsh_c ev "clear bgp $GB_ADDR soft out"
sleep 1
if ! wait_until 10 eval '[ "$(gb_table)" == "$gb_before" ]'; then
  fail "GoBGP's table is the same after soft out" "$(diff <(echo "$gb_before") <(gb_table) | head -40)"
else pass "GoBGP's table is the same after soft out"; fi

# ------------------------------------------------------------------ withdrawals cross
check "gobgp del macadv $GMAC $GIP4" gobgp_macadv del "$GMAC" "$GIP4"
check "FRR loses GoBGP's MAC+IPv4" wait_until 15 frr_has leaf \
  "[.[] | select(.rd==\"$GRD\" and .ip==\"$GIP4\")] | length == 0"
check "FRR keeps GoBGP's other 2" frr_has leaf "$(from_gb_at_frr 2)"
nsx leaf ip neigh del "$HOST_IP4" dev "br$VNI"
check "GoBGP loses FRR's MAC+IPv4 (neighbor deleted on the leaf)" wait_until 15 gobgp_has gb \
  "[.[] | select(rdstr==\"$FRD\" and .nlri.value.ip==\"$HOST_IP4\")] | length == 0"

# ------------------------------------------------------------------ a leaf goes down
ev_stop gb-gobgpd KILL
check "evpnd sees the GoBGP leaf go" wait_until 15 eval '! evpnd_established ev "$GB_ADDR"'
check "FRR loses every GoBGP route" wait_until 15 frr_has leaf "$(from_gb_at_frr 0)"
check "FRR's kernel: GoBGP's MAC and flood entry removed" wait_until 10 eval \
  "! fdb_has '$GMAC dst $GB_VTEP' && ! fdb_has '00:00:00:00:00:00 dst $GB_VTEP'"
check "FRR's session with the reflector stayed up" test \
  "$(evpnd_neighbor ev "$LEAF_ADDR" | jq .connectionsEstablished)" -eq 1
ev_finish
