#!/usr/bin/env bash
# bench-fib.sh [--quick] [BUILD_DIR]: the FIB programmer's benchmark (issue 7: W2, W3, W6,
# W7, W10) against evpnd and FRR (bgpd + zebra) on the same workload, next to the
# batched-netlink floor, on this machine, in one run.
#
#   gen (evpnd-peersims A B C D, mon) ──iBGP──► DUT (100 L2VNIs: br<V> + vxlan<V>)
#                                                   └── veth ── hosts (W10's source MACs)
#
# Every figure is counted from the kernel: evpnd-fibbench watches RTM_NEWNEIGH /
# RTM_DELNEIGH in the DUT's namespace (a remote MAC is in when its vxlan FDB entry with
# the VTEP is announced), and the times are wall-clock µs shared with evpnd-peersim.
#
#   floor  evpnd-fibbench floor: the same MACs written through fib::NetlinkBackend in
#          batches of 16384 with one ack each (add, move to another VTEP, remove)
#   W2     N remote MACs over 100 VNIs and 10 VTEPs from peer A: from A's session coming
#          up (it sends at once) to the N-th vxlan entry in the kernel
#   W7     (evpnd) evpnd stopped and started again with the N MACs in the kernel, A
#          reconnecting: from the new evpnd's start until its FIB queue has confirmed all
#          N and holds nothing unconfirmed; kernel FDB changes seen meanwhile (rewrites)
#   W6     A's session goes down (the peersim is killed) with N MACs in: until the N-th
#          vxlan entry is gone
#   W3     100,000 MACs in from A, then moved by peers B, C, D (a higher MAC Mobility
#          sequence, another VTEP) paced at 1,000 / 10,000 / 100,000 per second: latency
#          from each move's UPDATE being due to its kernel entry changing, p50 / p99, and
#          how far behind schedule the last move landed (lag)
#   W10    100,000 frames with new source MACs into br100 from a host port: from the first
#          frame until the monitor peer has every Type-2 route
#
# Not part of the suite. Needs root, FRR and a release build (default build/release).
BENCH_NS=dut
. "$(dirname "$0")/bench-lib.sh"
FIBBENCH=$build/tests/tools/evpnd-fibbench
[ -x "$FIBBENCH" ] || { echo "bench-fib.sh: $FIBBENCH not built"; exit 1; }

if [ "$quick" = 1 ]; then SIZES="10000 100000"; MOVE_N=20000; LEARN_N=20000
else SIZES="100000 1000000"; MOVE_N=100000; LEARN_N=100000; fi
SIZES=${BENCH_SIZES:-$SIZES}
DUTS=${BENCH_DUTS:-evpnd frr}
# BENCH_WORKLOADS="floor w2 w3w10" (the default: all); w2 includes W7 and W6.
WORKLOADS=${BENCH_WORKLOADS:-floor w2 w3w10}
run_workload() { [[ " $WORKLOADS " == *" $1 "* ]]; }
LIMIT_S=${BENCH_LIMIT_S:-600}
VNIS=100 VNI0=100 VTEPS=10
DUT_AS=65000 DUT_VTEP=10.0.0.1 DUT_ADDR=10.30.0.1
A=10.30.0.2 B=10.30.0.3 C=10.30.0.4 D=10.30.0.5 MON=10.30.0.6
VTEP_A=10.40.0.1 VTEP_B=10.40.0.21 VTEP_C=10.40.0.22 VTEP_D=10.40.0.23
MAC0=02:10:00:00:00:00 LEARN_MAC0=02:50:00:00:00:00

