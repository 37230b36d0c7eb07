#!/usr/bin/env bash
# bench-rib.sh [--quick] [BUILD_DIR]: the RIB's receive-and-re-advertise benchmark (issue
# 6, W1 and W5) against evpnd, FRR's bgpd and gobgpd, on this machine, in one run.
#
#   gen (evpnd-peersim, AS 65010) ──eBGP──► DUT (AS 65000) ──eBGP──► mon (evpnd-peersim, AS 65020)
#
# The generator sends N distinct MAC-only Type-2 routes, pre-encoded (packed as FRR packs
# them, or one per UPDATE as GoBGP sends them); the monitor decodes and counts what the
# DUT re-advertises. Wall time: from the generator's session coming up (it writes its
# first UPDATE at once) until the monitor has decoded the N-th route. CPU: the DUT's user
# + system time over the run. Peak RSS: the DUT's VmHWM. Bytes per route: the DUT's RSS
# growth over the run / N (one path per route; W5 "two paths" runs the generator twice,
# from two sessions with the same routes, the second once the first has landed: its wall
# time is the first feed's).
# The runs alternate DUTs per workload. gobgpd 3.10 is quadratic on Type-2 intake, so it
# gets the smaller N (and at most 5 minutes a run). Not part of the suite. Needs root,
# FRR, GoBGP and a release build (default build/release).
BENCH_NS=dut
. "$(dirname "$0")/bench-lib.sh"

if [ "$quick" = 1 ]; then SIZES="10000 100000"; GB_SIZES="3000 10000"
else SIZES="100000 1000000"; GB_SIZES="10000 30000"; fi
# BENCH_DUTS="evpnd frr" (say) runs only those; BENCH_SIZES / BENCH_GB_SIZES set the N.
SIZES=${BENCH_SIZES:-$SIZES}; GB_SIZES=${BENCH_GB_SIZES:-$GB_SIZES}
LIMIT_S=300
DUT_AS=65000; GEN_AS=65010; GEN2_AS=65011; MON_AS=65020
DUT_GEN=10.20.0.2; GEN=10.20.0.1
DUT_GEN2=10.22.0.2; GEN2=10.22.0.1
DUT_MON=10.21.0.2; MON=10.21.0.1

netns_create dut
netns_create gen
netns_create gen2
netns_create mon
link dut eth1 "$DUT_GEN/24" gen eth0 "$GEN/24"
link dut eth2 "$DUT_MON/24" mon eth0 "$MON/24"
link dut eth3 "$DUT_GEN2/24" gen2 eth0 "$GEN2/24"

# The DUT's BGP config, in FRR's syntax, which evpnd reads as it is.
dut_bgp_conf() {
  cat <<C
hostname dut
router bgp $DUT_AS
 bgp router-id 10.0.0.100
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 neighbor $GEN remote-as $GEN_AS
 neighbor $GEN passive
 neighbor $GEN2 remote-as $GEN2_AS
 neighbor $GEN2 passive
 neighbor $MON remote-as $MON_AS
 neighbor $MON passive
 address-family l2vpn evpn
  neighbor $GEN activate
  neighbor $GEN2 activate
  neighbor $MON activate
 exit-address-family
exit
C
}
evpnd_config() { dut_bgp_conf | evpnd_write_conf dut; }
frr_config() {
  frr_write_conf dut zebra.conf <<<"hostname dut"
  dut_bgp_conf | frr_write_conf dut bgpd.conf
}
gobgp_config() {
  local n
  {
    printf '[global.config]\n  as = %s\n  router-id = "10.0.0.100"\n' "$DUT_AS"
    for n in "$GEN:$GEN_AS" "$GEN2:$GEN2_AS" "$MON:$MON_AS"; do
      printf '[[neighbors]]\n  [neighbors.config]\n    neighbor-address = "%s"\n    peer-as = %s\n' "${n%%:*}" "${n##*:}"
      printf '  [neighbors.transport.config]\n    passive-mode = true\n'
      printf '  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "l2vpn-evpn"\n'
    done
  } | gobgp_write_conf dut
}

start_dut() {
  case "$1" in
    evpnd) evpnd_config; start_evpnd dut ;;
    frr) frr_config; start_frr dut ;;
    gobgp) gobgp_config; start_gobgp dut ;;
  esac
}

