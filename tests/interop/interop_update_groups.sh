#!/usr/bin/env bash
# Update groups: evpnd as route reflector for one FRR leaf and three GoBGP leaves, then
# for two evpnd-peersim clients of which one stops reading.
#
#   ns "leaf": FRR AS 65000, 10.10.0.1, VTEP 10.0.0.1, VNI 100 with a host
#   ns "ev":   evpnd AS 65000, 10.10.0.2 (FRR), 10.11.N.2 (gbN), 10.12.N.2 (psN)
#   ns "gbN":  GoBGP AS 65000, 10.11.N.1, N = 1..3 (identical settings: one update group)
#   ns "psN":  evpnd-peersim AS 65010 (eBGP), 10.12.N.1, N = 1..2
#
# The three GoBGP clients share one update group: a route from gb1 is encoded once and
# delivered to gb2 and gb3 (never back to gb1) and to FRR; FRR's routes reach all three;
# a withdrawal from gb1 reaches exactly those that got the route; a restarted gb3 gets its
# table in a group of its own and joins the others again. Then, with the GoBGP leaves
# gone, ps2 stops reading while evpnd sends 60,000 routes: ps1 is not held back (ps2 is
# split off into a group of its own), ps2 gets every route once it reads again, and the
# two share one group again.
. "$(dirname "$0")/lib.sh"
ev_require jq gobgpd gobgp vtysh "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd "${1:-}" "${2:-}"
ev_require_peersim
ev_init

AS=65000; PS_AS=65010
RT=$AS:$VNI
BULK=60000; BRD=$PEER_VTEP:200; BRT=$AS:200
gb_addr() { echo "10.11.$1.1"; }
ev_gb() { echo "10.11.$1.2"; }
gb_vtep() { echo "10.0.0.$((10 + $1))"; }
ps_addr() { echo "10.12.$1.1"; }
ev_ps() { echo "10.12.$1.2"; }

frr_leaf_topology leaf ev
for n in 1 2 3; do
  netns_create "gb$n"
  link ev "eg$n" "$(ev_gb $n)/24" "gb$n" eth0 "$(gb_addr $n)/24"
  ip -n "$(ns_name "gb$n")" addr add "$(gb_vtep $n)/32" dev lo
done
for n in 1 2; do
  netns_create "ps$n"
  link ev "ep$n" "$(ev_ps $n)/24" "ps$n" eth0 "$(ps_addr $n)/24"
done
# Small socket buffers towards the peersims: a few hundred KiB stall a writer.
for ns in ev ps1 ps2; do
  nsx "$ns" sysctl -qw net.ipv4.tcp_wmem="4096 16384 65536" net.ipv4.tcp_rmem="4096 16384 65536"
done

frr_leaf_conf leaf leaf1 "$AS" "$LEAF_VTEP" "$PEER_ADDR" "$AS"
for n in 1 2 3; do gobgp_conf "gb$n" "$AS" "$(gb_vtep $n)" "$(gb_addr $n)" "$(ev_gb $n)" "$AS"; done
{
  printf 'hostname rr1\nrouter bgp %s\n bgp router-id %s\n no bgp default ipv4-unicast\n' "$AS" "$PEER_VTEP"
  printf ' no bgp ebgp-requires-policy\n'
  for a in "$LEAF_ADDR" "$(gb_addr 1)" "$(gb_addr 2)" "$(gb_addr 3)"; do
    printf ' neighbor %s remote-as %s\n neighbor %s timers 3 9\n neighbor %s timers connect 2\n' "$a" "$AS" "$a" "$a"
  done
  for n in 1 2; do printf ' neighbor %s remote-as %s\n neighbor %s passive\n' "$(ps_addr $n)" "$PS_AS" "$(ps_addr $n)"; done
  printf ' address-family l2vpn evpn\n'
  for a in "$LEAF_ADDR" "$(gb_addr 1)" "$(gb_addr 2)" "$(gb_addr 3)"; do
    printf '  neighbor %s activate\n  neighbor %s route-reflector-client\n' "$a" "$a"
  done
  for n in 1 2; do printf '  neighbor %s activate\n' "$(ps_addr $n)"; done
  printf ' exit-address-family\nexit\n'
} | evpnd_write_conf ev
start_frr leaf
for n in 1 2 3; do start_gobgp "gb$n"; done
start_evpnd ev

