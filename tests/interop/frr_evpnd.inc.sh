# Body of interop_frr_ibgp.sh / interop_frr_ebgp.sh (sourced; MODE=ibgp|ebgp).
#
#   ns "leaf": FRR zebra + bgpd AS 65001, 10.10.0.1, VTEP 10.0.0.1 on lo, advertise-all-vni,
#              br100 + vxlan100 (VNI 100, dstport 4789, nolearning), SVI 192.168.100.1/24
#              and fd00:100::1/64 on br100
#   ns "leafh": host 02:00:00:00:01:0a, 192.168.100.10/24, fd00:100::10/64, on br100
#   ns "ev":   evpnd AS 65002 (eBGP) or 65001 (iBGP), 10.10.0.2, VTEP 10.0.0.2
#
# The host pings the SVI, so FRR sends real Type-2 MAC, MAC+IPv4, MAC+IPv6 and Type-3;
# evpnd must read every field. evpnd originates routes with its test hooks; FRR must show
# them and zebra must install them in the kernel. Withdrawals both ways. With MODE=ebgp
# also: 60 s with hold time 9 and no flap, then bgpd is killed and restarted and the
# session and routes come back.
. "$(dirname "$0")/lib.sh"
ev_require jq vtysh "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd "${1:-}" "${2:-}"
ev_init

FRR_AS=65001
if [ "$MODE" == ebgp ]; then EV_AS=65002; FRR_ASPATH=65001
else EV_AS=65001; FRR_ASPATH=""; fi
EV_ADDR=$PEER_ADDR; EV_VTEP=$PEER_VTEP
ERD=$EV_VTEP:100; ERT=$EV_AS:$VNI; FRT=$FRR_AS:$VNI
EMAC=02:00:00:00:02:0b; EIP4=192.168.100.11; EIP6=fd00:100::11
SMAC=02:00:00:00:02:0c                      # evpnd's MAC with mobility seq 3

frr_leaf_topology leaf ev
frr_leaf_conf leaf leaf1 "$FRR_AS" "$LEAF_VTEP" "$EV_ADDR" "$EV_AS"
evpnd_conf ev ev1 "$EV_AS" "$EV_VTEP" "$LEAF_ADDR" "$FRR_AS"
start_frr leaf
start_evpnd ev

session_up() { evpnd_established ev "$LEAF_ADDR" && frr_established leaf "$EV_ADDR"; }
if wait_until 30 session_up; then pass "$MODE session Established on both sides"
else
  fail "$MODE session Established on both sides" \
    "evpnd: $(evpnd_peer_state ev "$LEAF_ADDR"), FRR: $(frr_peer_state leaf "$EV_ADDR")"
  ev_finish
fi
S=$(evpnsh_c ev "show bgp l2vpn evpn summary json")
jq_fields "summary" "$S" \
  routerId .routerId "$EV_VTEP" \
  as .as "$EV_AS" \
  "peer remoteAs" ".peers[\"$LEAF_ADDR\"].remoteAs" "$FRR_AS" \
  "peer holdTime" ".peers[\"$LEAF_ADDR\"].holdTime" 9 \
  "peer keepalive" ".peers[\"$LEAF_ADDR\"].keepalive" 3 \
  "peer hostname (FQDN capability)" ".peers[\"$LEAF_ADDR\"].hostname" leaf1
N=$(frr_vtysh leaf "show bgp neighbors $EV_ADDR json")
jq_fields "FRR neighbor" "$N" \
  "hold time 9 s" ".[\"$EV_ADDR\"].bgpTimerHoldTimeMsecs" 9000 \
  "evpnd's router-id" ".[\"$EV_ADDR\"].remoteRouterId" "$EV_VTEP" \
  "L2VPN EVPN negotiated" ".[\"$EV_ADDR\"].neighborCapabilities.multiprotocolExtensions.l2VpnEvpn.advertisedAndReceived" true

host_ping leafh "$SVI4" "$SVI6"

# ------------------------------------------------------------------ FRR -> evpnd
FRD=$(frr_vni_rd leaf "$VNI")
check "FRR RD '$FRD' is router-id:index" grep -Eq "^$LEAF_VTEP:[0-9]+$" <<<"$FRD"
# FRR's own routes at evpnd (its RD); routes FRR reflects back are checked separately.
from_frr() { echo "[.routes[] | select(.peer==\"$LEAF_ADDR\" and .rd==\"$FRD\")] | length == $1"; }

