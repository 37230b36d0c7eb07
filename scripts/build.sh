#!/usr/bin/env bash
# build.sh [release|asan|bench]: configures and builds one flavour into build/<flavour>
# (release goes to build/release). Prints the build directory on the last line.
set -euo pipefail
flavour=${1:-release}
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/build/$flavour"
jobs=${EVPND_BUILD_JOBS:-$(nproc)}
mkdir -p "$root/build"
# A tree configured for another compiler (the asan flavour was g++ before) cannot be
# reconfigured in place: start it again.
if [ -f "$dir/CMakeCache.txt" ] && [ "$flavour" = asan ] && ! grep -q '^CMAKE_CXX_COMPILER:.*clang' "$dir/CMakeCache.txt"; then
  rm -rf "$dir"
fi
case "$flavour" in
  # EVPND_UNIT_TESTS=OFF: only the daemons and tools (the suite runs the unit tests in
  # the sanitizer build, and the release build only for the memory tests).
  release) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DEVPND_BENCH=OFF "-DEVPND_TESTS=${EVPND_UNIT_TESTS:-ON}") ;;
  # ASan+UBSan with clang, and the libFuzzer targets in the same tree: one build serves
  # the unit, interop and fuzz tests. clang compiles this code about twice as fast as g++
  # (Asio's coroutines, gtest: bgp/session.cpp 49 s against 85 s, a test file 15 s against
  # 31 s); g++ -Werror still compiles the libraries, daemons and tools in the release build.
  # Debug (-O0) for the unit tests; CMakeLists.txt builds what the interop tests run at -O1.
  asan)    args=(-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug -DEVPND_SANITIZE=ON
                 -DEVPND_FUZZ=ON -DEVPND_BENCH=OFF) ;;
  bench)   args=(-DCMAKE_BUILD_TYPE=Release -DEVPND_BENCH=ON -DEVPND_TESTS=OFF) ;;
  *) echo "build.sh: unknown flavour '$flavour' (release, asan, bench)" >&2; exit 2 ;;
esac
cmake -S "$root" -B "$dir" -G Ninja "${args[@]}" > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; exit 1; }
ninja -C "$dir" -j "$jobs"
echo "$dir"
