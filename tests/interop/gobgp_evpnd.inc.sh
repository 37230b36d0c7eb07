# Body of interop_gobgp_ibgp.sh / interop_gobgp_ebgp.sh (sourced; MODE=ibgp|ebgp).
#
#   ns "ev": evpnd  AS 65001, 10.10.0.1, VTEP 10.0.0.1
#   ns "gb": gobgpd AS 65002 (eBGP) or 65001 (iBGP), 10.10.0.2, VTEP 10.0.0.2
#
# GoBGP injects Type-2 MAC, MAC+IPv4, MAC+IPv6 and a Type-3 with PMSI IR; evpnd must show
# every field. evpnd originates the same set (plus a sticky MAC with a mobility sequence)
# through its test hooks; GoBGP must show them. Withdrawals both ways. With MODE=ebgp
# also: 60 s with hold time 9 and no flap, then gobgpd is killed and restarted and the
# session and routes come back.
. "$(dirname "$0")/lib.sh"
ev_require jq gobgpd gobgp
ev_require_evpnd "${1:-}" "${2:-}"
ev_init

EV_AS=65001
if [ "$MODE" == ebgp ]; then GB_AS=65002; GB_ASPATH=65002; EV_ASPATH_AT_GB=65001
else GB_AS=65001; GB_ASPATH=""; EV_ASPATH_AT_GB=""; fi
EV_ADDR=$LEAF_ADDR; EV_VTEP=$LEAF_VTEP      # evpnd takes the 10.10.0.1 / 10.0.0.1 side
GB_ADDR=$PEER_ADDR; GB_VTEP=$PEER_VTEP
GRD=$GB_VTEP:100;  GRT=$GB_AS:$VNI          # GoBGP's routes
ERD=$EV_VTEP:100;  ERT=$EV_AS:$VNI          # evpnd's routes
GMAC=02:00:00:00:02:0b; GIP4=192.168.100.11; GIP6=fd00:100::11
EMAC=$HOST_MAC;         EIP4=$HOST_IP4;      EIP6=$HOST_IP6
SMAC=02:00:00:00:01:0c                      # evpnd's sticky MAC with MM seq 3

netns_create ev
netns_create gb
underlay ev "$EV_ADDR" "$EV_VTEP" gb "$GB_ADDR" "$GB_VTEP"
evpnd_conf ev ev1 "$EV_AS" "$EV_VTEP" "$GB_ADDR" "$GB_AS"
gobgp_conf gb "$GB_AS" "$GB_VTEP" "$GB_ADDR" "$EV_ADDR" "$EV_AS"
start_evpnd ev
start_gobgp gb

session_up() { evpnd_established ev "$GB_ADDR" && gobgp_established gb "$EV_ADDR"; }
if wait_until 30 session_up; then pass "$MODE session Established on both sides"
else
  fail "$MODE session Established on both sides" \
    "evpnd: $(evpnd_peer_state ev "$GB_ADDR"), gobgp: $(gobgp_peer_state gb "$EV_ADDR")"
  ev_finish
fi
S=$(evpnsh_c ev "show bgp l2vpn evpn summary json")
jq_fields "summary" "$S" \
  routerId .routerId "$EV_VTEP" \
  as .as "$EV_AS" \
  "peer remoteAs" ".peers[\"$GB_ADDR\"].remoteAs" "$GB_AS" \
  "peer holdTime" ".peers[\"$GB_ADDR\"].holdTime" 9 \
  "peer keepalive" ".peers[\"$GB_ADDR\"].keepalive" 3
jq_field "GoBGP negotiated hold time" "$(gobgp_cli gb neighbor "$EV_ADDR" -j)" \
  .timers.state.negotiated_hold_time 9

# ------------------------------------------------------------------ GoBGP -> evpnd
gobgp_macadv() {  # gobgp_macadv add|del MAC IP
  gobgp_cli gb global rib -a evpn "$1" macadv "$2" "$3" etag 0 label "$VNI" rd "$GRD" \
    rt "$GRT" encap vxlan nexthop "$GB_VTEP" origin igp
}
gobgp_imet() {  # gobgp_imet add|del
  gobgp_cli gb global rib -a evpn "$1" multicast "$GB_VTEP" etag 0 rd "$GRD" rt "$GRT" \
    encap vxlan pmsi ingress-repl "$VNI" "$GB_VTEP" nexthop "$GB_VTEP" origin igp
}
gobgp_inject_all() {
  check "gobgp add macadv $GMAC (MAC only)" gobgp_macadv add "$GMAC" 0.0.0.0
  check "gobgp add macadv $GMAC $GIP4" gobgp_macadv add "$GMAC" "$GIP4"
  check "gobgp add macadv $GMAC $GIP6" gobgp_macadv add "$GMAC" "$GIP6"
  check "gobgp add multicast $GB_VTEP pmsi ingress-repl" gobgp_imet add
}
from_gb() { echo "[.routes[] | select(.peer==\"$GB_ADDR\")] | length == $1"; }

