#!/usr/bin/env bash
# Three VTEP leaves behind a GoBGP route server: one FRR leaf and two evpnd leaves, each
# with a host on VNI 100. Every host pings every other across VXLAN, so this is also the
# two-evpnd-leaves case; each leaf's kernel shows the other two VTEPs in its flood list
# and the other hosts' MACs at the right VTEP.
#
#              rs: gobgpd AS 65000, route-server-client for all (next hop and AS path kept)
#        eth1 10.10.1.254 | eth2 10.10.2.254 | eth3 10.10.3.254    (and forwards the underlay)
#   leaf: FRR AS 65001      evA: evpnd AS 65002      evB: evpnd AS 65003
#   10.10.1.1, VTEP 10.0.0.1  10.10.2.1, VTEP 10.0.0.2  10.10.3.1, VTEP 10.0.0.3
#   h1 .10 02:..:01:0a        hA .21 02:..:02:0a        hB .22 02:..:03:0a     (192.168.100.0/24)
. "$(dirname "$0")/lib.sh"
ev_require jq vtysh ping gobgpd gobgp "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd "${1:-}" "${2:-}"
ev_init

RS_AS=65000
declare -A AS=([leaf]=65001 [evA]=65002 [evB]=65003)
declare -A ADDR=([leaf]=10.10.1.1 [evA]=10.10.2.1 [evB]=10.10.3.1)
declare -A RSADDR=([leaf]=10.10.1.254 [evA]=10.10.2.254 [evB]=10.10.3.254)
declare -A RSIF=([leaf]=eth1 [evA]=eth2 [evB]=eth3)
declare -A VTEP=([leaf]=10.0.0.1 [evA]=10.0.0.2 [evB]=10.0.0.3)
declare -A SVI=([leaf]=192.168.100.1 [evA]=192.168.100.2 [evB]=192.168.100.3)
declare -A HOST=([leaf]=leafh [evA]=evAh [evB]=evBh)
declare -A HMAC=([leaf]=02:00:00:00:01:0a [evA]=02:00:00:00:02:0a [evB]=02:00:00:00:03:0a)
declare -A HIP=([leaf]=192.168.100.10 [evA]=192.168.100.21 [evB]=192.168.100.22)
LEAVES=(leaf evA evB)

