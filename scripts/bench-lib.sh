# Sourced by the benchmark scripts (bench-rib.sh, bench-rr.sh) after they set BENCH_NS
# (the namespace the router under test runs in): the common start (--quick, the build
# directory, the interop library, the tools every run needs) and what each run asks of
# the router under test (DUT: evpnd, frr or gobgp), whichever it is.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
quick=0
[ "${1:-}" = --quick ] && { quick=1; shift; }
build=${1:-$root/build/release}
export EVPND=$build/daemon/evpnd EVPNSH=$build/daemon/evpnsh PEERSIM=$build/tests/tools/evpnd-peersim
export EVPND_NO_SKIP=1 EVPND_LOG_LEVEL=warn EVPND_TEST_COMMANDS=0
. "$root/tests/interop/lib.sh"
ev_require jq gobgpd gobgp vtysh "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd
ev_require_peersim
ev_init

DUTS=${BENCH_DUTS:-evpnd frr gobgp}  # BENCH_DUTS="evpnd frr" (say) runs only those
wanted() { [[ " $DUTS " == *" $1 "* ]]; }

dut_pid() {
  case "$1" in
    evpnd) evpnd_pid "$BENCH_NS" ;;
    frr) echo "${EV_PID[$BENCH_NS-bgpd]}" ;;
    gobgp) echo "${EV_PID[$BENCH_NS-gobgpd]}" ;;
  esac
}
stop_dut() {
  case "$1" in
    evpnd) ev_stop "$BENCH_NS-evpnd" TERM ;;
    frr) ev_stop "$BENCH_NS-bgpd" TERM; ev_stop "$BENCH_NS-zebra" TERM ;;
    gobgp) ev_stop "$BENCH_NS-gobgpd" TERM ;;
  esac
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }  # user + system, 1/100 s
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null; }
# peersim --report-established prints {"established_at_us":N} when its session comes up.
established_us() { grep -o '^{"established_at_us":[0-9]*' "$1" 2>/dev/null | head -1 | cut -d: -f2; }
