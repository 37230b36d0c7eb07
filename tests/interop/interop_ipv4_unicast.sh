#!/usr/bin/env bash
# ipv4 unicast through evpnd's RIB: receive, best path, reflection, eBGP export and
# `network` origination, against real FRR and GoBGP.
#
#   ns "leaf": FRR AS 65000, 10.10.0.1, `network 10.0.0.1/32` (its VTEP loopback), RR client
#   ns "ev":   evpnd AS 65000, router ID 10.0.0.2, cluster ID 10.0.0.254, `network 10.0.0.2/32`
#   ns "gb":   GoBGP AS 65000, 10.11.0.1, originates 10.0.0.3/32, RR client
#   ns "gx":   GoBGP AS 65100, 10.12.0.1, originates 10.0.0.9/32 (eBGP)
#
# A reflected route keeps its next hop and gets ORIGINATOR_ID and CLUSTER_LIST (RFC 4456);
# an eBGP route keeps its next hop into iBGP; towards eBGP every route carries evpnd's
# address and AS (RFC 4271 §5.1.3, §5.1.2); evpnd's own prefix carries its session
# address everywhere. FRR installs the eBGP route in its kernel; withdrawals and a lost
# peer take the routes out everywhere.
. "$(dirname "$0")/lib.sh"
ev_require jq gobgpd gobgp vtysh "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd "${1:-}" "${2:-}"
ev_init

AS=65000; XAS=65100
GB_ADDR=10.11.0.1; EV_GB=10.11.0.2; GB_VTEP=10.0.0.3
GX_ADDR=10.12.0.1; EV_GX=10.12.0.2; GX_NET=10.0.0.9/32
CLUSTER=10.0.0.254

frr_leaf_topology leaf ev
gobgp_leaf_beside ev gb
netns_create gx
link ev eth2 "$EV_GX/24" gx eth0 "$GX_ADDR/24"
# FRR resolves a next hop before it uses a path (its nexthop tracking): the leaf reaches
# both GoBGP subnets through evpnd's namespace, which forwards.
ip -n "$(ns_name leaf)" route add 10.11.0.0/24 via "$PEER_ADDR"
ip -n "$(ns_name leaf)" route add 10.12.0.0/24 via "$PEER_ADDR"

frr_write_conf leaf zebra.conf <<C
hostname leaf1
C
frr_write_conf leaf bgpd.conf <<C
hostname leaf1
router bgp $AS
 bgp router-id $LEAF_VTEP
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor $PEER_ADDR remote-as $AS
 neighbor $PEER_ADDR timers 3 9
 neighbor $PEER_ADDR timers connect 2
 address-family ipv4 unicast
  network $LEAF_VTEP/32
 exit-address-family
exit
C
gobgp_conf gb "$AS" "$GB_VTEP" "$GB_ADDR" "$EV_GB" "$AS" ipv4-unicast
gobgp_conf gx "$XAS" 10.0.0.9 "$GX_ADDR" "$EV_GX" "$AS" ipv4-unicast
evpnd_write_conf ev <<C
hostname rr1
router bgp $AS
 bgp router-id $PEER_VTEP
 bgp cluster-id $CLUSTER
 no bgp ebgp-requires-policy
 neighbor $LEAF_ADDR remote-as $AS
 neighbor $LEAF_ADDR timers 3 9
 neighbor $LEAF_ADDR timers connect 2
 neighbor $GB_ADDR remote-as $AS
 neighbor $GB_ADDR timers 3 9
 neighbor $GB_ADDR timers connect 2
 neighbor $GX_ADDR remote-as $XAS
 neighbor $GX_ADDR timers 3 9
 neighbor $GX_ADDR timers connect 2
 address-family ipv4 unicast
  network $PEER_VTEP/32
  neighbor $LEAF_ADDR route-reflector-client
  neighbor $GB_ADDR route-reflector-client
 exit-address-family
exit
C
start_frr leaf
start_gobgp gb
start_gobgp gx
start_evpnd ev
check "FRR, GoBGP (iBGP) and GoBGP (eBGP) Established with evpnd" wait_until 30 eval \
  'evpnd_established ev "$LEAF_ADDR" && evpnd_established ev "$GB_ADDR" && evpnd_established ev "$GX_ADDR"'