expect_frr_set_at_evpnd() {  # expect_frr_set_at_evpnd WHAT
  local what=$1 R
  if wait_until 20 evpnd_has ev "$(from_frr 4)"; then pass "$what: evpnd holds FRR's 4 routes"
  else fail "$what: evpnd holds FRR's 4 routes" "$(evpnd_routes ev 2>&1 | head -c 3000)"; fi
  R=$(evpnd_routes ev)
  expect_evpnd_macip "$what MAC" "$R" "$FRD" "$HOST_MAC" "" "$VNI" "$LEAF_VTEP" "$LEAF_ADDR" "$FRR_ASPATH" "$FRT" IGP
  expect_evpnd_macip "$what MAC+IPv4" "$R" "$FRD" "$HOST_MAC" "$HOST_IP4" "$VNI" "$LEAF_VTEP" "$LEAF_ADDR" "$FRR_ASPATH" "$FRT" IGP
  expect_evpnd_macip "$what MAC+IPv6" "$R" "$FRD" "$HOST_MAC" "$HOST_IP6" "$VNI" "$LEAF_VTEP" "$LEAF_ADDR" "$FRR_ASPATH" "$FRT" IGP
  expect_evpnd_imet "$what IMET" "$R" "$FRD" "$LEAF_VTEP" "$LEAF_VTEP" "$LEAF_ADDR" "$FRR_ASPATH" "$FRT" "$VNI" IGP
  jq_check "$what: FRR's routes carry no MAC mobility community (seq 0)" "$R" \
    "[.routes[] | select(.peer==\"$LEAF_ADDR\" and .rd==\"$FRD\" and has(\"macMobility\"))] | length == 0"
  jq_field "$what: summary pfxRcd" "$(evpnsh_c ev "show bgp l2vpn evpn summary json")" \
    ".peers[\"$LEAF_ADDR\"].pfxRcd" 4
}
expect_frr_set_at_evpnd "FRR->evpnd"

# ------------------------------------------------------------------ evpnd -> FRR
evt() { evpnsh_c ev "test evpn $*"; }
evpnd_originate_all() {
  check "evpnd originate MAC $EMAC" evt originate macip rd "$ERD" mac "$EMAC" label "$VNI" nexthop "$EV_VTEP" rt "$ERT"
  check "evpnd originate MAC+IPv4" evt originate macip rd "$ERD" mac "$EMAC" ip "$EIP4" label "$VNI" nexthop "$EV_VTEP" rt "$ERT"
  check "evpnd originate MAC+IPv6" evt originate macip rd "$ERD" mac "$EMAC" ip "$EIP6" label "$VNI" nexthop "$EV_VTEP" rt "$ERT"
  check "evpnd originate multicast" evt originate multicast rd "$ERD" orig "$EV_VTEP" label "$VNI" nexthop "$EV_VTEP" rt "$ERT"
  check "evpnd originate MAC $SMAC seq 3" evt originate macip rd "$ERD" mac "$SMAC" label "$VNI" nexthop "$EV_VTEP" rt "$ERT" seq 3
}
from_ev() { echo "[.[] | select(.rd==\"$ERD\")] | length == $1"; }
fdb_has() { nsx leaf bridge fdb show dev "vxlan$VNI" | grep -q "$1"; }
neigh_has() { nsx leaf ip neigh show dev "br$VNI" | grep -q "^$1 .*lladdr $2"; }

expect_evpnd_set_at_frr() {  # expect_evpnd_set_at_frr WHAT
  local what=$1 P p V
  if wait_until 20 frr_has leaf "$(from_ev 5)"; then pass "$what: FRR holds evpnd's 5 routes"
  else fail "$what: FRR holds evpnd's 5 routes" "$(frr_vtysh leaf 'show bgp l2vpn evpn route' 2>&1)"; fi
  P=$(frr_paths leaf)
  expect_frr_macip "$what MAC" "$P" "$ERD" "$EMAC" "" "$VNI" "$EV_VTEP" "$ERT"
  expect_frr_macip "$what MAC+IPv4" "$P" "$ERD" "$EMAC" "$EIP4" "$VNI" "$EV_VTEP" "$ERT"
  expect_frr_macip "$what MAC+IPv6" "$P" "$ERD" "$EMAC" "$EIP6" "$VNI" "$EV_VTEP" "$ERT"
  expect_frr_imet "$what IMET" "$P" "$ERD" "$EV_VTEP" "$EV_VTEP" "$ERT" "$VNI"
  p=$(jq -c --arg mac "$SMAC" '[.[] | select(.routeType==2 and .mac==$mac)] | first' <<<"$P")
  check "$what MAC seq 3: FRR shows MM:3 ($(jq -r '.extendedCommunity.string' <<<"$p"))" \
    grep -q 'MM:3' <<<"$(jq -r '.extendedCommunity.string' <<<"$p")"
  jq_field "$what: AS path at FRR" "$(jq -c --arg mac "$EMAC" \
      '[.[] | select(.routeType==2 and .mac==$mac)] | first' <<<"$P")" '.aspath.string' \
    "$( [ "$MODE" == ebgp ] && echo "$EV_AS" || echo "Local" )"     # FRR prints an empty iBGP path as "Local"
  # zebra: the routes were imported into VNI 100 and installed in the kernel.
  check "$what: kernel flood entry to $EV_VTEP (PMSI IR)" wait_until 10 fdb_has "00:00:00:00:00:00 dst $EV_VTEP self"
  check "$what: kernel remote MAC $EMAC via $EV_VTEP" wait_until 10 fdb_has "$EMAC dst $EV_VTEP self extern_learn"
  check "$what: kernel neighbor $EIP4 -> $EMAC" wait_until 10 neigh_has "$EIP4" "$EMAC"
  check "$what: kernel neighbor $EIP6 -> $EMAC" wait_until 10 neigh_has "$EIP6" "$EMAC"
  V=$(frr_vtysh leaf "show evpn vni $VNI")
  if grep -Eq "^ *$EV_VTEP +flood: HER" <<<"$V"; then pass "$what: zebra remote VTEP $EV_VTEP flood HER"
  else fail "$what: zebra remote VTEP $EV_VTEP flood HER" "$V"; fi
  V=$(frr_vtysh leaf "show evpn mac vni $VNI mac $SMAC json")
  jq_field "$what: zebra remote MAC $SMAC has remote seq 3" "$V" ".\"$SMAC\".remoteSequence" 3
}
evpnd_originate_all
expect_evpnd_set_at_frr "evpnd->FRR"

