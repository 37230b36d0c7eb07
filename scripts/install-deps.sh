#!/usr/bin/env bash
# Installs everything evpnd needs to build, test and run its demo on Debian 12.
# Idempotent: packages already present are left as they are.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: run as root (apt-get needs it)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# Build toolchain and libraries the code links against.
build_pkgs=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libboost-dev libboost-program-options-dev
  libprotobuf-dev protobuf-compiler
  libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # JSON output of `show ... json` and evpnd-decode: correct escaping and key order
  # without a hand-written emitter.
  nlohmann-json3-dev
  # Line editing and history for the interactive evpnsh.
  libedit-dev
  # Dropping every capability but the few evpnd needs once its sockets are bound (and,
  # with --user, keeping them across the change of user): one call per step instead of
  # capset(2), the bounding set and PR_SET_KEEPCAPS by hand.
  libcap-ng-dev
  # The RIB's tables: a B-tree (key order at a few bytes per entry, where std::map
  # spends a node and an allocation per route) and small inline vectors.
  libabsl-dev
  # Netlink for the kernel FIB backend: message framing and attribute parsing with
  # bounds checks, batching, and the ack loop (fib/netlink).
  libmnl-dev
)
# Peers and tools the interop tests and the demo drive.
test_pkgs=(
  frr gobgpd iproute2 iputils-ping tcpdump procps psmisc jq xxd
  # The fault tests make a link silent with a drop rule (this kernel has no netem).
  nftables
)

missing=()
for p in "${build_pkgs[@]}" "${test_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -q
  # The frr package's postinst tries to start the service; there is no systemd here,
  # and the tests start their own instances, so a failing start must not stop us.
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "install-deps.sh: all dependencies present"
