#pragma once
// bgp::Peer: one configured neighbor. It owns the session (and, during a connection
// collision, the second one), the neighbor's Adj-RIB-In, and the decision of what to do
// with an inbound connection. It knows nothing of other peers; the Speaker wires it.
#include "bgp/asio.hpp"
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bgp/config.hpp"
#include "bgp/inbound.hpp"
#include "bgp/peer_view.hpp"
#include "bgp/session.hpp"
#include "rib/attr_store.hpp"
#include "rib/path_table.hpp"

namespace evpnd::bgp {

class Peer {
 public:
  struct Hooks {
    // The session reached Established: the speaker sends its routes and End-of-RIB.
    std::function<void(Peer&)> established;
    // The peer asked for our routes again (ROUTE-REFRESH).
    std::function<void(Peer&)> refresh_requested;
  };

  Peer(asio::io_context& io, const BgpConfig& global, NeighborConfig config, rib::AttrStore& attrs, Hooks hooks);
  ~Peer();
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  void start();
  // An inbound TCP connection from this neighbor's address.
  void accept(tcp::socket socket);
  // Cease to the peer (Administrative Shutdown), no restart.
  void shutdown(const std::string& reason);

  // Sends whole encoded UPDATEs on the established session.
  void send_updates(std::vector<wire::ByteVec> messages, std::size_t nlri_count, bool withdrawal);
  // Before a full table is sent again (ROUTE-REFRESH), the count of routes sent restarts.
  void reset_prefixes_sent() { prefixes_sent_ = 0; }

  [[nodiscard]] const NeighborConfig& config() const { return config_; }
  [[nodiscard]] bool established() const;
  [[nodiscard]] bool ibgp() const;
  // EVPN negotiated and, on eBGP, not blocked by RFC 8212.
  [[nodiscard]] bool exchanges_evpn() const;
  [[nodiscard]] const wire::CodecContext& codec() const;
  [[nodiscard]] const rib::AdjRibIn& adj_rib_in() const { return adj_in_; }
  [[nodiscard]] PeerView view() const;
  [[nodiscard]] bool has_pending_output() const;

 private:
  std::shared_ptr<Session> make_session(const std::string& tag);
  void on_up(Session& s, const fsm::Negotiated& n);
  void on_down(Session& s, const std::string& reason, bool was_established);
  void on_state(Session& s, fsm::State from, fsm::State to);
  void on_update(Session& s, const wire::DecodedUpdate& u);
  void resolve_collision(Session& fresh);
  [[nodiscard]] bool policy_blocked() const;

  asio::io_context& io_;
  const BgpConfig& global_;
  NeighborConfig config_;
  fsm::PeerConfig fsm_config_;
  SessionEndpoint endpoint_;
  rib::AttrStore& attrs_;
  Hooks hooks_;
  std::string name_;

  std::shared_ptr<Session> main_;
  std::shared_ptr<Session> candidate_;  // inbound connection during a collision
  bool shut_down_ = false;

  std::optional<fsm::Negotiated> negotiated_;
  rib::AdjRibIn adj_in_;
  std::optional<std::chrono::steady_clock::time_point> established_since_;
  std::uint32_t established_transitions_ = 0;
  std::uint32_t dropped_ = 0;
  std::size_t prefixes_sent_ = 0;
  std::size_t prefixes_filtered_ = 0;
  std::size_t prefixes_looped_ = 0;
  std::uint64_t end_of_rib_received_ = 0;
};

// The neighbor address of an accepted connection (IPv4-mapped IPv6 unmapped).
wire::IpAddress peer_address_of(const tcp::endpoint& ep);

// FRR's `neighbor X update-source`: an address, or an interface whose first address of
// the neighbor's family is used. nullopt if the interface has none (logged by the caller).
std::optional<wire::IpAddress> resolve_update_source(const std::string& source, wire::IpAddress::Family family);

}  // namespace evpnd::bgp