# mac_plus MAC N: MAC + N.
mac_plus() {
  local v; v=$(( 0x${1//:/} + $2 ))
  printf '%012x' "$v" | sed 's/../&:/g; s/:$//'
}

netns_create dut
netns_create gen
netns_create hosts
link dut eth1 "$DUT_ADDR/24" gen eth0 "$A/24"
for a in $B $C $D $MON; do ip -n "$(ns_name gen)" addr add "$a/24" dev eth0; done
ip -n "$(ns_name dut)" addr add "$DUT_VTEP/32" dev lo
ip -n "$(ns_name dut)" route add 10.40.0.0/16 via "$A"  # the VTEPs: resolvable next hops
# vni_devices add|del: the DUT's 100 bridges and vxlan devices. Deleting them between
# runs takes every entry a DUT left in the kernel with them.
vni_devices() {
  local v
  for ((v = VNI0; v < VNI0 + VNIS; v++)); do
    if [ "$1" = add ]; then
      echo "link add br$v type bridge"
      echo "link add vxlan$v type vxlan id $v local $DUT_VTEP dstport 4789 nolearning"
      echo "link set vxlan$v master br$v"
      echo "link set vxlan$v up"
      echo "link set br$v up"
    else
      echo "link del vxlan$v"
      echo "link del br$v"
    fi
  done | ip -n "$(ns_name dut)" -batch - || { echo "bench-fib.sh: VNI devices ($1)"; exit 1; }
  if [ "$1" = add ]; then
    ip -n "$(ns_name dut)" link set h-hosts master "br$VNI0"
    BR_MAC=$(ip -n "$(ns_name dut)" -j link show "br$VNI0" | jq -r '.[0].address')
  fi
}
veth_pair dut h-hosts hosts eth0
vni_devices add

dut_conf() {
  local n
  printf 'hostname dut\nrouter bgp %s\n bgp router-id %s\n no bgp default ipv4-unicast\n' "$DUT_AS" "$DUT_VTEP"
  for n in $A $B $C $D $MON; do printf ' neighbor %s remote-as %s\n neighbor %s passive\n' "$n" "$DUT_AS" "$n"; done
  printf ' address-family l2vpn evpn\n'
  for n in $A $B $C $D $MON; do printf '  neighbor %s activate\n' "$n"; done
  printf '  advertise-all-vni\n exit-address-family\nexit\n'
}
start_dut() {
  case "$1" in
    evpnd) dut_conf | evpnd_write_conf dut; start_evpnd dut ;;
    frr) frr_write_conf dut zebra.conf <<<"hostname dut"; dut_conf | frr_write_conf dut bgpd.conf; start_frr dut ;;
  esac
  wait_until 60 dut_vnis_ready "$1" || echo "bench-fib.sh: $1 did not report $VNIS VNIs" >&2
}
dut_vnis_ready() {
  local n
  case "$1" in
    evpnd) n=$(evpnsh_c dut "show evpn vni json" | jq 'length') ;;
    frr) n=$(frr_vtysh dut "show evpn vni json" | jq 'length') ;;
  esac
  [ "${n:-0}" -ge "$VNIS" ]
}
dut_cpu() {  # user + system ticks of the DUT's processes
  case "$1" in
    evpnd) cpu_ticks "$(evpnd_pid dut)" ;;
    frr) echo $(( $(cpu_ticks "${EV_PID[dut-bgpd]}") + $(cpu_ticks "${EV_PID[dut-zebra]}") )) ;;
  esac
}
dut_hwm() {
  case "$1" in
    evpnd) hwm_kb "$(evpnd_pid dut)" ;;
    frr) echo $(( $(hwm_kb "${EV_PID[dut-bgpd]}") + $(hwm_kb "${EV_PID[dut-zebra]}") )) ;;
  esac
}

# watch_start NAME ARGS...: evpnd-fibbench watch in the DUT's namespace, once it listens.
watch_start() {
  local name=$1; shift
  local log; log=$(ev_dir dut)/$name.out; : >"$log"
  ev_bg "$name" evpnd-fibbench dut "$log" "$FIBBENCH" watch --timeout "$LIMIT_S" "$@"
  wait_until 10 grep -q '"ready"' "$log" || echo "bench-fib.sh: watcher $name not ready" >&2
}
# watch_result NAME: waits for the watcher to end (or stops it), prints its JSON line.
watch_result() {
  local name=$1 stop=${2:-wait} end=$(( $(date +%s) + LIMIT_S + 10 ))
  [ "$stop" = stop ] && ev_stop "$name" INT
  while ev_pid_alive "$name" && [ "$(date +%s)" -lt "$end" ]; do sleep 0.1; done
  ev_stop "$name" INT
  grep '^{"added"' "$(ev_dir dut)/$name.out" | tail -1
}
# gen_start NAME ADDR ARGS...: an evpnd-peersim from ADDR to the DUT (iBGP), in the
# background; its stdout and stderr (established_at_us) in gen/NAME.out.
gen_start() {
  local name=$1 addr=$2; shift 2
  local log; log=$(ev_dir gen)/$name.out; : >"$log"
  peersim_bg "$name" gen "$log" --local "$addr" --remote "$DUT_ADDR" --as "$DUT_AS" --remote-as "$DUT_AS" \
    --id "$addr" --hold 90 --report-established --timeout $((LIMIT_S * 4)) "$@"
}
since_us() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.3f", (b - a) / 1e6; else print "NA" }'; }

RESULTS=$(ev_dir results)/results.tsv
: >"$RESULTS"
row() { printf '%s\n' "$(IFS=$'\t'; echo "$*")" | tee -a "$RESULTS"; }
echo "workload	dut	N	seconds	per_second	cpu_s	peak_rss_kB	note"

