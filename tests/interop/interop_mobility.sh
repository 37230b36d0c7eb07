#!/usr/bin/env bash
# One MAC advertised by two leaves under the same route key (same RD), with different MAC
# Mobility sequence numbers (RFC 7432 §15): evpnd keeps both paths, picks the higher
# sequence, says why, and every other node ends with the same winner: FRR (a leaf with
# VNI 100, which imports the route) holds it and installs the MAC towards the winner's
# VTEP in its kernel, and GoBGP holds it with the same next hop. When the winner goes,
# everybody moves to the other leaf.
#
#   leaf (FRR 65001) ── ev (evpnd 65002) ── gb (GoBGP 65003, observer)
#                          ├── pa (peersim 65010: the MAC, no MAC Mobility community, VTEP 10.12.0.1)
#                          └── pb (peersim 65011: the MAC, sequence 2, VTEP 10.13.0.1)
. "$(dirname "$0")/lib.sh"
ev_require jq gobgpd gobgp vtysh "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd "${1:-}" "${2:-}"
ev_require_peersim
ev_init

FRR_AS=65001; EV_AS=65002; GB_AS=65003; PA_AS=65010; PB_AS=65011
GB_ADDR=10.11.0.1; EV_GB=10.11.0.2; GB_VTEP=10.0.0.3
PA_ADDR=10.12.0.1; EV_PA=10.12.0.2
PB_ADDR=10.13.0.1; EV_PB=10.13.0.2
RT=$FRR_AS:$VNI      # what FRR imports for VNI 100
RD=10.255.0.99:1     # the leaves share it: one key, two paths
MAC=02:00:00:00:04:0a

frr_leaf_topology leaf ev
gobgp_leaf_beside ev gb
for p in pa:$PA_ADDR:$EV_PA:eth2 pb:$PB_ADDR:$EV_PB:eth3; do
  IFS=: read -r short addr ev_addr dev <<<"$p"
  netns_create "$short"
  link ev "$dev" "$ev_addr/24" "$short" eth0 "$addr/24"
  # FRR resolves a next hop before it installs a route: the leaves' VTEPs (their link
  # addresses) are reached through evpnd's namespace.
  ip -n "$(ns_name leaf)" route add "$addr/32" via "$PEER_ADDR"
  ip -n "$(ns_name "$short")" route add "$LEAF_VTEP/32" via "$ev_addr"
done

frr_leaf_conf leaf leaf1 "$FRR_AS" "$LEAF_VTEP" "$PEER_ADDR" "$EV_AS"
gobgp_conf gb "$GB_AS" "$GB_VTEP" "$GB_ADDR" "$EV_GB" "$EV_AS"
evpnd_evpn_conf ev mobility1 "$EV_AS" "$PEER_VTEP" "$LEAF_ADDR:$FRR_AS" "$GB_ADDR:$GB_AS" \
  "$PA_ADDR:$PA_AS:passive" "$PB_ADDR:$PB_AS:passive"
start_frr leaf
start_gobgp gb
start_evpnd ev
check "FRR and GoBGP sessions Established" wait_until 30 eval \
  'evpnd_established ev "$LEAF_ADDR" && evpnd_established ev "$GB_ADDR"'

# leaf SHORT AS ADDR EV_ADDR [PEERSIM ARGS...]: a leaf that advertises $MAC from its VTEP
# (its link address) and stays up.
leaf() {
  local short=$1 as=$2 addr=$3 ev_addr=$4; shift 4
  peersim_bg "$short-peersim" "$short" "$(ev_dir "$short")/peersim.out" --local "$addr" --remote "$ev_addr" \
    --as "$as" --remote-as "$EV_AS" --id "$addr" --hold 9 --routes 1 --mac-base "$MAC" --rd "$RD" --rt "$RT" \
    --nexthop "$addr" --vni "$VNI" --hold-open 600 --timeout 660 "$@"
}
fdb_has() { nsx leaf bridge fdb show dev "vxlan$VNI" | grep -q "$1"; }
frr_mac() { frr_paths leaf | jq -c --arg m "$MAC" '[.[] | select(.routeType==2 and .mac==$m)]'; }
frr_nh_is() { [ "$(frr_mac | jq -r 'if length == 1 then .[0].nexthops[0].ip else "paths: \(length)" end')" = "$1" ]; }
gobgp_nh_is() { gobgp_has gb "[.[] | select(.nlri.value.mac==\"$MAC\")] | length == 1 and (.[0] | nh) == \"$1\""; }
ev_mac() { evpnd_routes ev | jq -c --arg m "$MAC" '[.routes[] | select(.mac==$m)]'; }

