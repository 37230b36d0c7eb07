#!/usr/bin/env bash
# run_fuzz.sh FUZZER SECONDS CORPUS_DIR [WORK_DIR]: runs one libFuzzer target for a
# bounded time on the committed seed corpus (read only: new inputs go to WORK_DIR, a
# temporary directory unless given). Fails on any crash, sanitizer report, leak, timeout
# (10 s per input) or out-of-memory; then prints the whole log and the input that failed.
set -uo pipefail
fuzzer=$1 seconds=$2 corpus=$3 work=${4:-}
[ -d "$corpus" ] && [ -n "$(ls -A "$corpus" 2>/dev/null)" ] || { echo "run_fuzz.sh: no seed corpus in $corpus" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -n "$work" ] || work=$tmp/corpus
mkdir -p "$work"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:abort_on_error=1
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
log=$tmp/fuzz.log
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
  -artifact_prefix="$tmp/" "$work" "$corpus" >"$log" 2>&1
rc=$?
if [ $rc -ne 0 ] || grep -qE 'runtime error:|Sanitizer' "$log"; then
  cat "$log"
  for a in "$tmp"/crash-* "$tmp"/timeout-* "$tmp"/oom-* "$tmp"/leak-*; do
    [ -f "$a" ] || continue
    echo "failing input $(basename "$a") (hex):"
    xxd -p "$a" | head -c 4000
    echo
  done
  exit 1
fi
# The figures: executions, coverage, corpus.
grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb|stat::new_units_added)' "$log"
grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1
exit 0