# ---- floor
run_workload floor && for n in $SIZES; do
  out=$(nsx dut "$FIBBENCH" floor --vni "$VNI0" --vnis "$VNIS" --vteps "$VTEPS" --vtep "$VTEP_A" --routes "$n" \
        --mac-base "$MAC0")
  row floor-add netlink "$n" "$(jq -r .add_s <<<"$out")" "$(jq -r .add_per_s <<<"$out")" NA NA "failures $(jq -r .failures <<<"$out")"
  row floor-move netlink "$n" "$(jq -r .move_s <<<"$out")" "$(jq -r .move_per_s <<<"$out")" NA NA ""
  row floor-remove netlink "$n" "$(jq -r .remove_s <<<"$out")" "$(jq -r .remove_per_s <<<"$out")" NA NA ""
done

# ---- W2, W7, W6
run_workload w2 && for n in $SIZES; do
  for dut in $DUTS; do
    start_dut "$dut"
    cpu0=$(dut_cpu "$dut")
    watch_start w2 --added "$n"
    gen_start genA "$A" --routes "$n" --vnis "$VNIS" --vteps "$VTEPS" --vni "$VNI0" --rt auto --rd "$VTEP_A:1" \
      --nexthop "$VTEP_A" --mac-base "$MAC0" --hold-open $((LIMIT_S * 4))
    res=$(watch_result w2)
    start=$(established_us "$(ev_dir gen)/genA.out")
    secs=$(since_us "$start" "$(jq -r '.last_us // 0' <<<"${res:-{\}}")")
    got=$(jq -r '.added // 0' <<<"${res:-{\}}")
    note="kernel has $got"; [ "$(jq -r '.overruns // 0' <<<"${res:-{\}}")" != 0 ] && note="$note, watcher overran"
    row W2 "$dut" "$n" "$secs" "$(awk -v s="$secs" -v n="$n" 'BEGIN { if (s > 0) printf "%d", n / s; else print "NA" }')" \
      "$(awk -v t="$(( $(dut_cpu "$dut") - cpu0 ))" 'BEGIN {printf "%.2f", t / 100}')" "$(dut_hwm "$dut")" "$note"

    if [ "$dut" = evpnd ] && [ "$got" -ge "$n" ]; then
      # W7: restart with the entries in the kernel; A comes back with the same routes.
      sleep 2  # the programmer's last batch confirmed
      watch_start w7
      ev_stop dut-evpnd TERM  # first: A going down first would withdraw everything
      ev_stop genA KILL
      t7=$(date +%s%N)
      start_evpnd dut
      gen_start genA "$A" --routes "$n" --vnis "$VNIS" --vteps "$VTEPS" --vni "$VNI0" --rt auto --rd "$VTEP_A:1" \
        --nexthop "$VTEP_A" --mac-base "$MAC0" --hold-open $((LIMIT_S * 4))
      steady() {
        evpnsh_c dut "show evpn fib json" | jq -e --argjson n "$n" \
          '.installed >= $n and .pending == 0 and (.inFlight | not) and .unconfirmedFromBefore == 0' >/dev/null
      }
      if wait_until "$LIMIT_S" steady; then secs=$(awk -v a="$t7" -v b="$(date +%s%N)" 'BEGIN {printf "%.3f", (b - a) / 1e9}')
      else secs=NA; fi
      sleep 1
      res=$(watch_result w7 stop)
      fibj=$(evpnsh_c dut "show evpn fib json")
      row W7 evpnd "$n" "$secs" NA NA "$(dut_hwm evpnd)" \
        "kernel FDB changes $(jq -r '.changes // "NA"' <<<"${res:-{\}}"), applied $(jq -r .applied <<<"$fibj"), unchanged $(jq -r .unchanged <<<"$fibj")"
    fi

    # W6: A goes down.
    watch_start w6 --removed "$n"
    t6=$(( $(date +%s%N) / 1000 ))
    ev_stop genA KILL
    res=$(watch_result w6)
    secs=$(since_us "$t6" "$(jq -r '.last_us // 0' <<<"${res:-{\}}")")
    row W6 "$dut" "$n" "$secs" "$(awk -v s="$secs" -v n="$n" 'BEGIN { if (s > 0) printf "%d", n / s; else print "NA" }')" \
      NA NA "removed $(jq -r '.removed // 0' <<<"${res:-{\}}")"
    stop_dut "$dut"
    vni_devices del; vni_devices add
  done
done

