#pragma once
// bgp::Peer: one configured neighbor. It owns the session (and, while a second
// connection is tracked, RFC 4271 §6.8, the other one), the neighbor's Adj-RIB-In, and
// the decisions that are the neighbor's alone: what to do with an inbound connection,
// RFC 7313 stale marking on BoRR/EoRR, maximum-prefix, the per-rule counts of what its
// UPDATEs made us note. It knows nothing of other peers; the Speaker wires it.
#include "bgp/asio.hpp"
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bgp/config.hpp"
#include "bgp/export_peer.hpp"
#include "bgp/finding_log.hpp"
#include "bgp/inbound.hpp"
#include "bgp/peer_view.hpp"
#include "bgp/session.hpp"
#include "rib/attr_store.hpp"
#include "rib/path_table.hpp"

namespace evpnd::bgp {

class Peer final : public ExportPeer {
 public:
  struct Hooks {
    // The session reached Established, or the peer asked for a family again
    // (ROUTE-REFRESH, `clear bgp X soft out`): the speaker sends that family's routes.
    std::function<void(Peer&, wire::AfiSafi, TableSendReason)> send_table;
    // The output queue drained below the low-water mark after notify_when_drained().
    std::function<void(Peer&)> output_drained;
    // The peer's paths in the Loc-RIB changed (an UPDATE, a session down, a stale
    // sweep): the speaker runs best path once the current read pass is over.
    std::function<void(Peer&)> routes_changed;
  };

  struct Options {
    SessionLimits limits;
    // RFC 7313 §4 gives no value; FRR's `bgp graceful-restart stalepath-time` default.
    std::chrono::seconds stale_path_time{360};
  };

  // `rib`, `ipv4_rib` and `id`: the Loc-RIBs this peer's Adj-RIB-Ins keep in step, and its
  // source id there (the same in both).
  Peer(SessionIo io, const BgpConfig& global, NeighborConfig config, rib::AttrStore& attrs, rib::EvpnRib& rib,
       rib::Ipv4Rib& ipv4_rib, rib::PeerId id, Hooks hooks, Options options);
  ~Peer() override;
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  void start();
  // An inbound connection from this neighbor's address (TCP, or the harness's pipe).
  void accept(tcp::socket socket);
  void accept(std::unique_ptr<Transport> connection);
  // Ends the session for good with Cease/Administrative Shutdown, no restart.
  // `restarting`: evpnd is stopping and will be back; with graceful restart negotiated
  // the session then ends without the NOTIFICATION (RFC 4724).
  void shutdown(const std::string& reason, bool restarting = false);
  // `clear bgp X`: Cease/Administrative Reset and a prompt restart; a session that stays
  // down (maximum-prefix) is started again.
  void clear();
  // `clear bgp X soft in`: ROUTE-REFRESH for every negotiated family. False when the
  // peer did not advertise route refresh.
  bool request_refresh();

  // Sends whole encoded UPDATEs on the established session.
  void send_updates(std::vector<wire::ByteVec> messages);
  void send_message(wire::ByteVec message, wire::MessageType type);
  // ExportPeer: what its update group needs.
  void send_shared(std::span<const SharedMessage> messages, wire::MessageType type) override;
  void set_prefixes_sent(wire::AfiSafi family, std::size_t n) override;
  void notify_when_drained() override;
  [[nodiscard]] bool exports(wire::AfiSafi family) const override;
  [[nodiscard]] ExportKey export_key(wire::AfiSafi family) const override;

  [[nodiscard]] const NeighborConfig& config() const { return config_; }
  [[nodiscard]] bool established() const;
  [[nodiscard]] bool ibgp() const;
  // EVPN negotiated and, on eBGP, not blocked by RFC 8212.
  [[nodiscard]] bool exchanges_evpn() const;
  [[nodiscard]] bool family_active(wire::AfiSafi f) const;
  [[nodiscard]] bool enhanced_route_refresh() const override {
    return negotiated_ && negotiated_->enhanced_route_refresh;
  }
  [[nodiscard]] const wire::CodecContext& codec() const override;
  [[nodiscard]] const rib::AdjRibIn& adj_rib_in() const { return tables_.evpn; }
  [[nodiscard]] rib::PeerId rib_id() const override { return rib_id_; }
  // Our address on the established session (for next-hop-self).
  [[nodiscard]] std::optional<wire::IpAddress> local_address() const;
  [[nodiscard]] const PeerTables& tables() const { return tables_; }
  [[nodiscard]] PeerView view() const;
  [[nodiscard]] bool has_pending_output() const;
  [[nodiscard]] std::size_t queued_bytes() const override;