all_up() {
  local a
  for a in "$LEAF_ADDR" "$(gb_addr 1)" "$(gb_addr 2)" "$(gb_addr 3)"; do evpnd_established ev "$a" || return 1; done
}
check "FRR and three GoBGP leaves Established with the reflector" wait_until 30 all_up

groups() { evpnsh_c ev "show bgp update-groups json"; }
# group_of ADDR -> the id of the group ADDR is in ("" if none).
group_of() { groups | jq -r --arg a "$1" '.updateGroups[] | select(.members | index($a)) | .id'; }
members_with() { groups | jq -r --arg a "$1" '[.updateGroups[] | select(.members | index($a)) | .members[]] | sort | join(" ")'; }
GB_ALL=$(printf '%s\n' "$(gb_addr 1)" "$(gb_addr 2)" "$(gb_addr 3)" | sort | tr '\n' ' ' | sed 's/ $//')
gb_together() { [ "$(members_with "$(gb_addr 1)")" == "$GB_ALL" ]; }
check "the three GoBGP leaves share one update group" wait_until 15 gb_together
G=$(groups)
jq_field "the GoBGP group's settings" "$G" \
  "[.updateGroups[] | select(.members | index(\"$(gb_addr 1)\")) | .settings] | first" "ibgp rr-client as4"
FRD=$(frr_vni_rd leaf "$VNI")
# The host's neighbour entries make FRR advertise MAC+IP routes: MAC, MAC+IPv4,
# MAC+IPv6 and the IMET.
host_ping leafh "$SVI4" "$SVI6"

# ------------------------------------------------------------------ FRR's routes reach all three
from_frr_at() { gobgp_has "$1" "[.[] | select(rdstr==\"$FRD\")] | length == 4"; }
for n in 1 2 3; do check "gb$n holds FRR's 4 routes, reflected" wait_until 20 from_frr_at "gb$n"; done

# ------------------------------------------------------------------ a route from gb1
GRD=$(gb_vtep 1):100; GMAC=02:00:00:00:11:0b
counters() {  # counters ADDR -> "encoded delivered" of ADDR's group
  groups | jq -r --arg a "$1" '.updateGroups[] | select(.members | index($a)) | "\(.messagesEncoded) \(.messagesDelivered)"'
}
read -r enc0 del0 <<<"$(counters "$(gb_addr 1)")"
check "gb1: add macadv $GMAC" gobgp_cli gb1 global rib -a evpn add macadv "$GMAC" 0.0.0.0 etag 0 label "$VNI" \
  rd "$GRD" rt "$RT" encap vxlan nexthop "$(gb_vtep 1)" origin igp
