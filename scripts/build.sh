#!/usr/bin/env bash
# build.sh [release|asan|fuzz|bench]: configures and builds one flavour into build/<flavour>
# (release goes to build/release). Prints the build directory on the last line.
set -euo pipefail
flavour=${1:-release}
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/build/$flavour"
jobs=${EVPND_BUILD_JOBS:-$(nproc)}
mkdir -p "$root/build"
case "$flavour" in
  # EVPND_UNIT_TESTS=OFF: only the daemons and tools (the suite runs the unit tests in
  # the sanitizer build, and the release build only for the memory tests).
  release) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DEVPND_BENCH=OFF "-DEVPND_TESTS=${EVPND_UNIT_TESTS:-ON}") ;;
  # Debug (-O0) for the unit tests; CMakeLists.txt builds what the interop tests run at -O1.
  asan)    args=(-DCMAKE_BUILD_TYPE=Debug -DEVPND_SANITIZE=ON -DEVPND_BENCH=OFF) ;;
  fuzz)    args=(-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEVPND_FUZZ=ON
                 -DEVPND_TESTS=OFF -DEVPND_BENCH=OFF) ;;
  bench)   args=(-DCMAKE_BUILD_TYPE=Release -DEVPND_BENCH=ON -DEVPND_TESTS=OFF) ;;
  *) echo "build.sh: unknown flavour '$flavour' (release, asan, fuzz, bench)" >&2; exit 2 ;;
esac
cmake -S "$root" -B "$dir" -G Ninja "${args[@]}" > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; exit 1; }
if [ "$flavour" = fuzz ]; then
  ninja -C "$dir" -j "$jobs" $(ninja -C "$dir" -t targets all | grep -o '^fuzz_[a-z_]*:' | tr -d ':' | sort -u)
else
  ninja -C "$dir" -j "$jobs"
fi
echo "$dir"