 private:
  std::shared_ptr<Session> make_session(const std::string& tag);
  void on_up(Session& s, const fsm::Negotiated& n);
  void on_down(Session& s, const std::string& reason, bool was_established);
  void on_state(Session& s, fsm::State from, fsm::State to);
  void on_update(Session& s, const wire::DecodedUpdate& u, wire::ByteSpan raw);
  void on_route_refresh(Session& s, const wire::RouteRefreshMessage& m);
  void resolve_collision(Session& fresh);
  void check_maximum_prefix(wire::AfiSafi family, std::size_t count);
  void sweep_stale(wire::AfiSafi family, const char* why);
  [[nodiscard]] bool policy_blocked() const;

  SessionIo io_;
  const BgpConfig& global_;
  std::chrono::steady_clock::time_point created_at_;  // the R bit's window starts here
  NeighborConfig config_;
  fsm::PeerConfig fsm_config_;
  SessionEndpoint endpoint_;
  rib::AttrStore& attrs_;
  rib::EvpnRib& rib_;
  rib::Ipv4Rib& ipv4_rib_;
  rib::PeerId rib_id_;
  Hooks hooks_;
  Options options_;
  std::string name_;

  std::shared_ptr<Session> main_;
  std::shared_ptr<Session> candidate_;  // a second connection, until its OPEN decides (§6.8)
  bool shut_down_ = false;

  std::optional<fsm::Negotiated> negotiated_;
  PeerTables tables_;
  FindingLog findings_;
  // RFC 7313 §4: a BoRR marked the family's paths stale; the EoRR (or this timer)
  // sweeps what was not announced again.
  struct StaleRefresh {
    wire::AfiSafi family;
    std::unique_ptr<Timer> timer;
  };
  std::vector<StaleRefresh> stale_refresh_;
  std::vector<wire::AfiSafi> max_prefix_warned_;  // threshold warnings already given
  // Maximum-prefix closed the session: inbound connections are refused until `clear bgp`
  // or, with `restart`, until this time (FRR's PEER_STATUS_PREFIX_OVERFLOW).
  bool prefix_overflow_ = false;
  std::optional<std::chrono::steady_clock::time_point> prefix_overflow_until_;
  std::optional<std::chrono::steady_clock::time_point> established_since_;
  std::uint32_t established_transitions_ = 0;
  std::uint32_t dropped_ = 0;
  std::string last_reset_;  // why the last Established session ended
  std::size_t prefixes_sent_ = 0;       // l2vpn evpn
  std::size_t ipv4_prefixes_sent_ = 0;
  std::size_t prefixes_filtered_ = 0;
  std::size_t prefixes_looped_ = 0;
  std::uint64_t unknown_route_types_ = 0;
  std::uint64_t not_negotiated_ = 0;
  std::uint64_t invalid_type5_ = 0;
  std::uint64_t end_of_rib_received_ = 0;
  std::vector<wire::AfiSafi> end_of_rib_families_;  // End-of-RIB received this session
  std::uint64_t refresh_ignored_ = 0;
  std::uint64_t collisions_resolved_ = 0;  // connections closed by RFC 4271 §6.8  // ROUTE-REFRESH for a family not negotiated, or an unknown subtype
};

// The neighbor address of an accepted connection (IPv4-mapped IPv6 unmapped).
wire::IpAddress peer_address_of(const tcp::endpoint& ep);

// FRR's `neighbor X update-source`: an address, or an interface whose first address of
// the neighbor's family is used. nullopt if the interface has none (logged by the caller).
std::optional<wire::IpAddress> resolve_update_source(const std::string& source, wire::IpAddress::Family family);

}  // namespace evpnd::bgp