has_gmac() { gobgp_has "$1" "[.[] | select(rdstr==\"$GRD\" and .\"neighbor-ip\" == \"$(ev_gb "${1#gb}")\")] | length == $2"; }
check "gb2 holds gb1's route, reflected" wait_until 15 has_gmac gb2 1
check "gb3 holds gb1's route, reflected" wait_until 15 has_gmac gb3 1
check "FRR holds gb1's route, reflected" wait_until 15 frr_has leaf "[.[] | select(.rd==\"$GRD\")] | length == 1"
check "gb1 does not get its route back" has_gmac gb1 0
read -r enc1 del1 <<<"$(counters "$(gb_addr 1)")"
check "the GoBGP group encoded the route's UPDATE once" test "$((enc1 - enc0))" -eq 1
check_eq "and delivered it twice (gb2, gb3; not gb1)" 2 "$((del1 - del0))"

# ------------------------------------------------------------------ its withdrawal
check "gb1: del macadv $GMAC" gobgp_cli gb1 global rib -a evpn del macadv "$GMAC" 0.0.0.0 etag 0 label "$VNI" \
  rd "$GRD" rt "$RT" encap vxlan nexthop "$(gb_vtep 1)" origin igp
check "gb2 loses gb1's route" wait_until 15 has_gmac gb2 0
check "gb3 loses gb1's route" wait_until 15 has_gmac gb3 0
check "FRR loses gb1's route" wait_until 15 frr_has leaf "[.[] | select(.rd==\"$GRD\")] | length == 0"
read -r enc2 del2 <<<"$(counters "$(gb_addr 1)")"
check_eq "the withdrawal: encoded once, delivered to gb2 and gb3" "1 2" "$((enc2 - enc1)) $((del2 - del1))"

# ------------------------------------------------------------------ gb3 restarts
ev_stop gb3-gobgpd KILL
check "evpnd sees gb3 go" wait_until 15 eval '! evpnd_established ev "$(gb_addr 3)"'
start_gobgp gb3
check "gb3 Established again" wait_until 30 evpnd_established ev "$(gb_addr 3)"
check "gb3 gets FRR's 4 routes again" wait_until 20 from_frr_at gb3
check "gb3 joins the other two GoBGP leaves' group again" wait_until 15 gb_together

# ------------------------------------------------------------------ a slow reader is not waited for
for n in 1 2 3; do ev_stop "gb$n-gobgpd" KILL; done
TOTAL=$((BULK + 4))  # and FRR's 4
ps_out() { echo "$(ev_dir "ps$1")/ps.out"; }
peersim_bg ps1 ps1 "$(ps_out 1)" --local "$(ps_addr 1)" --remote "$(ev_ps 1)" --as "$PS_AS" --remote-as "$AS" \
  --id 10.0.0.31 --hold 90 --expect-routes "$TOTAL" --no-expect-eor --hold-open 30 --timeout 120
peersim_bg ps2 ps2 "$(ps_out 2)" --local "$(ps_addr 2)" --remote "$(ev_ps 2)" --as "$PS_AS" --remote-as "$AS" \
  --id 10.0.0.32 --hold 90 --expect-routes "$TOTAL" --no-expect-eor --stop-reading --resume-after 20 \
  --rcvbuf 16384 --hold-open 30 --timeout 120
check "both peersims Established" wait_until 20 eval \
  'evpnd_established ev "$(ps_addr 1)" && evpnd_established ev "$(ps_addr 2)"'
PS_BOTH=$(printf '%s\n' "$(ps_addr 1)" "$(ps_addr 2)" | sort | tr '\n' ' ' | sed 's/ $//')
ps_together() { [ "$(members_with "$(ps_addr 1)")" == "$PS_BOTH" ]; }
check "the two peersims share one update group" wait_until 15 ps_together
check "evpnd originates $BULK routes" evpnsh_c ev \
  "test evpn originate macip rd $BRD mac 02:30:00:00:00:00 label 200 nexthop $PEER_VTEP rt $BRT count $BULK"
sent_to() { evpnsh_c ev "show bgp l2vpn evpn summary json" | jq -r --arg p "$1" '.peers[$p].pfxSnt'; }
check "ps1 is sent all $TOTAL routes while ps2 reads nothing" wait_until 15 eval \
  '[ "$(sent_to "$(ps_addr 1)")" -eq $TOTAL ]'
check "ps2 was split off into an update group of its own" test "$(group_of "$(ps_addr 1)")" != "$(group_of "$(ps_addr 2)")"
check "ps2 is behind" test "$(sent_to "$(ps_addr 2)")" -lt $TOTAL
check "ps2 catches up once it reads" wait_until 40 eval '[ "$(sent_to "$(ps_addr 2)")" -eq $TOTAL ]'
check "and shares ps1's group again" wait_until 15 ps_together
got() { grep '^{"cycle"' "$(ps_out "$1")" | tail -1 | jq -r '.received_routes // 0'; }
check "ps1 decoded every route" wait_until 40 eval '[ "$(got 1)" -ge $TOTAL ]'
check "ps2 decoded every route" wait_until 40 eval '[ "$(got 2)" -ge $TOTAL ]'
check "FRR's session stayed up throughout" test "$(evpnd_neighbor ev "$LEAF_ADDR" | jq .connectionsEstablished)" -eq 1
ev_finish
