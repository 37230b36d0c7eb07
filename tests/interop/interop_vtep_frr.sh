#!/usr/bin/env bash
# evpnd as a VTEP leaf beside an FRR leaf: hosts behind each ping each other across
# VXLAN, with no test hook (evpnd runs without --enable-test-commands).
#
#   ns "leaf": FRR zebra + bgpd AS 65001, 10.10.0.1, VTEP 10.0.0.1, advertise-all-vni,
#              br100 + vxlan100, SVI 192.168.100.1/24, fd00:100::1/64
#   ns "leafh": host h1 02:00:00:00:01:0a 192.168.100.10, fd00:100::10 on leaf's br100
#   ns "ev":   evpnd AS 65002, 10.10.0.2, VTEP 10.0.0.2, advertise-all-vni, the same
#              br100 + vxlan100 (adopted, not created), SVI 192.168.100.2/24, fd00:100::2/64
#   ns "evh":  host h2 02:00:00:00:02:0a 192.168.100.20, fd00:100::20 on ev's br100
#
# What must hold: evpnd discovers VNI 100 and derives FRR's RD/RT; each side installs the
# other's flood entry (IMET, head-end replication), so ARP works before any MAC is known;
# h2 pings h1 over IPv4 and IPv6; evpnd learns h2's MAC and IPs from the kernel and
# advertises them (FRR installs them: bridge fdb, ip neigh); evpnd installs h1's MAC and
# neighbours as zebra does (extern_learn on vxlan100 with dst = FRR's VTEP); show evpn
# has it all with FRR's keys; `mac static` pins a MAC to h2's port and FRR receives it
# sticky; the anycast gateway MAC that FRR advertises is never installed by evpnd; when
# the session goes down the remote entries go, and come back with it.
. "$(dirname "$0")/lib.sh"
ev_require jq vtysh ping "$FRR_BIN/zebra" "$FRR_BIN/bgpd"
ev_require_evpnd "${1:-}" "${2:-}"
ev_init

EV_AS=65002; FRR_AS=65001   # as vtep_leaf_pair configures them
H2_MAC=02:00:00:00:02:0a; H2_IP4=192.168.100.20; H2_IP6=fd00:100::20
EV_SVI4=192.168.100.2; EV_SVI6=fd00:100::2
PIN_MAC=02:00:00:00:02:0b   # `mac static` on evpnd, on h2's port
GW_MAC=00:00:5e:00:01:01    # `anycast-gateway mac` on evpnd; FRR's leaf has it on a port

vtep_leaf_pair leaf ev "$EV_SVI4/24" "$EV_SVI6/64"
host_on_bridge ev "br$VNI" evh "$H2_MAC" "$H2_IP4/24" "$H2_IP6/64"
sed -i "/^ exit-address-family\$/i\\  vni $VNI\\n   mac static $PIN_MAC interface h-evh\\n   anycast-gateway mac $GW_MAC\\n  exit-vni" \
  "$(ev_dir ev)/evpnd.conf"
# zebra advertises a static entry on a port of its bridge as a local (sticky) MAC.
nsx leaf bridge fdb add "$GW_MAC" dev h-leafh master static
start_frr leaf
EVPND_TEST_COMMANDS=0 start_evpnd ev

session_up() { evpnd_established ev "$LEAF_ADDR" && frr_established leaf "$PEER_ADDR"; }
if wait_until 30 session_up; then pass "session Established on both sides"
else
  fail "session Established on both sides" "evpnd: $(evpnd_peer_state ev "$LEAF_ADDR"), FRR: $(frr_peer_state leaf "$PEER_ADDR")"
  ev_finish
fi

# ------------------------------------------------------------------ the instance
V=$(evpnsh_c ev "show evpn vni $VNI json")
jq_fields "evpnd VNI $VNI" "$V" \
  vni .vni "$VNI" \
  "vxlan device adopted" .vxlanInterface "vxlan$VNI" \
  bridge .bridge "br$VNI" \
  "VTEP address (vxlan local)" .vtepIp "$PEER_VTEP" \
  "auto RD router-id:2 (FRR's first VNI index)" .rd "$PEER_VTEP:2" \
  "auto import RT AS:VNI" '.importRts | join(",")' "$EV_AS:$VNI" \
  "auto export RT AS:VNI" '.exportRts | join(",")' "$EV_AS:$VNI"
FRD=$(frr_vni_rd leaf "$VNI")
check "FRR's own RD for the first VNI is also router-id:2 ($FRD)" test "$FRD" == "$LEAF_VTEP:2"

# ------------------------------------------------------------------ flooding (IMET)
ev_fdb() { nsx ev bridge fdb show dev "vxlan$VNI"; }
leaf_fdb() { nsx leaf bridge fdb show dev "vxlan$VNI"; }
ev_fdb_has() { ev_fdb | grep -q "$1"; }
leaf_fdb_has() { leaf_fdb | grep -q "$1"; }
check "evpnd installs FRR's flood entry (00:00:00:00:00:00 dst $LEAF_VTEP)" \
  wait_until 20 ev_fdb_has "^00:00:00:00:00:00 dst $LEAF_VTEP self permanent"
