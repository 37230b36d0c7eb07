#pragma once
// bgp::Speaker: the BGP instance. It listens for connections, runs one Peer per
// configured neighbor, owns the EVPN Loc-RIB (rib::EvpnRib) that every peer's Adj-RIB-In
// and the routes evpnd originates feed, and advertises each key's best path to every
// peer that may have it (RFC 4271 §9.2, RFC 4456 route reflection). Everything runs on
// one io_context.
//
// Changes are batched: peers apply UPDATEs to the RIB as they read them, and the first
// change of a pass posts one flush, which runs best path over the dirty keys and adds
// each changed key to every peer's pending set; a peer is sent its pending keys in key
// order as its output queue allows. Each peer has an Adj-RIB-Out of the keys it was
// sent, so a withdrawal goes only to peers that got the route.
//
// A table is sent in parts: a part is encoded only when the peer's output queue has
// drained below its low-water mark, so a peer that reads slowly holds at most about one
// part of encoded output, not the whole table.
#include "bgp/asio.hpp"
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bgp/config.hpp"
#include "bgp/outbound.hpp"
#include "bgp/peer.hpp"
#include "bgp/peer_view.hpp"
#include "evpn/nlri.hpp"
#include "evpn/route_key_order.hpp"
#include "rib/attr_store.hpp"
#include "rib/adj_rib_in.hpp"
#include "rib/evpn_rib.hpp"
#include "rib/path_table.hpp"

namespace evpnd::bgp {

struct SpeakerOptions {
  std::optional<wire::IpAddress> listen_address;  // unset: all IPv4 and IPv6 addresses
  std::uint16_t port = 179;
  bool listen = true;
  SessionLimits limits;  // per session: output cap, RFC 9687 send hold time
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

  [[nodiscard]] const BgpConfig& config() const { return config_; }
  [[nodiscard]] std::vector<PeerView> peers() const;
  // A copy of `peer`'s Adj-RIB-In (show); nullopt: no such neighbor.
  [[nodiscard]] std::optional<rib::PathTable> adj_rib_in(const wire::IpAddress& peer) const;
  [[nodiscard]] rib::PathTable originated() const { return originated_.snapshot(); }
  [[nodiscard]] const rib::EvpnRib& rib() const { return rib_; }
  // How many keys `peer` was sent and holds (its Adj-RIB-Out); 0 for an unknown neighbor.
  [[nodiscard]] std::size_t advertised_to(const wire::IpAddress& peer) const;
  // What `peer` was sent and holds, with the attributes as it was sent them (`show bgp
  // l2vpn evpn neighbors X advertised-routes`); nullopt: no such neighbor.
  [[nodiscard]] std::optional<rib::PathTable> advertised_routes(const wire::IpAddress& peer) const;
  [[nodiscard]] std::vector<wire::IpAddress> peer_addresses() const;

  // Locally originated routes. `attrs` holds ORIGIN, the MP next hop (in an MP_REACH
  // with no NLRI), extended communities and PMSI; AS_PATH and LOCAL_PREF are added per
  // peer. A route with the same key replaces the previous one.
  void originate(const evpn::EvpnNlri& nlri, wire::PathAttributes attrs);
  // Many routes sharing one attribute set, sent packed (bulk test origination).
  void originate(const std::vector<evpn::EvpnNlri>& nlri, wire::PathAttributes attrs);
  bool withdraw_originated(const evpn::EvpnNlri& nlri);

  // `clear bgp *|X` (hard), `clear bgp ... soft [in|out]`. False: no such neighbor (or,
  // for soft in, a peer without route refresh).
  enum class Clear : std::uint8_t { Hard, SoftIn, SoftOut, Soft };
  bool clear(const std::optional<wire::IpAddress>& peer, Clear how);

 private:
  // Where a table send of one family to one peer has got to.
  struct TableSend {
    wire::AfiSafi family;
    TableSendReason reason = TableSendReason::Initial;
    std::optional<evpn::EvpnRouteKey> after;  // the last key sent; unset: from the start
    bool done = false;
  };
  // One peer's UPDATEs being gathered: announcements grouped by the attribute set they
  // are sent with (in the order the sets first appear, so output follows key order),
  // and withdrawals.
  struct Outgoing {
    // The export of a path depends on its attributes and its source (AS path, ORIGINATOR_ID).
    struct GroupKey {
      const rib::InternedAttributes* attrs;
      rib::PeerId from;
      friend bool operator==(const GroupKey&, const GroupKey&) = default;
    };
    struct GroupKeyHash {
      std::size_t operator()(const GroupKey& k) const {
        return std::hash<const void*>{}(k.attrs) * 31 + k.from.value;
      }
    };
    std::vector<std::pair<GroupKey, std::vector<evpn::EvpnNlri>>> groups;
    std::unordered_map<GroupKey, std::size_t, GroupKeyHash> index;  // into groups
    std::vector<evpn::EvpnNlri> withdrawals;
  };

  void accept_on(tcp::acceptor& acceptor);
  void set_listener_options(tcp::acceptor& acceptor);
  void start_table(Peer& peer, wire::AfiSafi family, TableSendReason reason);
  void continue_tables(Peer& peer);
  Peer* find_peer(const wire::IpAddress& a);
  void schedule_flush();
  void flush();
  // Sends `peer` its pending changes, a part at a time while its queue is below the
  // high-water mark (the rest waits for the queue to drain, coalescing further changes).
  void drain_pending(Peer& peer);
  // Adds `key`'s best path to `out` if `peer` may have it (and records it in the peer's
  // Adj-RIB-Out); otherwise a withdrawal if the peer had it. False: nothing to send.
  bool export_key(Peer& peer, const evpn::EvpnRouteKey& key, const rib::EvpnRib::Entry* entry, Outgoing& out);
  void send(Peer& peer, Outgoing& out);
  [[nodiscard]] ExportContext export_context(const Peer& peer) const;

  asio::io_context& io_;
  BgpConfig config_;
  SpeakerOptions options_;
  rib::AttrStore attrs_;
  rib::EvpnRib rib_;
  rib::OriginatedRoutes originated_{rib_, rib::kLocalPeer};
  std::vector<std::unique_ptr<Peer>> peers_;
  std::map<const Peer*, std::unordered_set<evpn::EvpnRouteKey>> adj_out_;
  // Keys whose best path changed and that a peer has not been sent yet, in key order. A
  // slow peer costs a key per changed route here, not encoded UPDATEs, and a route that
  // comes and goes before it drains costs it nothing.
  std::map<const Peer*, std::set<evpn::EvpnRouteKey, evpn::RouteKeyLess>> pending_;
  bool flush_scheduled_ = false;
  std::map<const Peer*, std::vector<TableSend>> table_sends_;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors_;
  std::unique_ptr<asio::steady_timer> shutdown_timer_;
};

}  // namespace evpnd::bgp
