#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run) and as the README's second command:
#   1. installs every dependency (apt-get); a failure there fails the suite at once,
#   2. builds with clang, ASan+UBSan (warnings are errors), the libFuzzer targets in the
#      same tree, and runs the unit tests,
#   3. runs the interop tests in network namespaces (real FRR and GoBGP) against that
#      sanitizer build, several at a time, so a memory error on live peer input fails it,
#   4. runs each libFuzzer target for a bounded time on its committed corpus (UBSan and
#      ASan findings fail),
#   5. builds the release flavour with g++ (the one the demo runs: daemons and tools; its unit
#      tests would repeat step 2 without the sanitizers and cost 5 of the 30 minutes the
#      suite may take), then runs the interop tests that bound evpnd's memory (label
#      "memory": RSS under ASan measures the sanitizer, not evpnd), with nothing else
#      running, so they measure quietly.
# Nothing is skipped: a test that lacks a tool or root fails (EVPND_NO_SKIP), and a label
# that selects no test is an error (--no-tests=error). Each step prints CTest's summary
# and its time; the script fails if any step fails.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export EVPND_NO_SKIP=1

if ! bash scripts/install-deps.sh; then
  echo "evpnd test suite: FAILED: scripts/install-deps.sh could not install the dependencies"
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "evpnd test suite: FAILED: the interop tests need root (network namespaces); run as root"
  exit 1
fi
# Namespaces and daemons of an earlier run that was killed.
bash scripts/clean-stale-netns.sh

failed=()
step() {
  local name=$1; shift
  local t0=$SECONDS
  echo
  echo "==== $name ===="
  if "$@"; then echo "==== $name: ok ($((SECONDS - t0)) s)"; else echo "==== $name: FAILED ($((SECONDS - t0)) s)"; failed+=("$name"); fi
}

run_ctest() {  # run_ctest DIR LABEL [ctest args...]
  local dir=$1 label=$2; shift 2
  ctest --test-dir "$dir" -L "$label" --output-on-failure --no-tests=error --timeout 900 "$@"
}

# Interop tests mostly wait (on timers, on peers): more of them than cores at once.
interop_jobs=${EVPND_INTEROP_JOBS:-4}

step "build (asan, with the fuzz targets)" bash scripts/build.sh asan
step "unit tests (asan)" run_ctest build/asan unit -j 2
step "interop tests (asan evpnd vs FRR and GoBGP)" run_ctest build/asan interop -j "$interop_jobs"
# Each fuzz target is one process on one core.
step "fuzz targets (bounded)" run_ctest build/asan fuzz -j 2
step "build (release)" env EVPND_UNIT_TESTS=OFF bash scripts/build.sh release
# RSS is per process: the two memory tests do not disturb each other's figures.
step "memory interop tests (release evpnd)" run_ctest build/release memory -j 2

echo
if [ ${#failed[@]} -eq 0 ]; then
  echo "evpnd test suite: all steps passed ($SECONDS s)"
  exit 0
fi
echo "evpnd test suite: FAILED steps: ${failed[*]} ($SECONDS s)"
exit 1