expect_gobgp_set_at_evpnd() {  # expect_gobgp_set_at_evpnd WHAT
  local what=$1 R
  if wait_until 20 evpnd_has ev "$(from_gb 4)"; then pass "$what: evpnd holds GoBGP's 4 routes"
  else fail "$what: evpnd holds GoBGP's 4 routes" "$(evpnd_routes ev 2>&1 | head -c 3000)"; fi
  R=$(evpnd_routes ev)
  expect_evpnd_macip "$what MAC" "$R" "$GRD" "$GMAC" "" "$VNI" "$GB_VTEP" "$GB_ADDR" "$GB_ASPATH" "$GRT" IGP
  expect_evpnd_macip "$what MAC+IPv4" "$R" "$GRD" "$GMAC" "$GIP4" "$VNI" "$GB_VTEP" "$GB_ADDR" "$GB_ASPATH" "$GRT" IGP
  expect_evpnd_macip "$what MAC+IPv6" "$R" "$GRD" "$GMAC" "$GIP6" "$VNI" "$GB_VTEP" "$GB_ADDR" "$GB_ASPATH" "$GRT" IGP
  expect_evpnd_imet "$what IMET" "$R" "$GRD" "$GB_VTEP" "$GB_VTEP" "$GB_ADDR" "$GB_ASPATH" "$GRT" "$VNI" IGP
  jq_field "$what: summary pfxRcd" "$(evpnsh_c ev "show bgp l2vpn evpn summary json")" \
    ".peers[\"$GB_ADDR\"].pfxRcd" 4
}

gobgp_inject_all
expect_gobgp_set_at_evpnd "GoBGP->evpnd"

# ------------------------------------------------------------------ evpnd -> GoBGP
evt() { evpnsh_c ev "test evpn $*"; }
evpnd_originate_all() {
  check "evpnd originate MAC $EMAC" evt originate macip rd "$ERD" mac "$EMAC" label "$VNI" nexthop "$EV_VTEP" rt "$ERT"
  check "evpnd originate MAC+IPv4" evt originate macip rd "$ERD" mac "$EMAC" ip "$EIP4" label "$VNI" nexthop "$EV_VTEP" rt "$ERT"
  check "evpnd originate MAC+IPv6" evt originate macip rd "$ERD" mac "$EMAC" ip "$EIP6" label "$VNI" nexthop "$EV_VTEP" rt "$ERT"
  check "evpnd originate multicast" evt originate multicast rd "$ERD" orig "$EV_VTEP" label "$VNI" nexthop "$EV_VTEP" rt "$ERT"
  check "evpnd originate sticky MAC $SMAC seq 3" evt originate macip rd "$ERD" mac "$SMAC" label "$VNI" nexthop "$EV_VTEP" rt "$ERT" seq 3 sticky
}
from_ev() { echo "[.[] | select(.nlri.value.rd.admin==\"$EV_VTEP\")] | length == $1"; }

