#pragma once
// bgp::Speaker: the BGP instance. It listens for connections, runs one Peer per
// configured neighbor, holds the routes evpnd originates, and sends them to every peer
// that exchanges L2VPN EVPN with us. Everything runs on one io_context.
//
// Until the RIB milestone there is no best-path selection and nothing is re-advertised:
// each peer's routes stay in its own Adj-RIB-In, and peers receive only the routes
// originated here (the test hooks of `test evpn originate`).
//
// A table is sent in parts: a part is encoded only when the peer's output queue has
// drained below its low-water mark, so a peer that reads slowly holds at most about one
// part of encoded output, not the whole table.
#include "bgp/asio.hpp"
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bgp/config.hpp"
#include "bgp/peer.hpp"
#include "bgp/peer_view.hpp"
#include "evpn/nlri.hpp"
#include "rib/attr_store.hpp"
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
  [[nodiscard]] const rib::AdjRibIn* adj_rib_in(const wire::IpAddress& peer) const;
  [[nodiscard]] const rib::OriginatedRoutes& originated() const { return originated_; }
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
    std::vector<rib::PathKey> keys;  // the table in key order when the send started
    std::size_t next = 0;
  };

  void accept_on(tcp::acceptor& acceptor);
  void set_listener_options(tcp::acceptor& acceptor);
  void start_table(Peer& peer, wire::AfiSafi family, TableSendReason reason);
  void continue_tables(Peer& peer);
  Peer* find_peer(const wire::IpAddress& a);

  asio::io_context& io_;
  BgpConfig config_;
  SpeakerOptions options_;
  rib::AttrStore attrs_;
  rib::OriginatedRoutes originated_;
  std::vector<std::unique_ptr<Peer>> peers_;
  std::map<const Peer*, std::vector<TableSend>> table_sends_;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors_;
  std::unique_ptr<asio::steady_timer> shutdown_timer_;
};

}  // namespace evpnd::bgp