# ---- W3: moves, and W10: local learning (one DUT run each)
run_workload w3w10 && for dut in $DUTS; do
  start_dut "$dut"
  watch_start w3load --added "$MOVE_N"
  gen_start genA "$A" --routes "$MOVE_N" --vnis "$VNIS" --vteps "$VTEPS" --vni "$VNI0" --rt auto --rd "$VTEP_A:1" \
    --nexthop "$VTEP_A" --mac-base "$MAC0" --hold-open $((LIMIT_S * 4))
  watch_result w3load >/dev/null
  sleep 2
  # rounds: peer, VTEP, sequence, rate, first MAC offset, MACs
  # (the offsets are multiples of $VNIS, so MAC i of a round is in the VNI it started in)
  for round in "genB $B $VTEP_B 1 1000 0 5000" "genC $C $VTEP_C 1 10000 5000 50000" "genD $D $VTEP_D 2 100000 0 $MOVE_N"; do
    read -r name addr vtep seq rate off count <<<"$round"
    [ "$count" -gt "$MOVE_N" ] && count=$MOVE_N
    first=$(mac_plus "$MAC0" "$off")
    watch_start "w3-$rate" --moves "$count" --move-base "$first" --move-rate "$rate" --move-t0 "$(ev_dir gen)/$name.out"
    gen_start "$name" "$addr" --routes "$count" --vnis "$VNIS" --vni "$VNI0" --rt auto \
      --rd "$vtep:1" --nexthop "$vtep" --mac-base "$first" --mobility-seq "$seq" --rate "$rate" --hold-open $((LIMIT_S * 4))
    res=$(watch_result "w3-$rate")
    row "W3@$rate/s" "$dut" "$count" "$(awk -v u="$(jq -r '.p99_us // 0' <<<"${res:-{\}}")" 'BEGIN {printf "%.3f", u / 1e6}')" NA NA NA \
      "moved $(jq -r '.moved // 0' <<<"${res:-{\}}"), p50 $(jq -r '.p50_us // "NA"' <<<"${res:-{\}}") us, p99 $(jq -r '.p99_us // "NA"' <<<"${res:-{\}}") us, max $(jq -r '.max_us // "NA"' <<<"${res:-{\}}") us, lag $(jq -r '.lag_us // "NA"' <<<"${res:-{\}}") us"
  done
  for name in genA genB genC genD; do ev_stop "$name" KILL; done

  # W10: the monitor expects every VNI's IMET and one Type-2 per learned MAC.
  mon_log=$(ev_dir gen)/mon.out; : >"$mon_log"
  peersim_bg mon gen "$mon_log" --local "$MON" --remote "$DUT_ADDR" --as "$DUT_AS" --remote-as "$DUT_AS" --id "$MON" \
    --hold 90 --expect-routes $((LEARN_N + VNIS)) --no-expect-eor --timeout $((LIMIT_S + 60))
  sleep 3  # the monitor's session and the DUT's IMETs
  learn=$(nsx hosts "$FIBBENCH" learn --dev eth0 --count "$LEARN_N" --mac-base "$LEARN_MAC0" --dst "$BR_MAC")
  end=$(( $(date +%s) + LIMIT_S ))
  while ev_pid_alive mon && [ "$(date +%s)" -lt "$end" ]; do sleep 0.2; done
  mon_json=$(grep '^{"cycle"' "$mon_log" | tail -1)
  secs=$(since_us "$(jq -r .first_us <<<"$learn")" "$(jq -r '.last_route_at_us // 0' <<<"${mon_json:-{\}}")")
  got=$(jq -r '.received_routes // 0' <<<"${mon_json:-{\}}")
  [ "$got" -lt $((LEARN_N + VNIS)) ] && secs=NA
  row W10 "$dut" "$LEARN_N" "$secs" "$(awk -v s="$secs" -v n="$LEARN_N" 'BEGIN { if (s > 0) printf "%d", n / s; else print "NA" }')" \
    NA "$(dut_hwm "$dut")" "monitor got $got routes (incl. $VNIS IMET)"
  ev_stop mon KILL
  stop_dut "$dut"
  vni_devices del; vni_devices add
done

echo
echo "ratios (seconds: frr / evpnd; evpnd / floor)"
awk -F'\t' '
  { t[$1, $2, $3] = $4; keys[$1 "\t" $3] = 1 }
  END {
    for (k in keys) {
      split(k, f, "\t"); w = f[1]; n = f[2]
      e = t[w, "evpnd", n]; r = t[w, "frr", n]
      if (e != "" && e != "NA" && e > 0 && r != "" && r != "NA") printf "%s N=%s: frr / evpnd %.1fx\n", w, n, r / e
      fl = (w == "W2") ? t["floor-add", "netlink", n] : (w == "W6") ? t["floor-remove", "netlink", n] : ""
      if (fl != "" && fl > 0 && e != "" && e != "NA") printf "%s N=%s: evpnd / floor %.2fx\n", w, n, e / fl
    }
  }' "$RESULTS" | sort
ev_finish