expect_evpnd_set_at_gobgp() {  # expect_evpnd_set_at_gobgp WHAT
  local what=$1 P p
  if wait_until 20 gobgp_has gb "$(from_ev 5)"; then pass "$what: GoBGP holds evpnd's 5 routes"
  else fail "$what: GoBGP holds evpnd's 5 routes" "$(gobgp_cli gb global rib -a evpn 2>&1)"; fi
  P=$(gobgp_paths gb)
  expect_gobgp_macip "$what MAC" "$P" "$ERD" "$EMAC" "" "$VNI" "$EV_VTEP" "$ERT"
  expect_gobgp_macip "$what MAC+IPv4" "$P" "$ERD" "$EMAC" "$EIP4" "$VNI" "$EV_VTEP" "$ERT"
  expect_gobgp_macip "$what MAC+IPv6" "$P" "$ERD" "$EMAC" "$EIP6" "$VNI" "$EV_VTEP" "$ERT"
  expect_gobgp_imet "$what IMET" "$P" "$ERD" "$EV_VTEP" "$EV_VTEP" "$ERT" "$VNI"
  p=$(jq -c --arg mac "$SMAC" '[.[] | select(.nlri.type==2 and .nlri.value.mac==$mac)] | first' <<<"$P")
  jq_field "$what sticky MAC: mobility seq 3, sticky" "$p" \
    "$GOBGP_JQ_DEFS [ecs[] | select(.type==6 and .subtype==0) | \"\\(.sequence) \\(.is_sticky)\"] | join(\",\")" "3 true"
  jq_field "$what MAC: AS path at GoBGP" "$(jq -c --arg mac "$EMAC" \
      '[.[] | select(.nlri.type==2 and .nlri.value.mac==$mac)] | first' <<<"$P")" \
    '[.attrs[] | select(.type==2) | .as_paths[]?.asns[]] | map(tostring) | join(" ")' "$EV_ASPATH_AT_GB"
}

evpnd_originate_all
expect_evpnd_set_at_gobgp "evpnd->GoBGP"
R=$(evpnd_routes ev)
jq_check "evpnd lists its own 5 routes with peer \"local\"" "$R" \
  '[.routes[] | select(.peer=="local")] | length == 5'
jq_check "evpnd route json numPaths counts every path (4 received + 5 local)" "$R" '.numPaths == 9'

# ------------------------------------------------------------------ MAC mobility (run last)
# evpnd advertises MAC M; then GoBGP originates M itself. GoBGP attaches a MAC mobility
# community when the MAC is already in its table (RFC 7432 §15); it counts a path
# without one as seq -1, so its route carries seq 0 -- present, and evpnd must show it
# in macMobility (an absent community would be no macMobility at all).
MMAC=02:00:00:00:02:0d
mobility_check() {
  local R
  check "evpnd originate MAC $MMAC (seq 0)" evt originate macip rd "$ERD" mac "$MMAC" label "$VNI" nexthop "$EV_VTEP" rt "$ERT"
  check "GoBGP has evpnd's $MMAC" wait_until 15 gobgp_has gb "[.[] | select(.nlri.value.mac==\"$MMAC\")] | length == 1"
  check "gobgp add macadv $MMAC (MAC move to GoBGP)" gobgp_macadv add "$MMAC" 0.0.0.0
  if wait_until 20 evpnd_has ev "[.routes[] | select(.peer==\"$GB_ADDR\" and .mac==\"$MMAC\")] | length == 1"; then
    pass "MAC move: evpnd receives GoBGP's Type-2 for $MMAC"
  else
    fail "MAC move: evpnd receives GoBGP's Type-2 for $MMAC" "$(gobgp_cli gb global rib -a evpn 2>&1)"; return
  fi
  R=$(evpnd_routes ev)
  find_one "MAC move: GoBGP's route for $MMAC" "$R" \
    '.routes[] | select(.peer==$p and .mac==$m)' --arg p "$GB_ADDR" --arg m "$MMAC" || return
  jq_fields "MAC move: GoBGP's route for $MMAC" "$FOUND" \
    "macMobility.seq" .macMobility.seq 0 \
    "macMobility.sticky" .macMobility.sticky false \
    "next hop" .nexthop "$GB_VTEP"
}

# ------------------------------------------------------------------ withdrawals
check "gobgp del macadv $GMAC $GIP4" gobgp_macadv del "$GMAC" "$GIP4"
check "gobgp del multicast" gobgp_imet del
check "GoBGP's MAC+IPv4 withdrawn at evpnd" wait_until 15 evpnd_has ev \
  "[.routes[] | select(.peer==\"$GB_ADDR\" and .ip==\"$GIP4\")] | length == 0"
check "GoBGP's IMET withdrawn at evpnd" wait_until 15 evpnd_has ev \
  "[.routes[] | select(.peer==\"$GB_ADDR\" and .routeType==3)] | length == 0"
check "GoBGP's MAC and MAC+IPv6 still at evpnd" evpnd_has ev "$(from_gb 2)"

check "evpnd withdraw macip $EMAC $EIP4" evt withdraw macip rd "$ERD" mac "$EMAC" ip "$EIP4"
check "evpnd withdraw multicast" evt withdraw multicast rd "$ERD" orig "$EV_VTEP"
check "evpnd's MAC+IPv4 withdrawn at GoBGP" wait_until 15 gobgp_has gb \
  "[.[] | select(.nlri.type==2 and .nlri.value.ip==\"$EIP4\")] | length == 0"