# Over eBGP FRR advertises evpnd's routes back to evpnd (AS path "65001 65002"). evpnd
# must drop them: RFC 4271 §9.1.2 excludes routes whose AS_PATH holds the local AS.
if [ "$MODE" == ebgp ]; then
  frr_reflects() { frr_vtysh leaf "show bgp l2vpn evpn neighbors $EV_ADDR advertised-routes" | grep -q "Route Distinguisher: $ERD"; }
  check "FRR advertises evpnd's own routes back to evpnd (eBGP)" wait_until 10 frr_reflects
  # evpnd counts what it dropped as a loop: wait until all 5 have arrived and been
  # dropped, then check that none of them is stored.
  looped() { evpnsh_c ev "show bgp neighbors $LEAF_ADDR json" | jq -e --arg p "$LEAF_ADDR" '.[$p].evpnPathsLooped >= 5' >/dev/null; }
  check "evpnd dropped FRR's 5 reflections of its routes as loops (counter)" wait_until 15 looped
  L=$(evpnd_routes ev | jq -c --arg p "$LEAF_ADDR" --arg own "$EV_AS" \
       '[.routes[] | select(.peer==$p and (.asPath | split(" ") | index($own))) | "\(.rd) \(.prefix) path \(.asPath)"]')
  if [ "$L" == "[]" ]; then pass "evpnd drops routes whose AS path has its own AS $EV_AS (RFC 4271 §9.1.2)"
  else fail "evpnd drops routes whose AS path has its own AS $EV_AS (RFC 4271 §9.1.2)" "evpnd holds from $LEAF_ADDR: $L"; fi
fi

# ------------------------------------------------------------------ MAC mobility (run last)
# evpnd advertises MAC M (seq 0); then a host with MAC M appears behind FRR's bridge. zebra
# sees a remote MAC become local, so FRR advertises M with MAC mobility seq 1 (RFC 7432
# §15), which evpnd must show in macMobility.
MMAC=02:00:00:00:02:0d; MIP4=192.168.100.13
mobility_check() {
  local R
  check "evpnd originate MAC $MMAC (seq 0)" evt originate macip rd "$ERD" mac "$MMAC" label "$VNI" nexthop "$EV_VTEP" rt "$ERT"
  check "zebra has $MMAC as remote" wait_until 15 fdb_has "$MMAC dst $EV_VTEP self"
  host_on_bridge leaf "br$VNI" leafm "$MMAC" "$MIP4/24" "fd00:100::13/64"
  host_ping leafm "$SVI4" >/dev/null
  if wait_until 20 evpnd_has ev "[.routes[] | select(.peer==\"$LEAF_ADDR\" and .rd==\"$FRD\" and .mac==\"$MMAC\" and (has(\"ip\")|not))] | length == 1"; then
    pass "MAC move: evpnd receives FRR's Type-2 for $MMAC"
  else
    fail "MAC move: evpnd receives FRR's Type-2 for $MMAC" "$(frr_vtysh leaf "show evpn mac vni $VNI mac $MMAC" 2>&1)"
    return
  fi
  R=$(evpnd_routes ev)
  find_one "MAC move: FRR's MAC-only route for $MMAC" "$R" \
    '.routes[] | select(.peer==$p and .rd==$rd and .mac==$m and (has("ip")|not))' \
    --arg p "$LEAF_ADDR" --arg rd "$FRD" --arg m "$MMAC" || return
  jq_fields "MAC move: FRR's route for $MMAC" "$FOUND" \
    "macMobility.seq" .macMobility.seq 1 \
    "macMobility.sticky" .macMobility.sticky false \
    "next hop" .nexthop "$LEAF_VTEP"
}

