#!/usr/bin/env bash
# evpnd as an eBGP transit speaker between an FRR leaf and a GoBGP leaf in three ASes:
#
#   ns "leaf": FRR AS 65001, 10.10.0.1, VTEP 10.0.0.1, VNI 100 bridge with a host (leafh)
#   ns "ev":   evpnd AS 65002, 10.10.0.2 and 10.11.0.2
#   ns "gb":   GoBGP AS 65003, 10.11.0.1, VTEP 10.0.0.3
#
# Each leaf gets the other's routes with the next hop unchanged (the VTEP: a rewritten
# next hop would blackhole known unicast, INTEROP §5) and evpnd's AS prepended; FRR
# installs GoBGP's MAC. A route whose AS path already holds 65002 is a loop: evpnd drops
# and counts it, and FRR never sees it. Nothing is sent back to the AS it came from.
. "$(dirname "$0")/lib.sh"
ev_require jq gobgpd gobgp vtysh "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd "${1:-}" "${2:-}"
ev_init

FRR_AS=65001; EV_AS=65002; GB_AS=65003
GB_ADDR=10.11.0.1; EV_GB=10.11.0.2; GB_VTEP=10.0.0.3
RT=$FRR_AS:$VNI                               # what FRR imports for VNI 100
GRD=$GB_VTEP:100
GMAC=02:00:00:00:03:0b; LMAC=02:00:00:00:03:0c

frr_leaf_topology leaf ev
gobgp_leaf_beside ev gb

frr_leaf_conf leaf leaf1 "$FRR_AS" "$LEAF_VTEP" "$PEER_ADDR" "$EV_AS"
gobgp_conf gb "$GB_AS" "$GB_VTEP" "$GB_ADDR" "$EV_GB" "$EV_AS"
evpnd_evpn_conf ev transit1 "$EV_AS" "$PEER_VTEP" "$LEAF_ADDR:$FRR_AS" "$GB_ADDR:$GB_AS"
start_frr leaf
start_gobgp gb
start_evpnd ev
check "both eBGP sessions Established" wait_until 30 eval \
  'evpnd_established ev "$LEAF_ADDR" && evpnd_established ev "$GB_ADDR"'
host_ping leafh "$SVI4" "$SVI6"
FRD=$(frr_vni_rd leaf "$VNI")

gobgp_macadv() {  # gobgp_macadv add|del MAC [aspath A,B]
  local op=$1 mac=$2; shift 2
  gobgp_cli gb global rib -a evpn "$op" macadv "$mac" 0.0.0.0 etag 0 label "$VNI" rd "$GRD" \
    rt "$RT" encap vxlan nexthop "$GB_VTEP" origin igp "$@"
}
check "gobgp add macadv $GMAC" gobgp_macadv add "$GMAC"
check "gobgp add multicast $GB_VTEP" gobgp_cli gb global rib -a evpn add multicast "$GB_VTEP" etag 0 rd "$GRD" \
  rt "$RT" encap vxlan pmsi ingress-repl "$VNI" "$GB_VTEP" nexthop "$GB_VTEP" origin igp
# A route that has already been through AS 65002: GoBGP prepends its own AS on the way.
check "gobgp add macadv $LMAC with 65002 in its AS path" gobgp_macadv add "$LMAC" aspath "65100,65002"

# ------------------------------------------------------------------ GoBGP -> evpnd -> FRR
check "FRR holds GoBGP's 2 routes" wait_until 20 frr_has leaf "[.[] | select(.rd==\"$GRD\")] | length == 2"
P=$(frr_paths leaf)
expect_frr_macip "transit to FRR: MAC" "$P" "$GRD" "$GMAC" "" "$VNI" "$GB_VTEP" "$RT"
expect_frr_imet "transit to FRR: IMET" "$P" "$GRD" "$GB_VTEP" "$GB_VTEP" "$RT" "$VNI"
p=$(jq -c --arg rd "$GRD" '[.[] | select(.rd==$rd and .routeType==2)] | first' <<<"$P")
jq_fields "transit to FRR: MAC" "$p" \
  "AS path: evpnd's AS prepended" '.aspath.string // .path' "$EV_AS $GB_AS" \
  "no ORIGINATOR_ID over eBGP" 'has("originatorId")' false
fdb_has() { nsx leaf bridge fdb show dev "vxlan$VNI" | grep -q "$1"; }
check "FRR's kernel: GoBGP's MAC $GMAC via $GB_VTEP" wait_until 10 fdb_has "$GMAC dst $GB_VTEP self extern_learn"
check "the looped route never reaches FRR" frr_has leaf "[.[] | select(.mac==\"$LMAC\")] | length == 0"
jq_check "evpnd dropped and counted the looped route" "$(evpnd_neighbor ev "$GB_ADDR")" '.evpnPathsLooped >= 1'
jq_check "and does not hold it" "$(evpnd_routes ev)" "[.routes[] | select(.mac==\"$LMAC\")] | length == 0"

# ------------------------------------------------------------------ FRR -> evpnd -> GoBGP
check "GoBGP holds FRR's 4 routes" wait_until 20 gobgp_has gb "[.[] | select(rdstr==\"$FRD\")] | length == 4"
G=$(gobgp_paths gb)
expect_gobgp_macip "transit to GoBGP: MAC+IPv4" "$G" "$FRD" "$HOST_MAC" "$HOST_IP4" "$VNI" "$LEAF_VTEP" "$RT"
expect_gobgp_imet "transit to GoBGP: IMET" "$G" "$FRD" "$LEAF_VTEP" "$LEAF_VTEP" "$RT" "$VNI"
p=$(jq -c --arg rd "$FRD" "$GOBGP_JQ_DEFS"' [.[] | select(rdstr==$rd and .nlri.type==3)] | first' <<<"$G")
jq_fields "transit to GoBGP: IMET" "$p" \
  "AS path: evpnd's AS prepended" '[.attrs[] | select(.type==2) | .as_paths[]?.asns[]] | map(tostring) | join(" ")' \
  "$EV_AS $FRR_AS" \
  "no LOCAL_PREF over eBGP" '[.attrs[] | select(.type==5)] | length' 0
S=$(evpnsh_c ev "show bgp l2vpn evpn summary json")
jq_fields "nothing goes back where it came from" "$S" \
  "sent to FRR: GoBGP's 2 only" ".peers[\"$LEAF_ADDR\"].pfxSnt" 2 \
  "sent to GoBGP: FRR's 4 only" ".peers[\"$GB_ADDR\"].pfxSnt" 4

# ------------------------------------------------------------------ withdrawals
check "gobgp del macadv $GMAC" gobgp_macadv del "$GMAC"
check "FRR loses GoBGP's MAC" wait_until 15 frr_has leaf \
  "[.[] | select(.rd==\"$GRD\" and .routeType==2)] | length == 0"
check "FRR's kernel: GoBGP's MAC removed" wait_until 10 eval "! fdb_has '$GMAC dst $GB_VTEP'"
nsx leaf ip neigh del "$HOST_IP4" dev "br$VNI"
check "GoBGP loses FRR's MAC+IPv4" wait_until 15 gobgp_has gb \
  "[.[] | select(rdstr==\"$FRD\" and .nlri.value.ip==\"$HOST_IP4\")] | length == 0"
ev_finish