# ------------------------------------------------------------------ one leaf
leaf pa "$PA_AS" "$PA_ADDR" "$EV_PA"
check "evpnd holds the MAC from leaf A" wait_until 20 eval '[ "$(ev_mac | jq length)" -eq 1 ]'
check "FRR: the MAC via leaf A" wait_until 20 frr_nh_is "$PA_ADDR"
check "FRR's kernel: the MAC towards leaf A" wait_until 10 fdb_has "$MAC dst $PA_ADDR self extern_learn"
check "GoBGP: the MAC via leaf A" wait_until 20 gobgp_nh_is "$PA_ADDR"

# ------------------------------------------------------------------ a second leaf, higher sequence
leaf pb "$PB_AS" "$PB_ADDR" "$EV_PB" --mobility-seq 2
check "evpnd holds both paths under one key" wait_until 20 eval '[ "$(ev_mac | jq length)" -eq 2 ]'
E=$(ev_mac)
jq_fields "evpnd's choice" "$E" \
  "one best path" '[.[] | select(.bestpath.overall)] | length' 1 \
  "the best is leaf B's" '[.[] | select(.bestpath.overall)][0].peerId' "$PB_ADDR" \
  "why: the higher sequence" '[.[] | select(.bestpath.overall)][0].bestpath.selectionReason' "EVPN sequence number" \
  "its sequence is shown" '[.[] | select(.bestpath.overall)][0].macMobility.seq' 2 \
  "leaf A's path is kept, not best" '[.[] | select(.peerId=="'"$PA_ADDR"'")][0] | has("bestpath")' false
check "FRR: the MAC via leaf B" wait_until 20 frr_nh_is "$PB_ADDR"
jq_check "FRR: with MAC Mobility sequence 2" "$(frr_mac)" '.[0].extendedCommunity.string | test("MM:2")'
check "FRR's kernel: the MAC towards leaf B" wait_until 10 fdb_has "$MAC dst $PB_ADDR self extern_learn"
check "FRR's kernel: no entry towards leaf A" eval "! fdb_has '$MAC dst $PA_ADDR'"
check "GoBGP: the MAC via leaf B" wait_until 20 gobgp_nh_is "$PB_ADDR"
check "evpnd's text view marks the same best" eval \
  "evpnsh_c ev 'show bgp l2vpn evpn route' | grep -A1 '^\*> .*$MAC' | grep -q '$PB_ADDR'"

# ------------------------------------------------------------------ the winner goes
ev_stop pb-peersim KILL
check "evpnd: leaf B's path gone when its session ends" wait_until 20 eval '[ "$(ev_mac | jq length)" -eq 1 ]'
jq_check "evpnd: leaf A's path is best again" "$(ev_mac)" '.[0].bestpath.overall and .[0].peerId == "'"$PA_ADDR"'"'
check "FRR: back to leaf A" wait_until 20 frr_nh_is "$PA_ADDR"
check "FRR's kernel: the MAC towards leaf A again" wait_until 10 fdb_has "$MAC dst $PA_ADDR self extern_learn"
check "GoBGP: back to leaf A" wait_until 20 gobgp_nh_is "$PA_ADDR"
ev_stop pa-peersim KILL
ev_finish
