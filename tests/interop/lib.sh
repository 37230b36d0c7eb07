# Shared helpers for evpnd's interop tests: network namespaces, FRR, GoBGP and evpnd
# instances, bounded waits and PASS/FAIL checks. Source it from a test script:
#
#   . "$(dirname "$0")/lib.sh"
#   ev_init
#
# Rules every test follows (and this file enforces where it can):
#  - all traffic stays inside namespaces this run created; nothing is configured in the
#    root namespace (veth pairs are created directly inside their namespaces);
#  - names carry the run prefix EV_RUN ("ev<pid>"), so parallel or leftover runs never
#    collide;
#  - every wait is bounded; every process, namespace and temp dir is removed by the EXIT
#    trap, also on failure or Ctrl-C; only processes this run started are ever signalled.
#
# Environment: EVPND, EVPNSH (binaries), EV_LOGDIR (if set, logs are copied there before
# the temp dir is removed), EV_VERBOSE=1 (print each command of the checks).

set -u

EV_RUN="ev$$"
EV_TMP=""
EV_PASS=0
EV_FAIL=0
EV_NETNS=()                # full namespace names created by this run
declare -A EV_PID=()       # instance name -> pid
declare -A EV_EXE=()       # instance name -> expected /proc/<pid>/comm (guards pid reuse)
declare -A EV_OUT=()       # instance name -> file with its stdout+stderr
declare -A EV_STATUS=()    # instance name -> exit status seen by ev_stop

FRR_BIN=${FRR_BIN:-/usr/lib/frr}
EV_SKIP=77                 # ctest SKIP_RETURN_CODE, for a developer running one script by hand
# In the suite (scripts/test.sh sets EVPND_NO_SKIP) and in CI a missing peer or privilege
# is a broken set-up, not a reason to skip: the test fails.
if [ -n "${CI:-}" ] || [ -n "${EVPND_NO_SKIP:-}" ]; then EV_SKIP=1; fi
FOUND=""                   # set by find_one
EV_CMD_TIMEOUT=20          # no single CLI call (vtysh, gobgp, evpnsh) may hang a test

ev_log() { printf '%s [%s] %s\n' "$(date +%T)" "$EV_RUN" "$*"; }

# ---------------------------------------------------------------------------- checks

