#!/usr/bin/env bash
# MAC mobility between an FRR leaf and an evpnd leaf (RFC 7432 §15), with real hosts and
# no test hook: a host moves from evpnd's bridge to FRR's and back, and traffic follows;
# then a MAC that flaps between the two leaves faster than duplicate address detection
# allows (5 moves in 180 s) is frozen at evpnd and shown as duplicate until cleared.
#
#   ns "leaf":  FRR zebra + bgpd AS 65001, VTEP 10.0.0.1, br100 + vxlan100; h1 (leafh)
#   ns "ev":    evpnd AS 65002, VTEP 10.0.0.2, br100 + vxlan100 (adopted)
#   ns "evm" / "leafm": the moving host, 02:00:00:00:03:0a, 192.168.100.30, behind
#               evpnd's bridge first, then FRR's, then evpnd's again
. "$(dirname "$0")/lib.sh"
ev_require jq vtysh ping "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd "${1:-}" "${2:-}"
ev_init

M_MAC=02:00:00:00:03:0a; M_IP4=192.168.100.30
EV_SVI4=192.168.100.2; EV_SVI6=fd00:100::2

vtep_leaf_pair leaf ev "$EV_SVI4/24" "$EV_SVI6/64"
start_frr leaf
EVPND_TEST_COMMANDS=0 start_evpnd ev
session_up() { evpnd_established ev "$LEAF_ADDR" && frr_established leaf "$PEER_ADDR"; }
if wait_until 30 session_up; then pass "session Established on both sides"
else fail "session Established on both sides"; ev_finish; fi
ev_fdb_has() { nsx ev bridge fdb show dev "vxlan$VNI" | grep -q "$1"; }
check "evpnd has FRR's flood entry" wait_until 20 ev_fdb_has "^00:00:00:00:00:00 dst $LEAF_VTEP"

evpnd_mac() { evpnsh_c ev "show evpn mac vni $VNI json" | jq -c --arg m "$M_MAC" '.macs[$m] // {}'; }
frr_mac() { frr_vtysh leaf "show evpn mac vni $VNI mac $M_MAC json" | jq -c --arg m "$M_MAC" '.[$m] // {}'; }
# ev_mac_is TYPE LOCALSEQ REMOTESEQ: evpnd's view of the moving MAC.
ev_mac_is() {
  evpnd_mac | jq -e --arg t "$1" --argjson l "$2" --argjson r "$3" \
    '.type == $t and .localSequence == $l and .remoteSequence == $r' >/dev/null
}
frr_mac_is() { frr_mac | jq -e --arg t "$1" '.type == $t' >/dev/null; }
# from HOST: the moving host speaks (pings h1), so its leaf's bridge learns it there.
speak() { nsx "$1" ping -c 2 -i 0.3 -W 1 -q "$HOST_IP4" >/dev/null 2>&1; }
# mute HOST / unmute HOST: the host's old location goes silent, IP and ARP (nftables'
# inet tables do not see ARP), with its link up so that the leaf keeps its entry.
mute() { silence "$1" eth0; ip -n "$(ns_name "$1")" link set eth0 arp off; }
unmute() { unsilence "$1"; ip -n "$(ns_name "$1")" link set eth0 arp on; }
place_host() {  # place_host LEAF HOSTNS: the moving host's namespace behind LEAF's bridge
  host_on_bridge "$1" "br$VNI" "$2" "$M_MAC" "$M_IP4/24" "fd00:100::30/64"
}

# ------------------------------------------------------------------ the host starts behind evpnd
place_host ev evm
if speak evm; then pass "the host behind evpnd pings h1"; else fail "the host behind evpnd pings h1"; fi
check "evpnd: the MAC is local, sequence 0" wait_until 15 ev_mac_is local 0 0
check "FRR: the MAC is remote" wait_until 15 frr_mac_is remote

