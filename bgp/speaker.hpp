#pragma once
// bgp::Speaker: the BGP instance. It listens for connections, runs one Peer per
// configured neighbor, owns the Loc-RIBs (rib::EvpnRib for l2vpn evpn, rib::Ipv4Rib for
// ipv4 unicast) that every peer's Adj-RIB-In and the routes evpnd originates feed, and
// advertises each key's best path to every peer that may have it (RFC 4271 §9.2, RFC
// 4456 route reflection). Everything runs on one io_context.
//
// Changes are batched: peers apply UPDATEs to the RIB as they read them, and the first
// change of a pass posts one flush, which runs best path over the dirty keys and hands
// the changed keys to the family's update groups (bgp/update_groups.hpp): peers with the
// same export settings share one encoded stream and one Adj-RIB-Out, sent in key order as
// their output queues allow, so a slow reader holds about one part of encoded output,
// not the whole table.
#include "bgp/asio.hpp"
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bgp/clock.hpp"
#include "bgp/config.hpp"
#include "bgp/outbound.hpp"
#include "bgp/peer.hpp"
#include "bgp/peer_view.hpp"
#include "bgp/tcp_transport.hpp"
#include "bgp/update_groups.hpp"
#include "evpn/nlri.hpp"
#include "evpn/route_key_order.hpp"
#include "rib/attr_store.hpp"
#include "rib/adj_rib_in.hpp"
#include "rib/loc_rib.hpp"
#include "rib/path_table.hpp"

namespace evpnd::bgp {

struct SpeakerOptions {
  std::optional<wire::IpAddress> listen_address;  // unset: all IPv4 and IPv6 addresses
  std::uint16_t port = 179;
  bool listen = true;
  SessionLimits limits;  // per session: output cap, RFC 9687 send hold time
  // The seams of the conformance harness: when set, the speaker's time and outgoing
  // connections are these (a manual clock, in-memory pipes) instead of the steady clock
  // and TCP. Not owned; they outlive the speaker.
  Clock* clock = nullptr;
  Connector* connector = nullptr;
};

class Speaker {
 public:
  Speaker(asio::io_context& io, BgpConfig config, SpeakerOptions options);
  ~Speaker();
  Speaker(const Speaker&) = delete;
  Speaker& operator=(const Speaker&) = delete;

  // Opens the listeners and starts every peer. Returns an error text when the
  // listener cannot bind (the port is taken, say).
  std::optional<std::string> start();
  // Sends Cease/Administrative Shutdown to every peer, waits (bounded) for the
  // NOTIFICATIONs to leave, then calls `done`.
  void shutdown(std::function<void()> done);
  // An inbound connection from `from` (what the listeners do with each one they accept;
  // the harness hands in its pipes here). False: not a configured neighbor, refused.
  bool accept(std::unique_ptr<Transport> connection, const wire::IpAddress& from);

  [[nodiscard]] const BgpConfig& config() const { return config_; }
  // The time the speaker runs on (PeerView's times are on it).
  [[nodiscard]] Clock::TimePoint now() const { return clock_.now(); }
  [[nodiscard]] std::vector<PeerView> peers() const;
  // A copy of `peer`'s Adj-RIB-In (show); nullopt: no such neighbor.
  [[nodiscard]] std::optional<rib::PathTable> adj_rib_in(const wire::IpAddress& peer) const;
  [[nodiscard]] rib::PathTable originated() const { return originated_.snapshot(); }
  [[nodiscard]] const rib::EvpnRib& rib() const { return rib_; }
  [[nodiscard]] const rib::Ipv4Rib& ipv4_rib() const { return ipv4_rib_; }
  // How many keys `peer` was sent and holds (its Adj-RIB-Out); 0 for an unknown neighbor.
  [[nodiscard]] std::size_t advertised_to(const wire::IpAddress& peer) const;
  // What `peer` was sent and holds, with the attributes as it was sent them (`show bgp
  // l2vpn evpn neighbors X advertised-routes`); nullopt: no such neighbor.
  [[nodiscard]] std::optional<rib::PathTable> advertised_routes(const wire::IpAddress& peer) const;
  [[nodiscard]] std::vector<wire::IpAddress> peer_addresses() const;
  // `show bgp update-groups`: each group with its members' addresses.
  struct UpdateGroupView {
    UpdateGroupInfo group;
    wire::AfiSafi family;
    std::vector<wire::IpAddress> members;
  };
  // ipv4 unicast: the prefixes `peer` was sent with the attributes as sent (`show bgp
  // ipv4 unicast neighbors X advertised-routes`); nullopt: no such neighbor.
  struct SentPrefix {
    wire::Prefix prefix;
    rib::AttrRef attrs;
  };
  [[nodiscard]] std::optional<std::vector<SentPrefix>> advertised_prefixes(const wire::IpAddress& peer) const;
  [[nodiscard]] std::vector<UpdateGroupView> update_groups() const;  // l2vpn evpn, then ipv4 unicast
  // Both families' groups together.
  [[nodiscard]] UpdateGroupCounters update_group_totals() const;

