#!/usr/bin/env bash
# update-goldens.sh [BUILD_DIR]: the only way golden files change. Runs the golden tests of
# an existing build (default build/asan) with EVPND_GOLDEN_OUT set, so each writes what it
# produces beside the build; copies those files over tests/, and prints the diff for review.
# The tests themselves never write into the source tree.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/asan}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
[ -x "$build/tests/test_cli" ] || { echo "update-goldens.sh: build $build first (scripts/build.sh asan)" >&2; exit 2; }
# The tests fail where the outputs differ; that is expected here.
EVPND_GOLDEN_OUT=$out "$build/tests/test_cli" --gtest_filter='*Golden*' >/dev/null 2>&1 || true
EVPND_GOLDEN_OUT=$out "$build/tests/test_conformance" >/dev/null 2>&1 || true
n=0
while IFS= read -r -d '' f; do
  rel=${f#"$out/"}
  mkdir -p "$(dirname "$root/tests/$rel")"
  cp "$f" "$root/tests/$rel"
  n=$((n + 1))
done < <(find "$out" -type f -print0)
echo "update-goldens.sh: $n golden files written; review them:"
git -C "$root" status --short -- tests
git -C "$root" diff --stat -- tests