check "zebra installs evpnd's flood entry (IMET from evpnd)" \
  wait_until 20 leaf_fdb_has "^00:00:00:00:00:00 dst $PEER_VTEP self permanent"
frr_remote_vtep() { frr_vtysh leaf "show evpn vni $VNI" | grep -Eq "^ *$PEER_VTEP +flood: HER"; }
check "zebra lists evpnd as a remote VTEP, flood HER" wait_until 10 frr_remote_vtep

# ------------------------------------------------------------------ traffic
# h2 knows nothing of h1 yet: the first ARP request is flooded to FRR's VTEP.
if nsx evh ping -c 3 -i 0.3 -W 2 -q "$HOST_IP4" >/dev/null 2>&1; then pass "h2 (behind evpnd) pings h1 (behind FRR) over IPv4"
else fail "h2 (behind evpnd) pings h1 (behind FRR) over IPv4" "$(ev_fdb; nsx ev ip neigh)"; fi
if nsx leafh ping -c 3 -i 0.3 -W 2 -q "$H2_IP4" >/dev/null 2>&1; then pass "h1 pings h2 over IPv4"
else fail "h1 pings h2 over IPv4"; fi
if nsx evh ping -c 3 -i 0.3 -W 2 -q "$HOST_IP6" >/dev/null 2>&1; then pass "h2 pings h1 over IPv6"
else fail "h2 pings h1 over IPv6"; fi
if nsx leafh ping -c 3 -i 0.3 -W 2 -q "$H2_IP6" >/dev/null 2>&1; then pass "h1 pings h2 over IPv6"
else fail "h1 pings h2 over IPv6"; fi
# The hosts also talk to their leaf's SVI, so each leaf's neighbour table has them.
host_ping evh "$EV_SVI4" "$EV_SVI6"
host_ping leafh "$SVI4" "$SVI6"

# ------------------------------------------------------------------ evpnd -> FRR (local learning)
check "zebra installs h2's MAC via evpnd's VTEP (extern_learn)" \
  wait_until 20 leaf_fdb_has "^$H2_MAC dst $PEER_VTEP self extern_learn"
leaf_neigh_has() { nsx leaf ip neigh show dev "br$VNI" | grep -q "^$1 .*lladdr $2"; }
check "zebra installs h2's IPv4 neighbour ($H2_IP4 -> $H2_MAC)" wait_until 20 leaf_neigh_has "$H2_IP4" "$H2_MAC"
check "zebra installs h2's IPv6 neighbour ($H2_IP6 -> $H2_MAC)" wait_until 20 leaf_neigh_has "$H2_IP6" "$H2_MAC"
P=$(frr_paths leaf)
expect_frr_macip "evpnd->FRR h2 MAC" "$P" "$PEER_VTEP:2" "$H2_MAC" "" "$VNI" "$PEER_VTEP" "$EV_AS:$VNI"
expect_frr_macip "evpnd->FRR h2 MAC+IPv4" "$P" "$PEER_VTEP:2" "$H2_MAC" "$H2_IP4" "$VNI" "$PEER_VTEP" "$EV_AS:$VNI"
expect_frr_imet "evpnd->FRR IMET" "$P" "$PEER_VTEP:2" "$PEER_VTEP" "$PEER_VTEP" "$EV_AS:$VNI" "$VNI"

# ------------------------------------------------------------------ FRR -> evpnd (the FIB)
check "evpnd installs h1's MAC as zebra does (dst $LEAF_VTEP, extern_learn)" \
  wait_until 20 ev_fdb_has "^$HOST_MAC dst $LEAF_VTEP self extern_learn"
# iproute2 prints the bridge's entry as "MAC extern_learn master brN".
check "evpnd installs h1's MAC in the bridge too (master br$VNI, extern_learn)" \
  wait_until 20 ev_fdb_has "^$HOST_MAC extern_learn master br$VNI"
ev_neigh_has() { nsx ev ip neigh show dev "br$VNI" | grep -q "^$1 .*lladdr $2"; }
check "evpnd installs h1's IPv4 neighbour for ARP suppression" wait_until 20 ev_neigh_has "$HOST_IP4" "$HOST_MAC"
check "evpnd installs h1's IPv6 neighbour" wait_until 20 ev_neigh_has "$HOST_IP6" "$HOST_MAC"
M=$(evpnsh_c ev "show evpn mac vni $VNI json")
jq_fields "evpnd MAC table" "$M" \
  "h1 remote" ".macs[\"$HOST_MAC\"].type" remote \
  "h1 via FRR's VTEP" ".macs[\"$HOST_MAC\"].remoteVtep" "$LEAF_VTEP" \
  "h2 local" ".macs[\"$H2_MAC\"].type" local \
  "h2 on its port" ".macs[\"$H2_MAC\"].intf" "h-evh"