netns_create rs
nsx rs sysctl -qw net.ipv4.ip_forward=1
# l2_segment LEAF: the leaf's bridge, vxlan device and SVI, and its host.
l2_segment() {
  local l=$1 n=${SVI[$1]##*.}
  l2vni "$l" "${VTEP[$l]}" "$VNI" "${SVI[$l]}/24" "fd00:100::$n/64"
  host_on_bridge "$l" "br$VNI" "${HOST[$l]}" "${HMAC[$l]}" "${HIP[$l]}/24" "fd00:100::${HIP[$l]##*.}/64"
}
for l in "${LEAVES[@]}"; do
  netns_create "$l"
  link rs "${RSIF[$l]}" "${RSADDR[$l]}/24" "$l" eth0 "${ADDR[$l]}/24"
  ip -n "$(ns_name "$l")" addr add "${VTEP[$l]}/32" dev lo
  ip -n "$(ns_name "$l")" route add 10.0.0.0/24 via "${RSADDR[$l]}"
  ip -n "$(ns_name rs)" route add "${VTEP[$l]}/32" via "${ADDR[$l]}"
  # evB's VNI appears only once its evpnd runs (as in a container whose devices are made
  # after the daemon starts): evpnd must pick it up from the kernel's notifications.
  [ "$l" == evB ] || l2_segment "$l"
done

{
  printf '[global.config]\n  as = %s\n  router-id = "10.10.1.254"\n' "$RS_AS"
  for l in "${LEAVES[@]}"; do
    cat <<C
[[neighbors]]
  [neighbors.config]
    neighbor-address = "${ADDR[$l]}"
    peer-as = ${AS[$l]}
  [neighbors.timers.config]
    connect-retry = 2
    hold-time = 9
    keepalive-interval = 3
  [neighbors.route-server.config]
    route-server-client = true
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l2vpn-evpn"
C
  done
} | gobgp_write_conf rs

frr_write_conf leaf zebra.conf <<C
hostname leaf1
C
frr_write_conf leaf bgpd.conf <<C
hostname leaf1
router bgp ${AS[leaf]}
 bgp router-id ${VTEP[leaf]}
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 neighbor ${RSADDR[leaf]} remote-as $RS_AS
 neighbor ${RSADDR[leaf]} timers 3 9
 neighbor ${RSADDR[leaf]} timers connect 2
 address-family l2vpn evpn
  neighbor ${RSADDR[leaf]} activate
  advertise-all-vni
 exit-address-family
exit
C
for l in evA evB; do
  evpnd_write_conf "$l" <<C
hostname $l
router bgp ${AS[$l]}
 bgp router-id ${VTEP[$l]}
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 neighbor ${RSADDR[$l]} remote-as $RS_AS
 neighbor ${RSADDR[$l]} timers 3 9
 neighbor ${RSADDR[$l]} timers connect 2
 address-family l2vpn evpn
  neighbor ${RSADDR[$l]} activate
  advertise-all-vni
 exit-address-family
exit
C
done
start_gobgp rs
start_frr leaf
EVPND_TEST_COMMANDS=0 start_evpnd evA
EVPND_TEST_COMMANDS=0 start_evpnd evB
no_vni() { evpnsh_c evB "show evpn vni json" | jq -e 'length == 0' >/dev/null; }
check "evB has no VNI before its devices exist" no_vni
l2_segment evB
vni_found() { evpnsh_c evB "show evpn vni $VNI json" | jq -e --arg v "${VTEP[evB]}" '.vtepIp == $v' >/dev/null; }
check "evB picks up VNI $VNI when its devices appear (netlink notifications)" wait_until 15 vni_found

all_up() {
  local l
  for l in "${LEAVES[@]}"; do gobgp_established rs "${ADDR[$l]}" || return 1; done
}
if wait_until 40 all_up; then pass "the route server has all three leaves Established"
else fail "the route server has all three leaves Established" "$(gobgp_cli rs neighbor 2>&1)"; ev_finish; fi

fdb() { nsx "$1" bridge fdb show dev "vxlan$VNI"; }
fdb_has() { local n=$1; shift; fdb "$n" | grep -q "$1"; }
for l in "${LEAVES[@]}"; do
  for o in "${LEAVES[@]}"; do
    [ "$l" == "$o" ] && continue
    check "$l floods to ${VTEP[$o]} ($o's IMET through the route server)" \
      wait_until 20 fdb_has "$l" "^00:00:00:00:00:00 dst ${VTEP[$o]} self permanent"
  done
done

# Every host pings every other (the first packets are flooded: no MAC is known yet).
for l in "${LEAVES[@]}"; do
  for o in "${LEAVES[@]}"; do
    [ "$l" == "$o" ] && continue
    if nsx "${HOST[$l]}" ping -c 3 -i 0.3 -W 2 -q "${HIP[$o]}" >/dev/null 2>&1; then
      pass "host behind $l pings the host behind $o"
    else
      fail "host behind $l pings the host behind $o" "$(fdb "$l")"
    fi
  done
done

for l in "${LEAVES[@]}"; do
  for o in "${LEAVES[@]}"; do
    [ "$l" == "$o" ] && continue
    check "$l's kernel: ${HMAC[$o]} at ${VTEP[$o]} (extern_learn)" \
      wait_until 20 fdb_has "$l" "^${HMAC[$o]} dst ${VTEP[$o]} self extern_learn"
  done
done
for l in evA evB; do
  M=$(evpnsh_c "$l" "show evpn mac vni $VNI json")
  for o in "${LEAVES[@]}"; do
    [ "$l" == "$o" ] && continue
    jq_field "$l's MAC table: ${HMAC[$o]} remote at ${VTEP[$o]}" "$M" ".macs[\"${HMAC[$o]}\"].remoteVtep" "${VTEP[$o]}"
  done
  jq_field "$l's MAC table: its own host is local" "$M" ".macs[\"${HMAC[$l]}\"].type" local
  jq_check "$l: no failed FIB operation" "$(evpnsh_c "$l" "show evpn fib json")" '.failed == 0'
done

ev_finish