# ------------------------------------------------------------------ it moves behind FRR
# A host that moves leaves its old port silent, and the old leaf keeps its MAC until it
# ages out: the old location is made silent with a drop rule (not taken down, which
# would flush the bridge's entry). The host appears behind FRR while evpnd still
# advertises it: zebra sees a remote MAC turn local and advertises sequence 1; evpnd
# must give the MAC up and point it at FRR.
mute evm
place_host leaf leafm
if speak leafm; then pass "the host, moved behind FRR, pings h1"; else fail "the host, moved behind FRR, pings h1"; fi
if wait_until 15 ev_mac_is remote 0 1; then pass "evpnd: the MAC is remote now, FRR's sequence 1"
else fail "evpnd: the MAC is remote now, FRR's sequence 1" "evpnd: $(evpnd_mac) FRR: $(frr_mac)"; fi
check "evpnd's kernel: the MAC points at FRR's VTEP" wait_until 10 ev_fdb_has "^$M_MAC dst $LEAF_VTEP self extern_learn"
# Traffic follows: from evpnd's side (the SVI) to the host, now behind FRR.
if nsx ev ping -c 2 -i 0.3 -W 1 -q "$M_IP4" >/dev/null 2>&1; then pass "evpnd's leaf reaches the host behind FRR"
else fail "evpnd's leaf reaches the host behind FRR" "$(nsx ev bridge fdb show dev vxlan$VNI)"; fi

# ------------------------------------------------------------------ and back behind evpnd
mute leafm
unmute evm
if speak evm; then pass "the host, back behind evpnd, pings h1"; else fail "the host, back behind evpnd, pings h1"; fi
# (FRR then withdraws its route, so evpnd has no remote sequence left to show.)
if wait_until 15 ev_mac_is local 2 0; then pass "evpnd: the MAC is local again with sequence 2 (FRR's 1 + 1)"
else fail "evpnd: the MAC is local again with sequence 2 (FRR's 1 + 1)" "evpnd: $(evpnd_mac) FRR: $(frr_mac)"; fi
frr_remote_seq2() { frr_mac | jq -e '.type == "remote" and .remoteSequence == 2' >/dev/null; }
check "FRR: the MAC is remote with sequence 2, via evpnd" wait_until 15 frr_remote_seq2
frr_fdb_has() { nsx leaf bridge fdb show dev "vxlan$VNI" | grep -q "$1"; }
check "FRR's kernel: the MAC points at evpnd's VTEP" wait_until 10 frr_fdb_has "^$M_MAC dst $PEER_VTEP self extern_learn"
if nsx leafh ping -c 2 -i 0.3 -W 1 -q "$M_IP4" >/dev/null 2>&1; then pass "h1 reaches the host behind evpnd again"
else fail "h1 reaches the host behind evpnd again"; fi

# ------------------------------------------------------------------ a flapping MAC
# Two hosts with the same MAC, one behind each leaf, speak in turn: every turn is a move.
# At 5 moves within 180 s evpnd freezes the MAC (DAD) and shows it as duplicate.
unmute leafm
dup() { evpnd_mac | jq -e '.isDuplicate == true' >/dev/null; }
for i in 1 2 3 4 5 6; do
  speak leafm; sleep 1
  speak evm; sleep 1
  dup && break
done
check "evpnd: the flapping MAC is frozen as a duplicate (DAD, 5 moves in 180 s)" wait_until 10 dup
jq_check "evpnd counts the moves" "$(evpnd_mac)" '.detectionCount >= 5'
check "clear evpn dup-addr vni $VNI" evpnsh_c ev "clear evpn dup-addr vni $VNI"
not_dup() { evpnd_mac | jq -e '.isDuplicate == false' >/dev/null; }
check "the MAC is no longer frozen" wait_until 5 not_dup
F=$(evpnsh_c ev "show evpn fib json")
jq_check "FIB programmer: no failed operation" "$F" '.failed == 0'

ev_finish