A=$(evpnsh_c ev "show evpn arp-cache vni $VNI json")
jq_fields "evpnd ARP/ND cache" "$A" \
  "h1 IPv4 remote" ".[\"$HOST_IP4\"].type" remote \
  "h2 IPv4 local" ".[\"$H2_IP4\"].type" local \
  "h2 IPv4 MAC" ".[\"$H2_IP4\"].mac" "$H2_MAC"

# ------------------------------------------------------------------ mac static, anycast gateway
ev_bridge_fdb_has() { nsx ev bridge fdb show br "br$VNI" | grep -q "$1"; }
check "evpnd pins the static MAC on h2's port (bridge fdb ... static)" \
  wait_until 10 ev_bridge_fdb_has "^$PIN_MAC dev h-evh master br$VNI static"
frr_has_pinned() { frr_paths leaf | jq -e --arg m "$PIN_MAC" '.[] | select(.routeType==2 and .mac==$m)' >/dev/null; }
check "FRR receives the static MAC's Type-2" wait_until 20 frr_has_pinned
P=$(frr_paths leaf)
check_eq "FRR sees the static MAC sticky (MAC mobility community, RFC 7432 §15.2)" "MM:0, sticky MAC" \
  "$(jq -r --arg m "$PIN_MAC" '[.[] | select(.routeType==2 and .mac==$m and (.ip // "")=="")][0].extendedCommunity.string
        | [scan("MM:[0-9]+, sticky MAC")] | first // "none"' <<<"$P")"
frr_has_gw() { frr_paths leaf | jq -e --arg m "$GW_MAC" '.[] | select(.routeType==2 and .mac==$m)' >/dev/null; }
check "FRR advertises its leaf's entry for the gateway MAC" wait_until 20 frr_has_gw
D=$(evpnsh_c ev "show evpn mac vni $VNI mac $PIN_MAC json")
jq_fields "evpnd static MAC detail" "$D" \
  "local on h2's port" ".[\"$PIN_MAC\"].intf" "h-evh" \
  "sticky" ".[\"$PIN_MAC\"].stickyMac" true
G=$(evpnsh_c ev "show evpn mac vni $VNI mac $GW_MAC json")
check_eq "evpnd marks the gateway MAC as such" true "$(jq -r --arg m "$GW_MAC" '.[$m].defaultGateway // "absent"' <<<"$G")"
if ev_bridge_fdb_has "^$GW_MAC"; then fail "evpnd installs no kernel entry for the gateway MAC" "$(nsx ev bridge fdb show br "br$VNI")"
else pass "evpnd installs no kernel entry for the gateway MAC"; fi
R=$(evpnsh_c ev "show evpn mac vni $VNI vtep $LEAF_VTEP json")
check_eq "show evpn mac vni $VNI vtep $LEAF_VTEP lists h1 only" "$HOST_MAC" "$(jq -r '.macs | keys | join(",")' <<<"$R")"
VD=$(evpnsh_c ev "show evpn vni detail")
if grep -q "Static MAC: $PIN_MAC interface h-evh" <<<"$VD" && grep -q "Anycast gateway MAC: $GW_MAC" <<<"$VD"; then
  pass "show evpn vni detail names the static MAC and the gateway"
else fail "show evpn vni detail names the static MAC and the gateway" "$VD"; fi

F=$(evpnsh_c ev "show evpn fib json")
jq_check "FIB programmer: no failed operation" "$F" '.failed == 0'
jq_check "FIB programmer: entries installed" "$F" '.installed >= 4'

# ------------------------------------------------------------------ session down and up
# Dropping the link's packets takes the session down at the hold time (9 s): the remote
# entries must go. The link carries the VXLAN traffic too.
silence ev eth0
down() { ! evpnd_established ev "$LEAF_ADDR"; }
check "session down with the link silenced" wait_until 20 down
gone() { ! ev_fdb | grep -q "dst $LEAF_VTEP"; }
check "remote MACs and the flood entry to FRR's VTEP are gone from the kernel" wait_until 10 gone
neigh_gone() { ! ev_neigh_has "$HOST_IP4" "$HOST_MAC"; }
check "h1's neighbour entry is gone" wait_until 10 neigh_gone
unsilence ev eth0
check "session back up" wait_until 30 session_up
check "h1's MAC is back (dst $LEAF_VTEP)" wait_until 20 ev_fdb_has "^$HOST_MAC dst $LEAF_VTEP self extern_learn"
check "the flood entry is back" wait_until 20 ev_fdb_has "^00:00:00:00:00:00 dst $LEAF_VTEP self permanent"
if nsx evh ping -c 3 -i 0.3 -W 2 -q "$HOST_IP4" >/dev/null 2>&1; then pass "h2 pings h1 again"
else fail "h2 pings h1 again"; fi

ev_finish
