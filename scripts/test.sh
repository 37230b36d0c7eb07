#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run) and as the README's second command:
#   1. installs every dependency (apt-get),
#   2. builds with ASan+UBSan (warnings are errors) and runs the unit tests,
#   3. runs the interop tests in network namespaces (real FRR and GoBGP) against that
#      sanitizer build, so a memory error on live peer input fails the suite,
#   4. builds the libFuzzer targets with clang and runs each for a bounded time,
#   5. builds the release flavour (the one the demo runs) and runs its unit tests.
# Each step prints CTest's summary; the script fails if any step fails.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh

failed=()
step() {
  local name=$1; shift
  echo
  echo "==== $name ===="
  if "$@"; then echo "==== $name: ok"; else echo "==== $name: FAILED"; failed+=("$name"); fi
}

run_ctest() {  # run_ctest DIR LABEL
  ctest --test-dir "$1" -L "$2" --output-on-failure --timeout 900
}

step "build (asan)" bash scripts/build.sh asan
step "unit tests (asan)" run_ctest build/asan unit
if [ "$(id -u)" -eq 0 ]; then
  step "interop tests (asan evpnd vs FRR and GoBGP)" run_ctest build/asan interop
else
  echo "interop tests need root (network namespaces): skipped"
  failed+=("interop (not root)")
fi
step "build (fuzz)" bash scripts/build.sh fuzz
step "fuzz targets (bounded)" run_ctest build/fuzz fuzz
step "build (release)" bash scripts/build.sh release
step "unit tests (release)" run_ctest build/release unit

echo
if [ ${#failed[@]} -eq 0 ]; then
  echo "evpnd test suite: all steps passed"
  exit 0
fi
echo "evpnd test suite: FAILED steps: ${failed[*]}"
exit 1
