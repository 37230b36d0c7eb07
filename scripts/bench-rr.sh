#!/usr/bin/env bash
# bench-rr.sh [--quick] [BUILD_DIR]: W4 of issue 6, a route reflector fanning out to many
# clients, against evpnd, FRR's bgpd and gobgpd, on this machine, in one run.
#
#   gen (evpnd-peersim, client) ──iBGP──► DUT (AS 65000, route reflector) ──iBGP──► C clients (evpnd-peersim)
#
# Everything runs in one namespace, over its loopback device: the DUT listens on
# 10.255.0.1, the clients connect from 10.100.x.y (one address each, one process each).
# (Not 127/8: FRR's bgpd finds no interface for a session from such an address and
# resets it, "nexthop_set failed".) Once every client
# is Established (and has its empty table), the generator, also a client, sends 10,000
# distinct MAC-only Type-2 routes packed as FRR packs them; the DUT reflects them to the
# other clients. Wall: from the generator's session coming up until the slowest client
# has decoded its 10,000th route. CPU: the DUT's user + system time over that. RSS per
# client: the DUT's RSS growth from before the clients connected to after the last one
# had the table, / C (so it includes the table itself once: about 2.5 MB for evpnd at
# 10,000 routes, 5 KB per client at 480). For evpnd also the UPDATEs it encoded and how
# many it delivered (`show bgp update-groups json`): encoded once per update group.
#
# W8 (same namespace): P peers establishing at once. The DUT runs; every peersim is
# started and sleeps until one wall-clock instant (--start-at), when all connect. Time:
# from that instant until the last peer's session is Established (as the peer saw it).
# Not part of the suite. Needs root, FRR, GoBGP and a release build (default build/release).
BENCH_NS=rr
. "$(dirname "$0")/bench-lib.sh"

if [ "$quick" = 1 ]; then CLIENTS="20 100"; W8_PEERS=200; else CLIENTS="100 480"; W8_PEERS=1000; fi
# BENCH_DUTS="evpnd frr" (say) runs only those; BENCH_CLIENTS / BENCH_ROUTES set the sizes.
CLIENTS=${BENCH_CLIENTS-$CLIENTS}  # empty: no W4
W8_PEERS=${BENCH_W8_PEERS:-$W8_PEERS}  # 0: no W8
ROUTES=${BENCH_ROUTES:-10000}
LIMIT_S=300
AS=65000
DUT=10.255.0.1
GEN=10.254.0.1
client_addr() { echo "10.100.$(( $1 / 250 )).$(( $1 % 250 + 1 ))"; }
client_id() { echo "10.1.$(( $1 / 250 )).$(( $1 % 250 + 1 ))"; }

netns_create rr
# Every address before any daemon starts (zebra learns them at once).
max_clients=$W8_PEERS
for c in $CLIENTS; do [ "$c" -gt "$max_clients" ] && max_clients=$c; done
for a in "$DUT" "$GEN" $(for ((i = 0; i < max_clients; i++)); do client_addr $i; done); do
  nsx rr ip addr add "$a/32" dev lo
done
# The routes' next hop (VTEP) must be reachable and not the DUT's own address (FRR drops
# routes whose next hop is local as martian, and resolves iBGP next hops): a connected
# subnet on a veth pair inside the namespace, the VTEP address itself on neither end.
VTEP=10.200.0.1
nsx rr ip link add vtep0 type veth peer name vtep1
nsx rr ip addr add 10.200.0.2/24 dev vtep0
nsx rr ip link set vtep0 up
nsx rr ip link set vtep1 up