RESULTS=$(ev_dir results)/results.tsv
: >"$RESULTS"
# run_one DUT N MODE PATHS: one measurement; appends a line to $RESULTS.
run_one() {
  local dut=$1 n=$2 mode=$3 paths=$4 pid t0 cpu0 rss0 gen_log mon_log gen2_log
  local pu=(); [ "$mode" = per-update ] && pu=(--per-update)
  start_dut "$dut"
  pid=$(dut_pid "$dut")
  mon_log=$(ev_dir mon)/mon.out; gen_log=$(ev_dir gen)/gen.out; gen2_log=$(ev_dir gen2)/gen.out
  : >"$mon_log"; : >"$gen_log"; : >"$gen2_log"  # the logs are appended to; one run each
  peersim_bg mon-peersim mon "$mon_log" --local "$MON" --remote "$DUT_MON" --as "$MON_AS" --remote-as "$DUT_AS" \
    --id 10.0.0.20 --hold 90 --expect-routes "$n" --no-expect-eor --timeout $((LIMIT_S + 60))
  sleep 2  # the monitor's session and the DUT's (empty) initial table
  rss0=$(proc_rss_kb "$pid"); cpu0=$(cpu_ticks "$pid")
  peersim_bg gen-peersim gen "$gen_log" --local "$GEN" --remote "$DUT_GEN" --as "$GEN_AS" --remote-as "$DUT_AS" \
    --id 10.0.0.10 --hold 90 --routes "$n" "${pu[@]}" --rd 10.0.0.10:1 --nexthop "$GEN" --hold-open $((LIMIT_S + 60)) --report-established \
    --timeout $((LIMIT_S + 120))
  local status=ok end_at=$(( $(date +%s) + LIMIT_S ))
  while ev_pid_alive mon-peersim; do
    [ "$(date +%s)" -ge "$end_at" ] && { status="over ${LIMIT_S}s"; break; }
    sleep 0.2
  done
  if [ "$paths" = 2 ] && [ "$status" = ok ]; then
    # The same routes (same RD and MACs) from a second peer: two paths per key. It starts
    # once the first peer's routes are all in and re-advertised, and loses every key on
    # router ID (10.0.0.11 > 10.0.0.10), so nothing is re-advertised: the run measures
    # the memory of a second path, not a race between two feeds (started together, the
    # feeds interleave differently on every run, and each key the second one wins first
    # is exported twice). Landed: the DUT's CPU time stands still for 2 s.
    peersim_bg gen2-peersim gen2 "$gen2_log" --local "$GEN2" --remote "$DUT_GEN2" --as "$GEN2_AS" \
      --remote-as "$DUT_AS" --id 10.0.0.11 --hold 90 --routes "$n" "${pu[@]}" --rd 10.0.0.10:1 --nexthop "$GEN" \
      --hold-open $((LIMIT_S + 60)) --timeout $((LIMIT_S + 120))
    local still=0 before after
    before=$(cpu_ticks "$pid")
    while [ "$still" -lt 10 ]; do
      [ "$(date +%s)" -ge $((end_at + LIMIT_S)) ] && { status="second path over ${LIMIT_S}s"; break; }
      sleep 0.2
      after=$(cpu_ticks "$pid")
      if [ "$after" = "$before" ]; then still=$((still + 1)); else still=0; before=$after; fi
    done
  fi
  local mon_json got last start wall cpu hwm rss1 bpr
  mon_json=$(grep '^{"cycle"' "$mon_log" | tail -1)
  got=$(jq -r '.received_routes // 0' <<<"${mon_json:-{\}}")
  last=$(jq -r '.last_route_at_us // 0' <<<"${mon_json:-{\}}")
  start=$(established_us "$gen_log")
  cpu=$(( $(cpu_ticks "$pid") - cpu0 )); hwm=$(hwm_kb "$pid"); rss1=$(proc_rss_kb "$pid")
  if [ "$status" = ok ] && [ "${got:-0}" -ge "$n" ] && [ -n "$start" ] && [ "$last" -gt 0 ]; then
    wall=$(awk -v a="$start" -v b="$last" 'BEGIN {printf "%.3f", (b - a) / 1e6}')
  else
    wall=NA; [ "$status" = ok ] && status="monitor got ${got:-0} of $n"
  fi
  bpr=$(awk -v a="$rss0" -v b="$rss1" -v n="$n" -v p="$paths" 'BEGIN {printf "%.0f", (b - a) * 1024 / n}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$dut" "$n" "$mode" "$paths" "$wall" \
    "$(awk -v t="$cpu" 'BEGIN {printf "%.2f", t / 100}')" "$hwm" "$bpr" "$status" | tee -a "$RESULTS"
  ev_stop gen-peersim KILL; ev_stop gen2-peersim KILL; ev_stop mon-peersim KILL
  stop_dut "$dut"
  sleep 1
}

echo "dut	N	packing	paths	wall_s	cpu_s	peak_rss_kB	bytes_per_route	status"
for n in $SIZES; do
  for mode in ${BENCH_MODES:-packed per-update}; do
    for dut in evpnd frr; do wanted "$dut" && run_one "$dut" "$n" "$mode" 1; done
  done
done
for n in $GB_SIZES; do
  for mode in packed per-update; do
    for dut in evpnd frr gobgp; do wanted "$dut" && run_one "$dut" "$n" "$mode" 1; done
  done
done
# W5: memory per route with two paths per key, at the largest N.
big=${SIZES##* }
[ -n "${big// /}" ] && for dut in evpnd frr; do wanted "$dut" && run_one "$dut" "$big" packed 2; done

echo
echo "ratios (wall time, CPU, bytes per route: other / evpnd, same N, packing and paths)"
awk -F'\t' '
  { key = $2 "\t" $3 "\t" $4; wall[$1, key] = $5; cpu[$1, key] = $6; bpr[$1, key] = $8; keys[key] = 1 }
  END {
    for (k in keys) {
      split(k, f, "\t")
      for (i = 1; i <= 2; i++) {
        o = (i == 1) ? "frr" : "gobgp"
        if (!((o, k) in wall) || !(("evpnd", k) in wall)) continue
        w = (wall["evpnd", k] > 0 && wall[o, k] != "NA") ? sprintf("%.1fx", wall[o, k] / wall["evpnd", k]) : "NA"
        c = (cpu["evpnd", k] > 0) ? sprintf("%.1fx", cpu[o, k] / cpu["evpnd", k]) : "NA"
        b = (bpr["evpnd", k] > 0) ? sprintf("%.1fx", bpr[o, k] / bpr["evpnd", k]) : "NA"
        printf "%s vs evpnd, N=%s %s paths=%s: wall %s, cpu %s, bytes/route %s\n", o, f[1], f[2], f[3], w, c, b
      }
    }
  }' "$RESULTS" | sort
ev_finish