  // Locally originated routes. `attrs` holds ORIGIN, the MP next hop (in an MP_REACH
  // with no NLRI), extended communities and PMSI; AS_PATH and LOCAL_PREF are added per
  // peer. A route with the same key replaces the previous one.
  void originate(const evpn::EvpnNlri& nlri, wire::PathAttributes attrs);
  // Many routes sharing one attribute set, sent packed (bulk test origination).
  void originate(const std::vector<evpn::EvpnNlri>& nlri, wire::PathAttributes attrs);
  bool withdraw_originated(const evpn::EvpnNlri& nlri);
  // `network A.B.C.D/M` (ipv4 unicast): ORIGIN IGP, no MED, the next hop our address on
  // each session. Originated whether or not the kernel has a route to it (FRR's `no bgp
  // network import-check`): this speaker does not read the kernel's routes yet.
  void originate_prefix(const wire::Prefix& prefix);
  bool withdraw_prefix(const wire::Prefix& prefix);

  // The VTEP's import (leaf/leaf.hpp) hears of every l2vpn evpn best-path change, once
  // per flush, in key order, after the update groups; it reads the paths in rib().
  using EvpnListener = std::function<void(std::span<const rib::EvpnRib::BestChange>)>;
  void on_evpn_changes(EvpnListener listener) { evpn_listener_ = std::move(listener); }

  // Holds back the initial table (and its End-of-RIB) of `family` from sessions that
  // come up, until release: the leaf's own routes (its local hosts, read from the kernel
  // at start) are then in it. A restarted speaker's End-of-RIB tells a graceful-restart
  // helper to drop whatever of ours it did not hear again (RFC 4724 §4.2), so it must
  // not go out before them.
  void defer_initial_tables(wire::AfiSafi family);
  void release_initial_tables(wire::AfiSafi family);

  // `clear bgp *|X` (hard), `clear bgp ... soft [in|out]`. False: no such neighbor (or,
  // for soft in, a peer without route refresh).
  enum class Clear : std::uint8_t { Hard, SoftIn, SoftOut, Soft };
  bool clear(const std::optional<wire::IpAddress>& peer, Clear how);

 private:
  void accept_on(tcp::acceptor& acceptor);
  void set_listener_options(tcp::acceptor& acceptor);
  void start_table(Peer& peer, wire::AfiSafi family, TableSendReason reason);
  Peer* find_peer(const wire::IpAddress& a);
  const Peer* find_peer(const wire::IpAddress& a) const;
  void schedule_flush();
  void flush();

  asio::io_context& io_;
  BgpConfig config_;
  SpeakerOptions options_;
  std::unique_ptr<SteadyClock> steady_clock_;     // unless options_.clock
  std::unique_ptr<TcpConnector> tcp_connector_;   // unless options_.connector
  Clock& clock_;
  Connector& connector_;
  // Mutable: show's advertised-routes interns the attributes as sent here too, so a
  // snapshot shares one set per distinct export (and releases it when it goes).
  mutable rib::AttrStore attrs_;
  rib::EvpnRib rib_;
  rib::OriginatedRoutes originated_{rib_, rib::kLocalPeer};
  UpdateGroups groups_;
  rib::Ipv4Rib ipv4_rib_;
  rib::OriginatedPrefixes originated_v4_{ipv4_rib_, rib::kLocalPeer};
  Ipv4UpdateGroups ipv4_groups_;
  std::vector<std::unique_ptr<Peer>> peers_;
  std::vector<wire::AfiSafi> deferred_families_;
  std::vector<std::pair<wire::IpAddress, wire::AfiSafi>> deferred_tables_;  // sessions waiting
  bool flush_scheduled_ = false;
  EvpnListener evpn_listener_;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors_;
  std::unique_ptr<Timer> shutdown_timer_;
};

}  // namespace evpnd::bgp