# The DUT's config in FRR's syntax (evpnd reads it as it is): every client passive, a
# route-reflector client for l2vpn evpn.
dut_bgp_conf() {
  local c=$1 i a
  printf 'hostname rr\nrouter bgp %s\n bgp router-id 10.0.0.100\n no bgp default ipv4-unicast\n' "$AS"
  printf ' neighbor %s remote-as %s\n neighbor %s passive\n' "$GEN" "$AS" "$GEN"
  for ((i = 0; i < c; i++)); do a=$(client_addr $i); printf ' neighbor %s remote-as %s\n neighbor %s passive\n' "$a" "$AS" "$a"; done
  printf ' address-family l2vpn evpn\n  neighbor %s activate\n  neighbor %s route-reflector-client\n' "$GEN" "$GEN"
  for ((i = 0; i < c; i++)); do
    a=$(client_addr $i); printf '  neighbor %s activate\n  neighbor %s route-reflector-client\n' "$a" "$a"
  done
  printf ' exit-address-family\nexit\n'
}
gobgp_config() {
  local c=$1 i a
  printf '[global.config]\n  as = %s\n  router-id = "10.0.0.100"\n  local-address-list = ["%s"]\n' "$AS" "$DUT"
  for a in "$GEN" $(for ((i = 0; i < c; i++)); do client_addr $i; done); do
    printf '[[neighbors]]\n  [neighbors.config]\n    neighbor-address = "%s"\n    peer-as = %s\n' "$a" "$AS"
    printf '  [neighbors.transport.config]\n    passive-mode = true\n'
    printf '  [neighbors.route-reflector.config]\n    route-reflector-client = true\n'
    printf '    route-reflector-cluster-id = "10.0.0.100"\n'
    printf '  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "l2vpn-evpn"\n'
  done
}
start_dut() {
  case "$1" in
    evpnd) dut_bgp_conf "$2" | evpnd_write_conf rr; start_evpnd rr ;;
    frr) frr_write_conf rr zebra.conf <<<"hostname rr"; dut_bgp_conf "$2" | frr_write_conf rr bgpd.conf; start_frr rr ;;
    gobgp) gobgp_config "$2" | gobgp_write_conf rr; start_gobgp rr ;;
  esac
}
clients_up() { grep -l '^{"established_at_us":' "$1"/c*.out 2>/dev/null | wc -l; }
clients_established() { [ "$(clients_up "$1")" -ge "$2" ]; }  # clients_established DIR C

RESULTS=$(ev_dir results)/results.tsv
: >"$RESULTS"
# run_one DUT C: one measurement; appends a line to $RESULTS.
run_one() {
  local dut=$1 c=$2 pid i rss0 cpu0 dir gen_log status=ok
  dir=$(ev_dir "clients-$dut-$c"); rm -f "$dir"/c*.out
  gen_log=$dir/gen.out; : >"$gen_log"
  start_dut "$dut" "$c"
  pid=$(dut_pid "$dut")
  sleep 1
  rss0=$(proc_rss_kb "$pid")
  for ((i = 0; i < c; i++)); do
    peersim_bg "c$i" rr "$dir/c$i.out" --local "$(client_addr $i)" --remote "$DUT" --as "$AS" --remote-as "$AS" \
      --id "$(client_id $i)" --hold 180 --expect-routes "$ROUTES" --no-expect-eor --report-established \
      --timeout $((LIMIT_S + 120))
  done
  if ! wait_until 120 clients_established "$dir" "$c"; then
    status="only $(clients_up "$dir") of $c clients established"
  fi
  sleep 2  # the (empty) initial tables and End-of-RIBs
  cpu0=$(cpu_ticks "$pid")
  peersim_bg gen rr "$gen_log" --local "$GEN" --remote "$DUT" --as "$AS" --remote-as "$AS" --id 10.2.0.1 --hold 180 \
    --routes "$ROUTES" --rd 10.2.0.1:1 --nexthop "$VTEP" --hold-open $((LIMIT_S + 60)) --report-established \
    --timeout $((LIMIT_S + 120))
  local end_at=$(( $(date +%s) + LIMIT_S )) alive
  while [ "$status" = ok ]; do
    alive=0
    for ((i = 0; i < c; i++)); do ev_pid_alive "c$i" && { alive=1; break; }; done
    [ "$alive" = 0 ] && break
    [ "$(date +%s)" -ge "$end_at" ] && { status="over ${LIMIT_S}s"; break; }
    sleep 0.2
  done
  local cpu rss1 start last=0 short=0 l got at enc=NA del=NA
  cpu=$(( $(cpu_ticks "$pid") - cpu0 )); rss1=$(proc_rss_kb "$pid")
  start=$(established_us "$gen_log")
  for ((i = 0; i < c; i++)); do
    l=$(grep '^{"cycle"' "$dir/c$i.out" | tail -1)
    got=$(jq -r '.received_routes // 0' <<<"${l:-{\}}"); at=$(jq -r '.last_route_at_us // 0' <<<"${l:-{\}}")
    if [ "${got:-0}" -lt "$ROUTES" ]; then short=$((short + 1)); elif [ "$at" -gt "$last" ]; then last=$at; fi
  done
  [ "$status" = ok ] && [ "$short" -gt 0 ] && status="$short clients short of $ROUTES routes"
  local wall=NA
  [ -z "$start" ] && [ "$status" = ok ] && status="the generator did not come up"
  [ "$status" = ok ] && wall=$(awk -v a="$start" -v b="$last" 'BEGIN {printf "%.3f", (b - a) / 1e6}')
  if [ "$dut" = evpnd ]; then
    local t; t=$(evpnsh_c rr "show bgp update-groups json" 2>/dev/null)
    enc=$(jq -r '.totals.messagesEncoded' <<<"$t"); del=$(jq -r '.totals.messagesDelivered' <<<"$t")
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$dut" "$c" "$wall" "$(awk -v t="$cpu" 'BEGIN {printf "%.2f", t / 100}')" \
    "$(awk -v a="$rss0" -v b="$rss1" -v c="$c" 'BEGIN {printf "%.0f", (b - a) / c}')" "$enc" "$del" "$status" |
    tee -a "$RESULTS"
  ev_stop gen KILL
  for ((i = 0; i < c; i++)); do ev_stop "c$i" KILL; done
  stop_dut "$dut"
  sleep 1
}