check "evpnd prints its network back" eval \
  "evpnsh_c ev 'show running-config' | grep -qx '  network $PEER_VTEP/32'"
check "gobgp (iBGP) originates $GB_VTEP/32" gobgp_cli gb global rib -a ipv4 add "$GB_VTEP/32" origin igp
check "gobgp (eBGP) originates $GX_NET" gobgp_cli gx global rib -a ipv4 add "$GX_NET" origin igp

# ------------------------------------------------------------------ at FRR (iBGP client)
frr_v4() { frr_vtysh leaf "show bgp ipv4 unicast json" | jq -c ".routes"; }
frr_path() { frr_v4 | jq -c --arg p "$1" '.[$p] // [] | first // {}'; }
check "FRR holds the routes of evpnd, GoBGP (iBGP) and GoBGP (eBGP)" wait_until 20 eval \
  "frr_v4 | jq -e 'has(\"$PEER_VTEP/32\") and has(\"$GB_VTEP/32\") and has(\"$GX_NET\")' >/dev/null"
# FRR's table JSON leaves out ORIGINATOR_ID and CLUSTER_LIST; the prefix's own JSON has them.
P=$(frr_vtysh leaf "show bgp ipv4 unicast $GB_VTEP/32 json" | jq -c '.paths[0]')
jq_field "FRR: GoBGP's iBGP route reflected with its next hop" "$P" '.nexthops[0].ip' "$GB_ADDR"
jq_field "FRR: reflected route carries ORIGINATOR_ID = GoBGP's router ID" "$P" '.originatorId' "$GB_VTEP"
jq_field "FRR: reflected route carries CLUSTER_LIST = evpnd's cluster ID" "$P" '.clusterList.list | join(",")' "$CLUSTER"
jq_field "FRR: reflected route is valid and best" "$P" '.valid and .bestpath.overall' "true"
P=$(frr_path "$PEER_VTEP/32")
jq_field "FRR: evpnd's network with next hop evpnd's address" "$P" '.nexthops[0].ip' "$PEER_ADDR"
jq_field "FRR: evpnd's network has an empty AS path and ORIGIN IGP" "$P" '"\(.path)/\(.origin)"' "/IGP"
P=$(frr_path "$GX_NET")
jq_field "FRR: the eBGP route keeps GoBGP's next hop into iBGP" "$P" '.nexthops[0].ip' "$GX_ADDR"
jq_field "FRR: the eBGP route has AS path 65100" "$P" '.path' "$XAS"
check "FRR's kernel: $GX_NET installed by zebra (proto bgp) via $PEER_ADDR" wait_until 10 eval \
  "ip -n '$(ns_name leaf)' route show '$GX_NET' proto bgp | grep -q 'via $PEER_ADDR'"

# ------------------------------------------------------------------ at GoBGP
gb_path() {  # gb_path SHORT PREFIX -> the best path's attributes by type code
  gobgp_cli "$1" global rib -a ipv4 -j | jq -c --arg p "$2" \
    '.[$p] // [] | map(select(.best)) | first // {} | .attrs // [] | map({key: (.type|tostring), value: .}) | from_entries'
}
check "GoBGP (iBGP) holds FRR's and evpnd's routes" wait_until 20 eval \
  "[ \"\$(gb_path gb $LEAF_VTEP/32)\" != '{}' ] && [ \"\$(gb_path gb $PEER_VTEP/32)\" != '{}' ]"
A=$(gb_path gb "$LEAF_VTEP/32")
jq_field "GoBGP (iBGP): FRR's route reflected with FRR's next hop" "$A" '.["3"].nexthop' "$LEAF_ADDR"
jq_field "GoBGP (iBGP): ORIGINATOR_ID = FRR's router ID" "$A" '.["9"].value' "$LEAF_VTEP"
jq_field "GoBGP (iBGP): CLUSTER_LIST = evpnd's cluster ID" "$A" '.["10"].value | join(",")' "$CLUSTER"
A=$(gb_path gb "$PEER_VTEP/32")
jq_field "GoBGP (iBGP): evpnd's network via evpnd's address on that link" "$A" '.["3"].nexthop' "$EV_GB"
check "GoBGP (eBGP) holds FRR's, GoBGP's (iBGP) and evpnd's routes" wait_until 20 eval \
  "[ \"\$(gb_path gx $LEAF_VTEP/32)\" != '{}' ] && [ \"\$(gb_path gx $GB_VTEP/32)\" != '{}' ] && [ \"\$(gb_path gx $PEER_VTEP/32)\" != '{}' ]"
