#!/usr/bin/env bash
# Removes what interop runs that were killed (a ctest timeout sends SIGKILL, so their
# EXIT traps never ran) left behind: namespaces named ev<pid>-* whose pid is gone, the
# daemons still running inside them, and their /tmp/ev<pid>.* directories. A run whose
# pid is alive is left alone, so tests running in parallel are never disturbed.
set -u
[ "$(id -u)" -eq 0 ] || exit 0
removed=0
for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
  [[ "$ns" =~ ^ev([0-9]+)- ]] || continue
  pid=${BASH_REMATCH[1]}
  [ -d "/proc/$pid" ] && continue
  for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
  ip netns del "$ns" 2>/dev/null && removed=$((removed + 1))
done
for d in /tmp/ev[0-9]*.*; do
  [ -d "$d" ] || continue
  [[ "$(basename "$d")" =~ ^ev([0-9]+)\. ]] || continue
  [ -d "/proc/${BASH_REMATCH[1]}" ] || rm -rf "$d"
done
[ "$removed" -gt 0 ] && echo "clean-stale-netns.sh: removed $removed namespaces of killed runs"
exit 0