check "evpnd's IMET withdrawn at GoBGP" wait_until 15 gobgp_has gb \
  "[.[] | select(.nlri.type==3 and .nlri.value.rd.admin==\"$EV_VTEP\")] | length == 0"
check "evpnd's other 3 routes still at GoBGP" gobgp_has gb "$(from_ev 3)"
# A withdrawal of a route evpnd never originated is refused (non-zero exit, says which
# route), and the session is not touched by it.
refused=$(evt withdraw macip rd "$ERD" mac 02:00:00:00:09:09 2>&1); refused_rc=$?
check "evpnd refuses to withdraw a route it does not hold (exit $refused_rc: $refused)" \
  eval '[ "$refused_rc" -ne 0 ] && grep -q "no such originated route" <<<"$refused"'
check "GoBGP session still Established after the refused withdrawal" evpnd_established ev "$GB_ADDR"

if [ "$MODE" != ebgp ]; then mobility_check; ev_finish; fi

# ------------------------------------------------------------------ eBGP: 60 s hold, restart
# Put the withdrawn routes back so the restart has the full set to re-learn.
gobgp_macadv add "$GMAC" "$GIP4" >/dev/null; gobgp_imet add >/dev/null
evt originate macip rd "$ERD" mac "$EMAC" ip "$EIP4" label "$VNI" nexthop "$EV_VTEP" rt "$ERT" >/dev/null
evt originate multicast rd "$ERD" orig "$EV_VTEP" label "$VNI" nexthop "$EV_VTEP" rt "$ERT" >/dev/null
check "full route sets back before the hold test" wait_until 15 eval \
  'evpnd_has ev "$(from_gb 4)" && gobgp_has gb "$(from_ev 5)"'

ka_before=$(gobgp_cli gb neighbor "$EV_ADDR" -j | jq '.state.messages.received.keepalive // 0')
# GoBGP's JSON gives the session's start time as .timers.state.uptime.seconds (epoch);
# both samples must be numbers, or the comparison would pass on two nulls.
est_before=$(gobgp_cli gb neighbor "$EV_ADDR" -j | jq '.timers.state.uptime.seconds')
evpnd_session_stable ev "$GB_ADDR" 60
ka_after=$(gobgp_cli gb neighbor "$EV_ADDR" -j | jq '.state.messages.received.keepalive // 0')
est_after=$(gobgp_cli gb neighbor "$EV_ADDR" -j | jq '.timers.state.uptime.seconds')
check "GoBGP reports the session start time as a number ('$est_before', '$est_after')" \
  eval '[[ "$est_before" =~ ^[0-9]+$ && "$est_after" =~ ^[0-9]+$ ]]'
check_eq "GoBGP: session start time unchanged over 60 s (no flap)" "$est_before" "$est_after"
check "GoBGP received >= 15 keepalives from evpnd in 60 s (got $((ka_after - ka_before)))" \
  test $((ka_after - ka_before)) -ge 15
check "GoBGP still Established after 60 s" gobgp_established gb "$EV_ADDR"

gb_pid=${EV_PID[gb-gobgpd]}
ev_stop gb-gobgpd KILL
check "gobgpd killed (SIGKILL, pid $gb_pid gone)" eval '! kill -0 "$gb_pid" 2>/dev/null'
check "evpnd sees the session go down" wait_until 15 eval '! evpnd_established ev "$GB_ADDR"'
check "evpnd drops GoBGP's routes after the session went down" wait_until 15 evpnd_has ev "$(from_gb 0)"
check "evpnd keeps its own 5 routes" evpnd_has ev '[.routes[] | select(.peer=="local")] | length == 5'
t0=$(date +%s)
start_gobgp gb
if wait_until 30 session_up; then pass "session back within 30 s of gobgpd restart ($(( $(date +%s) - t0 )) s)"
else fail "session back within 30 s of gobgpd restart" "evpnd: $(evpnd_peer_state ev "$GB_ADDR")"; fi
expect_evpnd_set_at_gobgp "after restart, evpnd->GoBGP"
gobgp_inject_all
expect_gobgp_set_at_evpnd "after restart, GoBGP->evpnd"
mobility_check
ev_finish
