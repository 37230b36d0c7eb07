#pragma once
// leaf::Leaf: evpnd as a VTEP. It joins the speaker's Loc-RIB to the forwarding plane:
//
//   kernel/dataplane events ──► Programmer (backend thread) ──post──► Leaf::on_events
//        local MACs, neighbours, VNIs                                  │
//                                                                      ▼
//   Speaker flush ──► best-path changes ──► evpn::Importer (RT → VNI) ──► vtep::Model
//                                                                      │ (RFC 7432 §15)
//          Speaker::originate ◄── Type-2 per local MAC/MAC+IP, ◄───────┤
//                                 Type-3 per local VNI                 ▼
//                                               fib::Programmer::want(remote MAC, flood, neigh)
//
// A VNI is an EVPN instance while the backend reports its devices (a vxlan device with a
// local address on a bridge) and `advertise-all-vni` is configured, as in FRR; its RD
// and RTs come from its `vni N` stanza or are derived (evpn/instance.hpp). Everything
// runs on the main loop except the backend, which the programmer keeps on its thread.
// This is a departure from the shared map's folders: bgp/ may not include fib/ or vtep/,
// and vtep/ and fib/ may not include bgp/, so the joint is a library of its own.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bgp/speaker.hpp"
#include "evpn/importer.hpp"
#include "evpn/instance.hpp"
#include "fib/programmer.hpp"
#include "vtep/model.hpp"

namespace evpnd::leaf {

class Leaf {
 public:
  struct VniView {
    fib::VniDevice device;
    evpn::EvpnInstance instance;
  };
  struct Counters {
    std::uint64_t vni_errors = 0;          // devices that could not be adopted or created
    std::uint64_t not_vxlan = 0;           // imported routes with another encapsulation
    std::uint64_t no_next_hop = 0;         // Type-2 routes without a VTEP
    std::uint64_t local_events = 0;        // events from the dataplane
  };

  // Until the first sweep: how long at most to wait for the RIB to converge before
  // removing what an earlier life installed that nothing wants; sooner once every EVPN
  // peer has sent End-of-RIB (leaf/convergence.hpp), checked every kSweepCheck.
  static constexpr std::chrono::seconds kStaleSweepDelay{30};
  static constexpr std::chrono::milliseconds kSweepCheck{250};
  // How long the initial EVPN table may wait for the dataplane's local state at start.
  static constexpr std::chrono::seconds kLocalStateDeadline{10};

  Leaf(boost::asio::io_context& io, bgp::Speaker& speaker, std::unique_ptr<fib::Backend> backend);
  Leaf(const Leaf&) = delete;
  Leaf& operator=(const Leaf&) = delete;

  // Discovers and adopts (or creates) the VNIs, learns what the kernel has, then follows
  // its events.
  void start();

  // Show.
  [[nodiscard]] const std::map<evpn::Vni, VniView>& vnis() const { return vnis_; }
  [[nodiscard]] const vtep::Model& model() const { return model_; }
  [[nodiscard]] const fib::FibQueue& fib() const { return programmer_.queue(); }
  [[nodiscard]] const Counters& counters() const { return counters_; }
  // Routes imported into `vni` (a walk: for show).
  [[nodiscard]] std::size_t imported(evpn::Vni vni) const { return importer_.imported_count(vni); }
  [[nodiscard]] bool enabled() const { return speaker_.config().advertise_all_vni; }
  [[nodiscard]] const evpn::VniConfig* config_of(evpn::Vni vni) const { return speaker_.config().find_vni(vni); }
  std::size_t clear_duplicates(std::optional<evpn::Vni> vni, const std::optional<evpn::MacAddress>& mac);

 private:
  void on_rib_changes(std::span<const rib::EvpnRib::BestChange> changes);
  void on_events(std::vector<fib::Event> events);
  void vni_up(const fib::VniDevice& device);
  void pin_configured_macs(const evpn::VniConfig& cfg);
  void import_into_new_vnis();
  void vni_down(evpn::Vni vni, bool device_gone);
  void import(const evpn::EvpnRouteKey& key);
  void apply(std::vector<evpn::ImportChange>& changes);
  void flush_model();
  void originate_imet(const VniView& v, bool withdraw);
  void refresh_instances();
  void schedule_sweep_check();
  [[nodiscard]] evpn::InstanceContext instance_context() const;

  bgp::Speaker& speaker_;
  fib::Programmer programmer_;
  evpn::Importer importer_;
  evpn::RdIndexes rd_indexes_;
  vtep::Model model_;
  std::map<evpn::Vni, VniView> vnis_;
  std::vector<evpn::ImportChange> import_scratch_;
  boost::asio::steady_timer sweep_timer_;
  boost::asio::steady_timer release_timer_;
  std::chrono::steady_clock::time_point sweep_deadline_;
  bool converged_once_ = false;
  bool new_vnis_ = false;  // VNIs came up since the last walk of the RIB
  Counters counters_;
};

}  // namespace evpnd::leaf
