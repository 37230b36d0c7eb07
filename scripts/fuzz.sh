#!/usr/bin/env bash
# fuzz.sh SECONDS [TARGET...]: runs the libFuzzer targets for longer than the suite does,
# each for SECONDS (two at a time, one per core), growing a corpus that is kept between
# runs in build/fuzz-corpus/<target> (seeded from tests/fuzz/corpus/<target>), and prints
# one line per target: executions, coverage, corpus size, result.
#   fuzz.sh --seed        regenerates the committed seed corpora (tests/fuzz/corpus) from
#                         the captures and config goldens (needs the asan build)
#   FUZZ_JOBS=N           how many targets run at once (default 2)
# Builds the sanitizer flavour first (it holds the fuzz targets). A target that finds
# something fails the script and leaves its log and failing input in
# build/fuzz-findings/<target>/.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ "${1:-}" = "--seed" ]; then
  [ -x build/asan/tests/seed_corpus ] || bash scripts/build.sh asan >/dev/null
  ninja -C build/asan seed_corpus >/dev/null
  rm -rf tests/fuzz/corpus
  build/asan/tests/seed_corpus tests/fuzz/corpus
  exit $?
fi
seconds=${1:?usage: fuzz.sh SECONDS [TARGET...] | fuzz.sh --seed}
shift
bash scripts/build.sh asan >/dev/null || { echo "fuzz.sh: the sanitizer build failed" >&2; exit 1; }
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in build/asan/tests/fuzz/fuzz_*; do [ -x "$f" ] && targets+=("$(basename "$f" | sed 's/^fuzz_//')"); done
fi
jobs=${FUZZ_JOBS:-2}
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

run_one() {
  local t=$1 work=build/fuzz-corpus/$1 out=build/fuzz-findings/$1
  mkdir -p "$work"
  local start=$SECONDS
  if tests/fuzz/run_fuzz.sh "build/asan/tests/fuzz/fuzz_$t" "$seconds" "tests/fuzz/corpus/$t" "$work" >"$results/$t.log" 2>&1; then
    echo "ok" >"$results/$t.status"
  else
    echo "FOUND" >"$results/$t.status"
    mkdir -p "$out" && cp "$results/$t.log" "$out/"
  fi
  echo $((SECONDS - start)) >"$results/$t.time"
}

running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

status=0
printf '%-14s %12s %8s %8s %10s %s\n' target executions cov ft corpus result
for t in "${targets[@]}"; do
  log=$results/$t.log
  execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | awk '{print $2}')
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1)
  printf '%-14s %12s %8s %8s %10s %s\n' "$t" "${execs:-?}" "$(awk '{print $2}' <<<"$cov")" "$(awk '{print $4}' <<<"$cov")" \
    "$(ls "build/fuzz-corpus/$t" | wc -l)" "$(cat "$results/$t.status")"
  [ "$(cat "$results/$t.status")" = ok ] || status=1
done
exit $status