pass() { EV_PASS=$((EV_PASS + 1)); printf 'PASS: %s\n' "$1"; }
fail() {
  EV_FAIL=$((EV_FAIL + 1))
  printf 'FAIL: %s\n' "$1"
  if [ $# -gt 1 ] && [ -n "$2" ]; then printf '      %s\n' "$2" | head -c 4000; echo; fi
}

# check DESC CMD... : passes when CMD exits 0.
check() {
  local desc=$1; shift
  local out
  if out=$("$@" 2>&1); then pass "$desc"; else fail "$desc" "$out"; fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
  if [ "$2" == "$3" ]; then pass "$1"; else fail "$1" "expected '$2', got '$3'"; fi
}

# jq_check DESC JSON FILTER [jq args...]: passes when FILTER yields true for JSON.
# On failure prints the filter and (a bounded part of) the JSON.
jq_check() {
  local desc=$1 json=$2 filter=$3; shift 3
  if jq -e "$@" "$filter" >/dev/null 2>&1 <<<"$json"; then
    pass "$desc"
  else
    fail "$desc" "jq filter: $filter | input: $(jq -c . <<<"$json" 2>/dev/null | head -c 3000)"
  fi
}

# jq_field DESC JSON PATH EXPECTED: compares one value (as jq -r prints it).
jq_field() {
  local desc=$1 json=$2 path=$3 want=$4 got
  got=$(jq -r "$path" <<<"$json" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')
  check_eq "$desc" "$want" "$got"
}

# wait_until TIMEOUT_S CMD...: runs CMD every 0.5 s until it succeeds; 1 on timeout.
wait_until() {
  local timeout=$1; shift
  local deadline=$(( $(date +%s) + timeout ))
  while :; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then return 1; fi
    sleep 0.5
  done
}

# ev_finish: stops every evpnd (SIGTERM) and checks it exited cleanly and its stderr has
# no sanitizer report (the interop tests also run against the ASan/UBSan build), then
# prints the summary and exits with the test's status.
ev_finish() {
  local name
  for name in "${!EV_PID[@]}"; do
    [[ "$name" == *-evpnd ]] || continue
    ev_stop "$name" TERM
    check_eq "$name exits 0 on SIGTERM" 0 "${EV_STATUS[$name]:-?}"
    if grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' "${EV_OUT[$name]}" 2>/dev/null; then
      fail "$name: no sanitizer report" "$(grep -m5 -E 'Sanitizer|runtime error:' "${EV_OUT[$name]}")"
    else
      pass "$name: no sanitizer report"
    fi
  done
  echo "$EV_PASS passed, $EV_FAIL failed"
  [ "$EV_FAIL" -eq 0 ] && exit 0
  exit 1
}

# ---------------------------------------------------------------------------- setup

# ev_require CMD...: skip the test (exit 77) when a tool is missing or we are not root.
ev_require() {
  if [ "$(id -u)" -ne 0 ]; then echo "SKIP: needs root (network namespaces)"; exit $EV_SKIP; fi
  local c
  for c in "$@"; do
    if ! command -v "$c" >/dev/null 2>&1 && [ ! -x "$c" ]; then
      echo "SKIP: $c not installed (scripts/install-deps.sh)"; exit $EV_SKIP
    fi
  done
}

ev_require_evpnd() {
  EVPND=${EVPND:-${1:-}}
  EVPNSH=${EVPNSH:-${2:-}}
  if [ -z "${EVPND}" ] || [ ! -x "$EVPND" ] || [ -z "${EVPNSH}" ] || [ ! -x "$EVPNSH" ]; then
    echo "SKIP: evpnd/evpnsh not built (set EVPND and EVPNSH)"; exit $EV_SKIP
  fi
}

ev_init() {
  bash "$(dirname "${BASH_SOURCE[0]}")/../../scripts/clean-stale-netns.sh"
  EV_TMP=$(mktemp -d "/tmp/${EV_RUN}.XXXXXX")
  # FRR daemons drop to user frr and must read their configs and create sockets here.
  chmod 755 "$EV_TMP"
  trap ev_cleanup EXIT
  trap 'echo "interrupted"; exit 130' INT TERM HUP
  ev_log "run $EV_RUN, temp dir $EV_TMP"
}

# Process still ours? Compares /proc/<pid>/comm with what we started, so a recycled pid
# of somebody else's process is never signalled.
ev_pid_alive() {
  local name=$1 pid=${EV_PID[$1]:-}
  [ -n "$pid" ] || return 1
  [ -r "/proc/$pid/comm" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "${EV_EXE[$name]}" ]
}

# ev_stop NAME [SIGNAL]: stops one instance this run started; waits up to 5 s, then KILL.
ev_stop() {
  local name=$1 sig=${2:-TERM} pid=${EV_PID[$1]:-} i
  [ -n "$pid" ] || return 0
  if ev_pid_alive "$name"; then
    kill "-$sig" "$pid" 2>/dev/null
    for i in $(seq 1 50); do
      ev_pid_alive "$name" || break
      sleep 0.1
    done
    if ev_pid_alive "$name"; then kill -KILL "$pid" 2>/dev/null; sleep 0.2; fi
  fi
  wait "$pid" 2>/dev/null
  EV_STATUS[$name]=$?
  # FRR keeps per-process crash-log buffers under /var/tmp/frr/<daemon>.<pid>.
  rm -rf "/var/tmp/frr/${EV_EXE[$name]}.$pid" 2>/dev/null
  unset "EV_PID[$name]"
}

ev_cleanup() {
  local rc=$? name ns
  trap - EXIT INT TERM HUP
  for name in "${!EV_PID[@]}"; do ev_stop "$name"; done
  for ns in "${EV_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null; done
  if [ -n "$EV_TMP" ] && [ -d "$EV_TMP" ]; then
    if [ -n "${EV_LOGDIR:-}" ]; then
      mkdir -p "$EV_LOGDIR" && cp -r "$EV_TMP/." "$EV_LOGDIR/" 2>/dev/null
      ev_log "logs copied to $EV_LOGDIR"
    fi
    rm -rf "$EV_TMP"
  fi
  exit $rc
}

# ---------------------------------------------------------------------------- namespaces

# ns_name SHORT -> the run-unique namespace name.
ns_name() { echo "${EV_RUN}-$1"; }

netns_create() {
  local ns; ns=$(ns_name "$1")
  ip netns add "$ns" || { fail "create namespace $ns"; exit 1; }
  EV_NETNS+=("$ns")
  ip -n "$ns" link set lo up
}

# nsx SHORT CMD...: runs CMD inside the namespace.
nsx() { local ns; ns=$(ns_name "$1"); shift; ip netns exec "$ns" "$@"; }

# veth_pair SHORT_A IF_A SHORT_B IF_B: a veth pair created directly inside both
# namespaces (never in the root namespace), both ends up.
veth_pair() {
  ip link add "$2" netns "$(ns_name "$1")" type veth peer name "$4" netns "$(ns_name "$3")" \
    || { fail "veth $1/$2 <-> $3/$4"; exit 1; }
  ip -n "$(ns_name "$1")" link set "$2" up
  ip -n "$(ns_name "$3")" link set "$4" up
}

# ev_bg NAME EXE SHORT LOG CMD...: starts CMD in namespace SHORT in the background,
# stdout+stderr to LOG, and records its pid under NAME. `ip netns exec` execs CMD, so
# the pid is the daemon's own. EXE is the process name (/proc/pid/comm) to expect.
ev_bg() {
  local name=$1 exe=$2 short=$3 log=$4; shift 4
  ip netns exec "$(ns_name "$short")" "$@" >>"$log" 2>&1 &
  EV_PID[$name]=$!
  EV_EXE[$name]=$exe
  EV_OUT[$name]=$log
}

# ev_dir SHORT -> per-node directory in the temp dir (created on demand).
ev_dir() { local d="$EV_TMP/$1"; [ -d "$d" ] || { mkdir -p "$d"; chmod 755 "$d"; }; echo "$d"; }

# ---------------------------------------------------------------------------- topology

# underlay SHORT_A ADDR_A VTEP_A SHORT_B ADDR_B VTEP_B: a /24 link eth0<->eth0 between two
# nodes (10.10.0.0/24), a VTEP loopback /32 on each lo and a route to the other's VTEP.
underlay() {
  local a=$1 aaddr=$2 avtep=$3 b=$4 baddr=$5 bvtep=$6
  veth_pair "$a" eth0 "$b" eth0
  ip -n "$(ns_name "$a")" addr add "$aaddr/24" dev eth0
  ip -n "$(ns_name "$b")" addr add "$baddr/24" dev eth0
  ip -n "$(ns_name "$a")" addr add "$avtep/32" dev lo
  ip -n "$(ns_name "$b")" addr add "$bvtep/32" dev lo
  ip -n "$(ns_name "$a")" route add "$bvtep/32" via "$baddr"
  ip -n "$(ns_name "$b")" route add "$avtep/32" via "$aaddr"
}

# l2vni SHORT VTEP VNI SVI4/LEN SVI6/LEN: bridge br<VNI> with vxlan<VNI> (local VTEP,
# dstport 4789, nolearning) and an SVI address on the bridge.
l2vni() {
  local n; n=$(ns_name "$1")
  local vtep=$2 vni=$3 svi4=$4 svi6=$5
  ip -n "$n" link add "br$vni" type bridge
  ip -n "$n" link set "br$vni" addrgenmode eui64 2>/dev/null
  ip -n "$n" link add "vxlan$vni" type vxlan id "$vni" local "$vtep" dstport 4789 nolearning
  ip -n "$n" link set "vxlan$vni" master "br$vni"
  ip -n "$n" link set "vxlan$vni" type bridge_slave neigh_suppress off learning off 2>/dev/null
  ip -n "$n" addr add "$svi4" dev "br$vni"
  ip -n "$n" addr add "$svi6" dev "br$vni" nodad
  ip -n "$n" link set "vxlan$vni" up
  ip -n "$n" link set "br$vni" up
}

# host_on_bridge LEAF BRIDGE HOST MAC IP4/LEN IP6/LEN: a host namespace behind a veth
# on the leaf's bridge, with a fixed MAC so tests know what to expect.
host_on_bridge() {
  local leaf=$1 br=$2 host=$3 mac=$4 ip4=$5 ip6=$6
  netns_create "$host"
  veth_pair "$leaf" "h-$host" "$host" eth0
  ip -n "$(ns_name "$leaf")" link set "h-$host" master "$br"
  ip -n "$(ns_name "$host")" link set eth0 down
  ip -n "$(ns_name "$host")" link set eth0 address "$mac"
  # No IPv6 link-local on the host: FRR advertises every neighbor on the SVI, and a
  # link-local one (from router solicitations or MLD) would be a fifth, timing-dependent
  # Type-2. The host speaks only from its fixed global addresses.
  ip -n "$(ns_name "$host")" link set eth0 addrgenmode none
  ip -n "$(ns_name "$host")" addr add "$ip4" dev eth0
  ip -n "$(ns_name "$host")" addr add "$ip6" dev eth0 nodad
  ip -n "$(ns_name "$host")" link set eth0 up
}

# host_ping HOST ADDR...: a few bounded pings from the host (to the SVI), so the bridge
# learns the host's MAC and the SVI's neighbor table gets its addresses.
host_ping() {
  local host=$1 a ok=0; shift
  for a in "$@"; do
    if nsx "$host" ping -c 2 -i 0.3 -W 1 -q "$a" >/dev/null 2>&1; then
      pass "host $host pings $a"
    else
      fail "host $host pings $a"; ok=1
    fi
  done
  return $ok
}

# ---------------------------------------------------------------------------- FRR

# frr_conf_dir SHORT -> directory with zebra.conf/bgpd.conf/sockets/logs for that node.
frr_dir() { local d; d="$(ev_dir "$1")/frr"; [ -d "$d" ] || { mkdir -p "$d"; chown frr:frr "$d"; }; echo "$d"; }

# frr_vtysh SHORT CMD...: one vtysh -c per argument, against this node's instance.
frr_vtysh() {
  local short=$1 d; shift
  d=$(frr_dir "$short")
  local args=() c
  for c in "$@"; do args+=(-c "$c"); done
  timeout "$EV_CMD_TIMEOUT" vtysh --vty_socket "$d" "${args[@]}"
}

frr_daemon_ready() { timeout "$EV_CMD_TIMEOUT" vtysh --vty_socket "$(frr_dir "$1")" -d "$2" -c "show version" >/dev/null 2>&1; }

# start_zebra SHORT / start_bgpd SHORT: configs must already be in $(frr_dir SHORT).
start_zebra() {
  local short=$1 d; d=$(frr_dir "$short")
  ev_bg "$short-zebra" zebra "$short" "$d/zebra.out" \
    "$FRR_BIN/zebra" -f "$d/zebra.conf" -i "$d/zebra.pid" -z "$d/zserv.api" \
    --vty_socket "$d" -P 0 -s 90000000 --log "file:$d/zebra.log"
  if ! wait_until 20 frr_daemon_ready "$short" zebra; then
    fail "zebra on $short started"; cat "$d/zebra.out" "$d/zebra.log" 2>/dev/null | tail -20; exit 1
  fi
}

start_bgpd() {
  local short=$1 d; d=$(frr_dir "$short")
  ev_bg "$short-bgpd" bgpd "$short" "$d/bgpd.out" \
    "$FRR_BIN/bgpd" -f "$d/bgpd.conf" -i "$d/bgpd.pid" -z "$d/zserv.api" \
    --vty_socket "$d" -P 0 --log "file:$d/bgpd.log"
  if ! wait_until 20 frr_daemon_ready "$short" bgpd; then
    fail "bgpd on $short started"; cat "$d/bgpd.out" "$d/bgpd.log" 2>/dev/null | tail -20; exit 1
  fi
}

# start_frr SHORT: zebra, then bgpd (bgpd needs zebra's socket for EVPN/VNI data).
start_frr() { start_zebra "$1"; start_bgpd "$1"; }

# frr_write_conf SHORT FILE: stdin -> $(frr_dir SHORT)/FILE, readable by user frr.
frr_write_conf() {
  local d; d=$(frr_dir "$1")
  cat >"$d/$2"
  chown frr:frr "$d/$2"
}

# frr_peer_state SHORT PEER -> FRR's bgpState of that neighbor (e.g. Established).
frr_peer_state() {
  frr_vtysh "$1" "show bgp neighbors $2 json" 2>/dev/null | jq -r --arg p "$2" '.[$p].bgpState // "none"'
}
frr_established() { [ "$(frr_peer_state "$1" "$2")" == "Established" ]; }

# ---------------------------------------------------------------------------- GoBGP

# gobgp_write_conf SHORT: stdin -> gobgpd.toml of that node.
gobgp_write_conf() { cat >"$(ev_dir "$1")/gobgpd.toml"; }

start_gobgp() {
  local short=$1 d; d=$(ev_dir "$short")
  ev_bg "$short-gobgpd" gobgpd "$short" "$d/gobgpd.log" \
    gobgpd -f "$d/gobgpd.toml" -t toml --api-hosts 127.0.0.1:50051 --pprof-disable \
    --log-plain --log-level info
  if ! wait_until 20 gobgp_cli "$short" global; then
    fail "gobgpd on $short started"; tail -20 "$d/gobgpd.log"; exit 1
  fi
}

# gobgp_cli SHORT ARGS...: the gobgp CLI inside the node's namespace (its API listens
# on 127.0.0.1 there).
gobgp_cli() { local short=$1; shift; timeout "$EV_CMD_TIMEOUT" ip netns exec "$(ns_name "$short")" gobgp "$@"; }

gobgp_peer_state() {
  gobgp_cli "$1" neighbor "$2" -j 2>/dev/null | jq -r '.state.session_state // "none"'
}
# GoBGP's JSON reports the session state as a number (6 = established) in 3.x.
gobgp_established() {
  local s; s=$(gobgp_peer_state "$1" "$2")
  [ "$s" == "6" ] || [ "$s" == "established" ] || [ "$s" == "ESTABLISHED" ]
}

# ---------------------------------------------------------------------------- evpnd

evpnd_sock() { echo "$(ev_dir "$1")/evpnd.sock"; }

# evpnd_write_conf SHORT: stdin -> evpnd.conf of that node.
evpnd_write_conf() { cat >"$(ev_dir "$1")/evpnd.conf"; }

# evpnd_evpn_conf SHORT HOSTNAME ASN ROUTER_ID PEER...: writes an evpnd config with one
# l2vpn evpn neighbor per PEER, ADDR:AS (we connect: timers 3 9, connect 2) or
# ADDR:AS:passive (it connects to us), and no policy requirement. IPv4 neighbors only
# (the fields are split at colons).
evpnd_evpn_conf() {
  local short=$1 host=$2 asn=$3 rid=$4 p addr as mode; shift 4
  {
    printf 'hostname %s\nrouter bgp %s\n bgp router-id %s\n no bgp default ipv4-unicast\n' "$host" "$asn" "$rid"
    printf ' no bgp ebgp-requires-policy\n'
    for p in "$@"; do
      IFS=: read -r addr as mode <<<"$p"
      printf ' neighbor %s remote-as %s\n' "$addr" "$as"
      if [ "$mode" = passive ]; then printf ' neighbor %s passive\n' "$addr"
      else printf ' neighbor %s timers 3 9\n neighbor %s timers connect 2\n' "$addr" "$addr"; fi
    done
    printf ' address-family l2vpn evpn\n'
    for p in "$@"; do printf '  neighbor %s activate\n' "${p%%:*}"; done
    printf ' exit-address-family\nexit\n'
  } | evpnd_write_conf "$short"
}

# start_evpnd SHORT [EXTRA FLAGS...]: the tests inject routes with `test evpn ...`, so
# evpnd runs with --enable-test-commands unless EVPND_TEST_COMMANDS=0.
start_evpnd() {
  local short=$1 d; shift; d=$(ev_dir "$short")
  local extra=("$@")
  [ "${EVPND_TEST_COMMANDS:-1}" = 1 ] && extra+=(--enable-test-commands)
  ev_bg "$short-evpnd" "${EVPND_COMM:-$(basename "$EVPND" | cut -c1-15)}" "$short" "$d/evpnd.out" \
    "$EVPND" -f "$d/evpnd.conf" --socket "$d/evpnd.sock" --log-level "${EVPND_LOG_LEVEL:-debug}" \
    --log-file "$d/evpnd.log" "${extra[@]}"
  if ! wait_until 20 evpnsh_c "$short" "show bgp l2vpn evpn summary json"; then
    fail "evpnd on $short started" "evpnsh says: $(evpnsh_c "$short" "show bgp l2vpn evpn summary json" 2>&1 | head -5)"
    tail -20 "$d/evpnd.out" "$d/evpnd.log" 2>/dev/null; exit 1
  fi
}

# evpnsh_c SHORT CMD: one evpnsh command against that node's evpnd.
evpnsh_c() { timeout "$EV_CMD_TIMEOUT" "$EVPNSH" --socket "$(evpnd_sock "$1")" -c "$2"; }

evpnd_peer_state() {
  evpnsh_c "$1" "show bgp l2vpn evpn summary json" 2>/dev/null | jq -r --arg p "$2" '.peers[$p].state // "none"'
}
evpnd_established() { [ "$(evpnd_peer_state "$1" "$2")" == "Established" ]; }

# evpnd_routes SHORT -> evpnd's route json as a flat list:
#   {routerId, localAS, numPaths, routes:[{rd, prefix, routeType, ethTag, esi, mac, ip,
#    label, label2, originatingIp, nexthop, peer, asPath, origin, extendedCommunity,
#    macMobility, pmsi}]}
# evpnd prints FRR's shape ({rd: {prefix: {paths:[...]}}}, peerId, path, nexthops[],
# extendedCommunity.string); EVPND_FLATTEN maps that to the flat names above (and
# passes an already flat {"routes":[...]} through), so the checks read one shape.
EVPND_FLATTEN='
  if has("routes") then . else
  { routerId: .bgpLocalRouterId, localAS: .localAS, numPaths: .numPaths,
    routes: [ to_entries[] | select(.value | type == "object") | .key as $rd | .value
      | to_entries[] | select(.value | type == "object" and has("paths")) | .value as $r
      | $r.paths[] | (if type == "array" then .[] else . end)
      | ($r | del(.paths)) + . + {rd: (.rd // $rd)}
      | . + { peer: (.peer // .peerId),
              asPath: (.asPath // .path),
              nexthop: (.nexthop // .nexthops[0].ip),
              extendedCommunity: (if (.extendedCommunity | type) == "object"
                                  then .extendedCommunity.string else .extendedCommunity end) } ] }
  end'
evpnd_routes() { evpnsh_c "$1" "show bgp l2vpn evpn route json" | jq "$EVPND_FLATTEN"; }

# ---------------------------------------------------------------------------- route queries

# FRR's detail route json is {rd: {prefix: {routeType, mac, ..., paths:[[path...]]}}} plus
# scalar keys; this flattens it to one object per path with the route's own fields and
# rd merged in: [{rd, prefix, routeType, mac, ip, VNI, pmsi, extendedCommunity, ...}].
frr_paths() {
  frr_vtysh "$1" "show bgp l2vpn evpn route detail json" | jq '[to_entries[] | select(.value|type=="object")
    | .key as $rd | .value | to_entries[] | select(.value|type=="object" and has("paths"))
    | .value as $r | $r.paths[] | (if type=="array" then .[] else . end)
    | ($r | del(.paths)) + . + {rd: $rd}]'
}

# GoBGP's rib json is {prefix: [path...]}; flattened to [path + {prefix}].
gobgp_paths() {
  gobgp_cli "$1" global rib -a evpn -j | jq '[to_entries[] | .key as $p | .value[] | . + {prefix: $p}]'
}

# jq definitions for GoBGP paths: ext-communities, RTs ("AS:N"), encap tunnel types,
# MP_REACH next hop, PMSI attribute.
GOBGP_JQ_DEFS='
def ecs: [.attrs[] | select(.type==16) | .value[]];
def rts: [ecs[] | select(.type<=2 and .subtype==2) | .value];
def encaps: [ecs[] | select(.type==3 and .subtype==12) | .tunnel_type];
def nh: ([.attrs[] | select(.type==14) | .nexthop] | first);
def pmsi: ([.attrs[] | select(.type==22)] | first);
def rdstr: (.nlri.value.rd | "\(.admin):\(.assigned)");
'

# ---------------------------------------------------------------------------- standard topology

# Addresses every test uses: the two speakers peer on 10.10.0.0/24, their VTEPs are
# 10.0.0.1 (leaf, the FRR side) and 10.0.0.2 (the other side), VNI 100 with host
# subnet 192.168.100.0/24 and fd00:100::/64.
LEAF_ADDR=10.10.0.1;  LEAF_VTEP=10.0.0.1
PEER_ADDR=10.10.0.2;  PEER_VTEP=10.0.0.2
VNI=100
SVI4=192.168.100.1;   SVI6=fd00:100::1
HOST_MAC=02:00:00:00:01:0a; HOST_IP4=192.168.100.10; HOST_IP6=fd00:100::10

# frr_leaf_topology LEAF PEER: namespaces LEAF and PEER joined by the underlay, an L2VNI
# bridge on LEAF with an SVI, and a host namespace "<LEAF>h" behind it.
frr_leaf_topology() {
  local leaf=$1 peer=$2
  netns_create "$leaf"
  netns_create "$peer"
  underlay "$leaf" "$LEAF_ADDR" "$LEAF_VTEP" "$peer" "$PEER_ADDR" "$PEER_VTEP"
  l2vni "$leaf" "$LEAF_VTEP" "$VNI" "$SVI4/24" "$SVI6/64"
  host_on_bridge "$leaf" "br$VNI" "${leaf}h" "$HOST_MAC" "$HOST_IP4/24" "$HOST_IP6/64"
}

# gobgp_leaf_beside MID GB: namespace GB (GoBGP at $GB_ADDR, VTEP $GB_VTEP on lo) linked to
# MID (eth1, $EV_GB) next to the frr_leaf_topology pair; MID forwards, and every VTEP
# reaches the others through it (FRR resolves a next hop before it installs a route).
gobgp_leaf_beside() {
  local mid=$1 gb=$2
  netns_create "$gb"
  link "$mid" eth1 "$EV_GB/24" "$gb" eth0 "$GB_ADDR/24"
  nsx "$mid" sysctl -qw net.ipv4.ip_forward=1
  ip -n "$(ns_name "$gb")" addr add "$GB_VTEP/32" dev lo
  ip -n "$(ns_name "$mid")" route add "$GB_VTEP/32" via "$GB_ADDR"
  ip -n "$(ns_name "$gb")" route add "$LEAF_VTEP/32" via "$EV_GB"
  ip -n "$(ns_name leaf)" route add "$GB_VTEP/32" via "$PEER_ADDR"
}

# frr_leaf_conf SHORT HOSTNAME ASN ROUTER_ID PEER PEER_AS: zebra + bgpd configs of an
# EVPN leaf (advertise-all-vni) with one neighbor, timers 3 9 and connect 2.
frr_leaf_conf() {
  local short=$1 host=$2 asn=$3 rid=$4 peer=$5 peeras=$6
  frr_write_conf "$short" zebra.conf <<C
hostname $host
C
  frr_write_conf "$short" bgpd.conf <<C
hostname $host
router bgp $asn
 bgp router-id $rid
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 neighbor $peer remote-as $peeras
 neighbor $peer timers 3 9
 neighbor $peer timers connect 2
 address-family l2vpn evpn
  neighbor $peer activate
  advertise-all-vni
 exit-address-family
exit
C
}

# gobgp_conf SHORT ASN ROUTER_ID LOCAL_ADDR PEER PEER_AS [AFI_SAFI]: gobgpd.toml with one
# neighbor of that family (default l2vpn-evpn), hold 9 / keepalive 3, connect-retry 2.
gobgp_conf() {
  local short=$1 asn=$2 rid=$3 local=$4 peer=$5 peeras=$6 afisafi=${7:-l2vpn-evpn}
  gobgp_write_conf "$short" <<C
[global.config]
  as = $asn
  router-id = "$rid"
  local-address-list = ["$local"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$peer"
    peer-as = $peeras
  [neighbors.timers.config]
    connect-retry = 2
    hold-time = 9
    keepalive-interval = 3
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "$afisafi"
C
}

# evpnd_conf SHORT HOSTNAME ASN ROUTER_ID PEER PEER_AS: evpnd's FRR-style config.
evpnd_conf() {
  local short=$1 host=$2 asn=$3 rid=$4 peer=$5 peeras=$6
  evpnd_write_conf "$short" <<C
hostname $host
router bgp $asn
 bgp router-id $rid
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 neighbor $peer remote-as $peeras
 neighbor $peer timers 3 9
 neighbor $peer timers connect 2
 address-family l2vpn evpn
  neighbor $peer activate
 exit-address-family
exit
C
}

# evpnd_leaf_conf SHORT HOSTNAME ASN ROUTER_ID PEER PEER_AS: evpnd_conf's config with
# advertise-all-vni (evpnd as a VTEP leaf).
evpnd_leaf_conf() {
  evpnd_conf "$@"
  sed -i '/^ exit-address-family$/i\  advertise-all-vni' "$(ev_dir "$1")/evpnd.conf"
}

# vtep_leaf_pair FRR_SHORT EV_SHORT EV_SVI4/LEN EV_SVI6/LEN: frr_leaf_topology (an FRR
# leaf with its host) plus VNI $VNI's bridge and vxlan device on the evpnd leaf, and both
# leaves' configs (eBGP, advertise-all-vni on each); the caller adds hosts and starts them.
vtep_leaf_pair() {
  local frr=$1 ev=$2 svi4=$3 svi6=$4
  frr_leaf_topology "$frr" "$ev"
  l2vni "$ev" "$PEER_VTEP" "$VNI" "$svi4" "$svi6"
  frr_leaf_conf "$frr" "$frr" 65001 "$LEAF_VTEP" "$PEER_ADDR" 65002
  evpnd_leaf_conf "$ev" "$ev" 65002 "$PEER_VTEP" "$LEAF_ADDR" 65001
}

# ---------------------------------------------------------------------------- route expectations
# Each expect_* finds one route in a flattened path list (by type, RD, MAC/IP or originating
# IP) and checks it field by field, printing one PASS/FAIL line per field. IP "" means a
# MAC-only route.

# jq_fields WHAT JSON LABEL FILTER EXPECTED [LABEL FILTER EXPECTED]...: evaluates all
# filters in one jq run (GOBGP_JQ_DEFS available) and prints one PASS/FAIL per field.
# A filter's outputs are joined by spaces; non-strings are printed as JSON.
jq_fields() {
  local what=$1 json=$2 prog="" i; shift 2
  local labels=() wants=() got=()
  while [ $# -ge 3 ]; do
    labels+=("$1"); wants+=("$3")
    prog+="${prog:+, }([$2] | map(if type==\"string\" then . else tojson end) | join(\" \"))"
    shift 3
  done
  mapfile -t got < <(jq -r "$GOBGP_JQ_DEFS [$prog] | .[]" <<<"$json" 2>&1)
  for i in "${!labels[@]}"; do check_eq "$what: ${labels[$i]}" "${wants[$i]}" "${got[$i]:-}"; done
}

# find_one WHAT JSON SELECT_FILTER [jq args]: sets FOUND to the single element
# SELECT_FILTER yields (compact JSON) and PASSes, or FAILs listing what there was and
# returns 1.
find_one() {
  local what=$1 json=$2 filter=$3 p n; shift 3
  p=$(jq -c "$@" "$GOBGP_JQ_DEFS [$filter]" <<<"$json" 2>&1)
  n=$(jq length <<<"$p" 2>/dev/null)
  if [ "$n" != 1 ]; then
    fail "$what (found ${n:-?})" "$(jq -c '[(.routes? // .)[] | [.rd // (.nlri.value.rd|"\(.admin):\(.assigned)"), .prefix, .peer // .["neighbor-ip"] // ""] | join(" ")]' <<<"$json" 2>/dev/null | head -c 3000)"
    return 1
  fi
  pass "$what"
  FOUND=$(jq -c '.[0]' <<<"$p")
}

# expect_gobgp_macip WHAT PATHS RD MAC IP LABEL NEXTHOP RT [ETAG]   (PATHS from gobgp_paths)
expect_gobgp_macip() {
  local what=$1 paths=$2 rd=$3 mac=$4 ip=${5:-"<nil>"} label=$6 nh=$7 rt=$8 etag=${9:-0}
  [ -n "$ip" ] || ip="<nil>"
  find_one "$what: GoBGP has one Type-2 rd $rd mac $mac ip $ip" "$paths" \
    '.[] | select(.nlri.type==2 and rdstr==$rd and .nlri.value.mac==$mac and .nlri.value.ip==$ip)' \
    --arg rd "$rd" --arg mac "$mac" --arg ip "$ip" || return 0
  jq_fields "$what" "$FOUND" \
    etag .nlri.value.etag "$etag" \
    esi .nlri.value.esi single-homed \
    label '.nlri.value.labels[]' "$label" \
    "next hop" nh "$nh" \
    "route target" 'rts[]' "$rt" \
    "encapsulation VXLAN (8)" 'encaps[]' 8
}
# expect_gobgp_imet WHAT PATHS RD ORIG NEXTHOP RT PMSI_LABEL [ETAG]
expect_gobgp_imet() {
  local what=$1 paths=$2 rd=$3 orig=$4 nh=$5 rt=$6 plabel=$7 etag=${8:-0}
  find_one "$what: GoBGP has one Type-3 rd $rd orig $orig" "$paths" \
    '.[] | select(.nlri.type==3 and rdstr==$rd and .nlri.value.ip==$ip)' \
    --arg rd "$rd" --arg ip "$orig" || return 0
  jq_fields "$what" "$FOUND" \
    etag .nlri.value.etag "$etag" \
    "next hop" nh "$nh" \
    "route target" 'rts[]' "$rt" \
    "encapsulation VXLAN (8)" 'encaps[]' 8 \
    "PMSI type ingress-replication (6)" 'pmsi."tunnel-type"' 6 \
    "PMSI label" 'pmsi.label' "$plabel" \
    "PMSI tunnel id" 'pmsi."tunnel-id"' "$orig"
}

# Both FRR and evpnd print ext-communities as one string; the RT and encapsulation
# tokens, sorted, must be exactly "ET:8 RT:<rt>" (other communities may follow).
EC_RT_ET='[split(" ")[] | select(startswith("RT:") or startswith("ET:"))] | sort | join(" ")'

# expect_frr_macip WHAT PATHS RD MAC IP VNI NEXTHOP RT   (PATHS from frr_paths)
expect_frr_macip() {
  local what=$1 paths=$2 rd=$3 mac=$4 ip=$5 vni=$6 nh=$7 rt=$8
  find_one "$what: FRR has one Type-2 rd $rd mac $mac ip ${ip:-none}" "$paths" \
    '.[] | select(.routeType==2 and .rd==$rd and .mac==$mac and (.ip // "")==$ip)' \
    --arg rd "$rd" --arg mac "$mac" --arg ip "$ip" || return 0
  jq_fields "$what" "$FOUND" \
    valid .valid true \
    etag .ethTag 0 \
    "VNI (label)" .VNI "$vni" \
    "next hop" '.nexthops[0].ip' "$nh" \
    "ext communities RT and ET" ".extendedCommunity.string | $EC_RT_ET" "ET:8 RT:$rt"
}

# expect_frr_imet WHAT PATHS RD ORIG NEXTHOP RT PMSI_LABEL
expect_frr_imet() {
  local what=$1 paths=$2 rd=$3 orig=$4 nh=$5 rt=$6 plabel=$7
  find_one "$what: FRR has one Type-3 rd $rd orig $orig" "$paths" \
    '.[] | select(.routeType==3 and .rd==$rd and .ip==$ip)' --arg rd "$rd" --arg ip "$orig" || return 0
  jq_fields "$what" "$FOUND" \
    valid .valid true \
    etag .ethTag 0 \
    "next hop" '.nexthops[0].ip' "$nh" \
    "ext communities RT and ET" ".extendedCommunity.string | $EC_RT_ET" "ET:8 RT:$rt" \
    "PMSI type" .pmsi.tunnelType "Ingress Replication" \
    "PMSI label" .pmsi.label "$plabel"
}

# evpnd's route json: {"routes":[{rd, prefix, routeType, ethTag, esi, mac, ip, label,
# nexthop, peer, asPath, origin, extendedCommunity, pmsi{type,label,tunnelId}, ...}]}.

# expect_evpnd_macip WHAT ROUTES RD MAC IP LABEL NEXTHOP PEER ASPATH RT [ORIGIN] [ETAG]
expect_evpnd_macip() {
  local what=$1 routes=$2 rd=$3 mac=$4 ip=$5 label=$6 nh=$7 peer=$8 aspath=$9 rt=${10}
  local origin=${11:-IGP} etag=${12:-0} ipbits pfx
  find_one "$what: evpnd has one Type-2 rd $rd mac $mac ip ${ip:-none} from $peer" "$routes" \
    '.routes[] | select(.routeType==2 and .rd==$rd and .mac==$mac and (.ip // "")==$ip and .peer==$peer)' \
    --arg rd "$rd" --arg mac "$mac" --arg ip "$ip" --arg peer "$peer" || return 0
  case "$ip" in "") ipbits=0;; *:*) ipbits=128;; *) ipbits=32;; esac
  pfx="[2]:[$etag]:[48]:[$mac]"
  [ -n "$ip" ] && pfx="$pfx:[$ipbits]:[$ip]"
  jq_fields "$what" "$FOUND" \
    prefix .prefix "$pfx" \
    ethTag .ethTag "$etag" \
    esi .esi "00:00:00:00:00:00:00:00:00:00" \
    label .label "$label" \
    "no second label" 'has("label2")' false \
    "next hop" .nexthop "$nh" \
    "AS path" .asPath "$aspath" \
    origin .origin "$origin" \
    "ext communities RT and ET" ".extendedCommunity | $EC_RT_ET" "ET:8 RT:$rt"
}

# expect_evpnd_imet WHAT ROUTES RD ORIG NEXTHOP PEER ASPATH RT PMSI_LABEL [ORIGIN] [ETAG]
expect_evpnd_imet() {
  local what=$1 routes=$2 rd=$3 orig=$4 nh=$5 peer=$6 aspath=$7 rt=$8 plabel=$9
  local origin=${10:-IGP} etag=${11:-0}
  find_one "$what: evpnd has one Type-3 rd $rd orig $orig from $peer" "$routes" \
    '.routes[] | select(.routeType==3 and .rd==$rd and .originatingIp==$ip and .peer==$peer)' \
    --arg rd "$rd" --arg ip "$orig" --arg peer "$peer" || return 0
  jq_fields "$what" "$FOUND" \
    prefix .prefix "[3]:[$etag]:[32]:[$orig]" \
    ethTag .ethTag "$etag" \
    "next hop" .nexthop "$nh" \
    "AS path" .asPath "$aspath" \
    origin .origin "$origin" \
    "ext communities RT and ET" ".extendedCommunity | $EC_RT_ET" "ET:8 RT:$rt" \
    "PMSI type" .pmsi.type ingress-replication \
    "PMSI label" .pmsi.label "$plabel" \
    "PMSI tunnel id" .pmsi.tunnelId "$orig"
}

# Route counts used by wait_until (exit 0 when the condition holds).
gobgp_has() {  # gobgp_has SHORT JQ_BOOL_FILTER
  gobgp_paths "$1" 2>/dev/null | jq -e "$GOBGP_JQ_DEFS $2" >/dev/null
}
frr_has() {  # frr_has SHORT JQ_BOOL_FILTER (over frr_paths)
  frr_paths "$1" 2>/dev/null | jq -e "$2" >/dev/null
}
evpnd_has() {  # evpnd_has SHORT JQ_BOOL_FILTER (over .routes)
  evpnd_routes "$1" 2>/dev/null | jq -e "$2" >/dev/null
}

# frr_vni_rd SHORT VNI -> the RD FRR auto-derived for that VNI (router-id:index).
frr_vni_rd() { frr_vtysh "$1" "show bgp l2vpn evpn vni $2 json" | jq -r '.rd'; }

# evpnd_session_stable SHORT PEER SECONDS: samples evpnd's summary every 5 s for SECONDS.
# PASS when the session was Established at every sample and uptimeSec never went back
# (a flap resets it) and grew by about SECONDS overall.
evpnd_session_stable() {
  local short=$1 peer=$2 secs=$3 first=-1 prev=-1 s state up end n=0
  end=$(( $(date +%s) + secs ))
  while :; do
    s=$(evpnsh_c "$short" "show bgp l2vpn evpn summary json" 2>&1)
    state=$(jq -r --arg p "$peer" '.peers[$p].state' <<<"$s" 2>/dev/null)
    up=$(jq -r --arg p "$peer" '.peers[$p].uptimeSec' <<<"$s" 2>/dev/null)
    if [ "$state" != Established ] || ! [[ "$up" =~ ^[0-9]+$ ]] || [ "$up" -lt "$prev" ]; then
      fail "evpnd session to $peer stable for $secs s" \
        "sample $n at $(date +%T): state '$state' uptimeSec '$up' (previous $prev)"
      return 1
    fi
    [ "$first" -lt 0 ] && first=$up
    prev=$up; n=$((n + 1))
    [ "$(date +%s)" -ge "$end" ] && break
    sleep 5
  done
  if [ $((prev - first)) -ge $((secs - 5)) ]; then
    pass "evpnd session to $peer stable for $secs s ($n samples, uptimeSec $first -> $prev)"
  else
    fail "evpnd session to $peer stable for $secs s" "uptimeSec only grew $first -> $prev"
  fi
}

# ---------------------------------------------------------------------------- faults and processes

# link SHORT_A IF_A ADDR_A/LEN SHORT_B IF_B ADDR_B/LEN: a veth link with an address at
# each end.
link() {
  veth_pair "$1" "$2" "$4" "$5"
  ip -n "$(ns_name "$1")" addr add "$3" dev "$2"
  ip -n "$(ns_name "$4")" addr add "$6" dev "$5"
}

# silence SHORT IFACE / unsilence SHORT IFACE: drop every packet in and out of IFACE in
# that namespace (nftables: this kernel has no netem), and stop dropping them.
silence() {
  nsx "$1" nft add table inet evsilent 2>/dev/null
  nsx "$1" nft "add chain inet evsilent in { type filter hook input priority -300 ; }" 2>/dev/null
  nsx "$1" nft "add chain inet evsilent out { type filter hook output priority -300 ; }" 2>/dev/null
  nsx "$1" nft add rule inet evsilent in iifname "$2" drop
  nsx "$1" nft add rule inet evsilent out oifname "$2" drop
}
unsilence() { nsx "$1" nft delete table inet evsilent; }

# evpnd_pid SHORT: the pid of that node's evpnd.
evpnd_pid() { echo "${EV_PID[$1-evpnd]:-}"; }
# proc_rss_kb PID / proc_fds PID: resident memory (kB) and open descriptors of a process.
proc_rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }
proc_fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }

# check_memory DESC CMD...: a check on evpnd's memory. Under ASan (EVPND_SANITIZED=1)
# RSS measures redzones and the freed-memory quarantine, not evpnd, so the check is not
# made there and says so; the release build runs the same test (ctest label "memory").
check_memory() {
  if [ -n "${EVPND_SANITIZED:-}" ]; then
    printf 'NOTE: %s: not checked in the sanitizer build (the release run checks it)\n' "$1"
    return 0
  fi
  check "$@"
}

# evpnd_neighbor SHORT PEER: evpnd's `show bgp neighbors PEER json` entry for PEER.
evpnd_neighbor() { evpnsh_c "$1" "show bgp neighbors $2 json" | jq --arg p "$2" '.[$p]'; }
# frr_neighbor SHORT PEER: FRR's `show bgp neighbors PEER json` entry for PEER.
frr_neighbor() { frr_vtysh "$1" "show bgp neighbors $2 json" | jq --arg p "$2" '.[$p]'; }

# peersim SHORT ARGS...: runs evpnd-peersim (the scripted peer, tests/tools) in the
# namespace and prints its JSON lines; bounded by its own --timeout and by EV_CMD_TIMEOUT
# unless PEERSIM_TIMEOUT says more.
PEERSIM=${PEERSIM:-}
peersim() {
  local short=$1; shift
  timeout "${PEERSIM_TIMEOUT:-$EV_CMD_TIMEOUT}" ip netns exec "$(ns_name "$short")" "$PEERSIM" "$@"
}
# peersim_bg NAME SHORT LOG ARGS...: the same in the background, tracked like a daemon.
peersim_bg() {
  local name=$1 short=$2 log=$3; shift 3
  ev_bg "$name" evpnd-peersim "$short" "$log" "$PEERSIM" "$@"
}
ev_require_peersim() {
  if [ -z "$PEERSIM" ] || [ ! -x "$PEERSIM" ]; then echo "SKIP: evpnd-peersim not built (set PEERSIM)"; exit $EV_SKIP; fi
}
