#!/usr/bin/env bash
# run_fuzz.sh FUZZER SECONDS TESTDATA_DIR: seeds a corpus from the captured messages
# (whole messages and, for the body decoders, the same bytes: each target skips what it
# cannot use) and runs the fuzzer for a bounded time. Fails on any crash or leak.
set -euo pipefail
fuzzer=$1 seconds=$2 testdata=$3
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
i=0
for f in "$testdata"/*.hex; do
  grep -v '^#' "$f" | xxd -r -p > "$corpus/seed$i"
  i=$((i + 1))
done
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 "$corpus" 2>&1 | tail -n 25