# ------------------------------------------------------------------ withdrawals
check "evpnd withdraw macip $EMAC $EIP4" evt withdraw macip rd "$ERD" mac "$EMAC" ip "$EIP4"
check "evpnd withdraw multicast" evt withdraw multicast rd "$ERD" orig "$EV_VTEP"
check "evpnd's MAC+IPv4 withdrawn at FRR" wait_until 15 frr_has leaf \
  "[.[] | select(.rd==\"$ERD\" and .ip==\"$EIP4\")] | length == 0"
check "evpnd's IMET withdrawn at FRR" wait_until 15 frr_has leaf \
  "[.[] | select(.rd==\"$ERD\" and .routeType==3)] | length == 0"
check "evpnd's other 3 routes still at FRR" frr_has leaf "$(from_ev 3)"
check "kernel flood entry to $EV_VTEP removed" wait_until 10 eval "! fdb_has '00:00:00:00:00:00 dst $EV_VTEP'"
check "kernel neighbor $EIP4 removed" wait_until 10 eval "! neigh_has '$EIP4' '$EMAC'"

nsx leaf ip neigh del "$HOST_IP4" dev "br$VNI"
check "FRR's MAC+IPv4 withdrawn at evpnd (neighbor deleted on the leaf)" wait_until 15 evpnd_has ev \
  "[.routes[] | select(.peer==\"$LEAF_ADDR\" and .ip==\"$HOST_IP4\")] | length == 0"
check "FRR's other 3 routes still at evpnd" evpnd_has ev "$(from_frr 3)"

if [ "$MODE" != ebgp ]; then mobility_check; ev_finish; fi

# ------------------------------------------------------------------ eBGP: 60 s hold, restart
# Restore both full sets: the host pings again (FRR re-learns its IPv4 neighbor) and evpnd
# re-originates what it withdrew.
host_ping leafh "$SVI4" >/dev/null
evt originate macip rd "$ERD" mac "$EMAC" ip "$EIP4" label "$VNI" nexthop "$EV_VTEP" rt "$ERT" >/dev/null
evt originate multicast rd "$ERD" orig "$EV_VTEP" label "$VNI" nexthop "$EV_VTEP" rt "$ERT" >/dev/null
check "full route sets back before the hold test" wait_until 15 eval \
  'evpnd_has ev "$(from_frr 4)" && frr_has leaf "$(from_ev 5)"'

evpnd_session_stable ev "$LEAF_ADDR" 60
S=$(frr_vtysh leaf "show bgp l2vpn evpn summary json")
jq_field "FRR: connectionsEstablished still 1 after 60 s" "$S" ".peers[\"$EV_ADDR\"].connectionsEstablished" 1
jq_field "FRR: connectionsDropped still 0 after 60 s" "$S" ".peers[\"$EV_ADDR\"].connectionsDropped" 0
N=$(frr_vtysh leaf "show bgp neighbors $EV_ADDR json")
check "FRR received >= 15 keepalives from evpnd ($(jq ".[\"$EV_ADDR\"].messageStats.keepalivesRecv" <<<"$N"))" \
  test "$(jq ".[\"$EV_ADDR\"].messageStats.keepalivesRecv" <<<"$N")" -ge 15

bgpd_pid=${EV_PID[leaf-bgpd]}
ev_stop leaf-bgpd KILL
check "FRR bgpd killed (SIGKILL, pid $bgpd_pid gone)" eval '! kill -0 "$bgpd_pid" 2>/dev/null'
check "evpnd sees the session go down" wait_until 15 eval '! evpnd_established ev "$LEAF_ADDR"'
check "evpnd drops FRR's routes after the session went down" wait_until 15 evpnd_has ev "$(from_frr 0)"
check "evpnd keeps its own 5 routes" evpnd_has ev '[.routes[] | select(.peer=="local")] | length == 5'
t0=$(date +%s)
start_bgpd leaf
if wait_until 30 session_up; then pass "session back within 30 s of bgpd restart ($(( $(date +%s) - t0 )) s)"
else fail "session back within 30 s of bgpd restart" "evpnd: $(evpnd_peer_state ev "$LEAF_ADDR"), FRR: $(frr_peer_state leaf "$EV_ADDR")"; fi
FRD=$(frr_vni_rd leaf "$VNI")
expect_frr_set_at_evpnd "after restart, FRR->evpnd"
expect_evpnd_set_at_frr "after restart, evpnd->FRR"
mobility_check
ev_finish