for net in "$LEAF_VTEP/32" "$GB_VTEP/32" "$PEER_VTEP/32"; do
  A=$(gb_path gx "$net")
  jq_field "GoBGP (eBGP): $net with next hop evpnd's address (RFC 4271 5.1.3)" "$A" '.["3"].nexthop' "$EV_GX"
  jq_field "GoBGP (eBGP): $net with AS path $AS" "$A" '[.["2"].as_paths[].asns[]] | map(tostring) | join(" ")' "$AS"
  jq_field "GoBGP (eBGP): $net without LOCAL_PREF, ORIGINATOR_ID or CLUSTER_LIST" "$A" \
    'has("5") or has("9") or has("10")' "false"
done
check "GoBGP (eBGP) is not sent its own route back" eval "[ \"\$(gb_path gx $GX_NET | jq -r '.[\"2\"].as_paths[0].asns[0] // empty')\" != '$AS' ]"

# ------------------------------------------------------------------ at evpnd
R=$(evpnsh_c ev "show bgp ipv4 unicast json")
jq_field "evpnd: four prefixes in its ipv4 unicast table" "$R" '.routes | length' "4"
jq_field "evpnd: its network is local, weight 32768, best" "$R" \
  ".routes[\"$PEER_VTEP/32\"][0] | \"\(.pathFrom) \(.weight) \(.bestpath)\"" "local 32768 true"
jq_field "evpnd: GoBGP's eBGP route best, from $GX_ADDR" "$R" \
  ".routes[\"$GX_NET\"][0] | \"\(.peerId) \(.pathFrom) \(.bestpath)\"" "$GX_ADDR external true"
S=$(evpnsh_c ev "show bgp ipv4 unicast neighbors $GX_ADDR advertised-routes json")
jq_field "evpnd: three prefixes advertised to the eBGP peer" "$S" '.totalPrefixCounter' "3"
jq_field "evpnd: advertised with its own next hop and AS" "$S" \
  "[.advertisedRoutes[] | \"\(.nexthops[0].ip) \(.path)\"] | unique | join(\",\")" "$EV_GX $AS"
M=$(evpnsh_c ev "show bgp ipv4 unicast summary json")
jq_field "evpnd: summary counts FRR's one prefix received" "$M" ".peers[\"$LEAF_ADDR\"].pfxRcd" "1"
jq_field "evpnd: summary counts three prefixes sent to FRR" "$M" ".peers[\"$LEAF_ADDR\"].pfxSnt" "3"
G=$(evpnsh_c ev "show bgp update-groups json")
# Each peer here is reached from its own address of evpnd's, the next hop of evpnd's
# network: three groups.
jq_field "evpnd: ipv4 unicast update groups, one per session address" "$G" \
  '[.updateGroups[] | select(.addressFamily == "ipv4-unicast")] | length' "3"

# ------------------------------------------------------------------ withdrawals and loss
check "gobgp (iBGP) withdraws $GB_VTEP/32" gobgp_cli gb global rib -a ipv4 del "$GB_VTEP/32"
check "FRR loses $GB_VTEP/32" wait_until 15 eval "frr_v4 | jq -e 'has(\"$GB_VTEP/32\") | not' >/dev/null"
check "GoBGP (eBGP) loses $GB_VTEP/32" wait_until 15 eval "[ \"\$(gb_path gx $GB_VTEP/32)\" == '{}' ]"
check "the eBGP GoBGP goes down" ev_stop gx-gobgpd
check "FRR loses $GX_NET" wait_until 20 eval "frr_v4 | jq -e 'has(\"$GX_NET\") | not' >/dev/null"
check "FRR's kernel: $GX_NET removed" wait_until 10 eval \
  "! ip -n '$(ns_name leaf)' route show '$GX_NET' proto bgp | grep -q ."
check "GoBGP (iBGP) still holds FRR's route" eval "[ \"\$(gb_path gb $LEAF_VTEP/32)\" != '{}' ]"
check "FRR's session with evpnd stayed up" test \
  "$(evpnd_neighbor ev "$LEAF_ADDR" | jq .connectionsEstablished)" -eq 1
ev_finish