# run_w8 DUT P: W8, one measurement; appends a line to $W8_RESULTS.
W8_RESULTS=$(ev_dir results)/w8.tsv
: >"$W8_RESULTS"
run_w8() {
  local dut=$1 c=$2 dir i t0 last=0 at status=ok up pid cpu0 cpu
  dir=$(ev_dir "w8-$dut-$c"); rm -f "$dir"/c*.out
  start_dut "$dut" "$c"
  sleep 2
  pid=$(dut_pid "$dut"); cpu0=$(cpu_ticks "$pid")
  # Time enough to start every peersim first (a few ms each).
  t0=$(( $(date +%s%6N) + (10 + c / 50) * 1000000 ))
  for ((i = 0; i < c; i++)); do
    peersim_bg "c$i" rr "$dir/c$i.out" --local "$(client_addr $i)" --remote "$DUT" --as "$AS" --remote-as "$AS" \
      --id "$(client_id $i)" --hold 180 --report-established --start-at "$t0" --hold-open 30 --timeout 200
  done
  [ "$(date +%s%6N)" -lt "$t0" ] || status="the peersims were not all started before the start time"
  wait_until 120 clients_established "$dir" "$c" || status="only $(clients_up "$dir") of $c Established"
  cpu=$(awk -v t="$(( $(cpu_ticks "$pid") - cpu0 ))" 'BEGIN {printf "%.2f", t / 100}')
  for ((i = 0; i < c; i++)); do
    at=$(established_us "$dir/c$i.out"); [ -n "$at" ] && [ "$at" -gt "$last" ] && last=$at
  done
  up=NA
  [ "$status" = ok ] && up=$(awk -v a="$t0" -v b="$last" 'BEGIN {printf "%.3f", (b - a) / 1e6}')
  printf 'W8\t%s\t%s\t%s\t%s\t%s\n' "$dut" "$c" "$up" "$cpu" "$status" | tee -a "$W8_RESULTS"
  for ((i = 0; i < c; i++)); do ev_stop "c$i" KILL; done
  stop_dut "$dut"
  sleep 1
}

echo "dut	clients	wall_s	cpu_s	rss_kB_per_client	updates_encoded	updates_delivered	status"
for c in $CLIENTS; do
  for dut in evpnd frr gobgp; do wanted "$dut" && run_one "$dut" "$c"; done
done

if [ "$W8_PEERS" -gt 0 ]; then
  echo
  echo "W8	dut	peers	all_established_s	cpu_s	status"
  for dut in evpnd frr gobgp; do wanted "$dut" && run_w8 "$dut" "$W8_PEERS"; done
fi

echo
echo "ratios (wall time, CPU, RSS per client: other / evpnd, same number of clients)"
awk -F'\t' '
  { wall[$1, $2] = $3; cpu[$1, $2] = $4; rss[$1, $2] = $5; cs[$2] = 1 }
  END {
    for (c in cs) for (i = 1; i <= 2; i++) {
      o = (i == 1) ? "frr" : "gobgp"
      if (!((o, c) in wall) || !(("evpnd", c) in wall)) continue
      w = (wall["evpnd", c] > 0 && wall[o, c] != "NA" && wall["evpnd", c] != "NA") ? sprintf("%.1fx", wall[o, c] / wall["evpnd", c]) : "NA"
      p = (cpu["evpnd", c] > 0) ? sprintf("%.1fx", cpu[o, c] / cpu["evpnd", c]) : "NA"
      r = (rss["evpnd", c] > 0) ? sprintf("%.1fx", rss[o, c] / rss["evpnd", c]) : "NA"
      printf "%s vs evpnd, %s clients: wall %s, cpu %s, RSS per client %s\n", o, c, w, p, r
    }
  }' "$RESULTS" | sort
awk -F'\t' '{ t[$2] = $4 } END { for (o in t) if (o != "evpnd" && t["evpnd"] > 0 && t[o] != "NA")
  printf "W8: %s vs evpnd: all Established %.1fx\n", o, t[o] / t["evpnd"] }' "$W8_RESULTS" | sort
ev_finish
