#include "leaf/leaf.hpp"

#include <spdlog/spdlog.h>

#include "evpn/origination.hpp"
#include "leaf/convergence.hpp"

namespace evpnd::leaf {

namespace asio = boost::asio;

namespace {
vtep::TimePoint now() { return std::chrono::steady_clock::now(); }
}  // namespace

Leaf::Leaf(asio::io_context& io, bgp::Speaker& speaker, std::unique_ptr<fib::Backend> backend)
    : speaker_(speaker),
      programmer_(io, std::move(backend), [this](std::vector<fib::Event> events) { on_events(std::move(events)); }),
      sweep_timer_(io),
      release_timer_(io) {}

evpn::InstanceContext Leaf::instance_context() const {
  const auto& c = speaker_.config();
  return {c.asn.value_or(bgp::wire::Asn{}), c.router_id.value_or(bgp::wire::RouterId{}),
          c.autort_rfc8365 ? evpn::AutoRtForm::Rfc8365 : evpn::AutoRtForm::Frr};
}

void Leaf::start() {
  if (!enabled()) return;
  speaker_.on_evpn_changes([this](std::span<const rib::EvpnRib::BestChange> changes) { on_rib_changes(changes); });
  // Our local hosts go into the first table each peer gets (Speaker::defer_initial_tables);
  // a kernel that does not answer holds it back kLocalStateDeadline at most.
  speaker_.defer_initial_tables(bgp::wire::AfiSafi::l2vpn_evpn());
  release_timer_.expires_after(kLocalStateDeadline);
  release_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    spdlog::warn("vtep: the dataplane's local state is not in after {} s; sending the EVPN table without it",
                 kLocalStateDeadline.count());
    speaker_.release_initial_tables(bgp::wire::AfiSafi::l2vpn_evpn());
  });
  std::vector<fib::VniSpec> specs;
  for (const auto& v : speaker_.config().vnis) {
    if (!v.create) continue;
    specs.push_back({v.vni, v.create->bridge, v.create->vxlan, v.create->local, true});
  }
  // On the backend thread: what is there, what must be created, what an earlier life
  // left; then, on the main loop, the instances, the adopted entries and local learning.
  programmer_.run([this, specs = std::move(specs)](fib::Backend& b) -> std::function<void()> {
    std::vector<fib::VniDevice> devices;
    std::vector<std::string> errors;
    for (const auto& spec : specs) {
      auto r = b.ensure_vni(spec);
      if (auto* d = std::get_if<fib::VniDevice>(&r)) {
        devices.push_back(*d);
      } else {
        errors.push_back("vni " + std::to_string(spec.vni.value()) + ": " + std::get<std::string>(r));
      }
    }
    for (const auto& found : b.discover()) {
      bool known = false;
      for (const auto& d : devices) known = known || d.vni == found.vni;
      if (known) continue;
      auto r = b.ensure_vni(fib::VniSpec{found.vni, found.bridge, found.vxlan, found.local, false});
      if (auto* d = std::get_if<fib::VniDevice>(&r)) devices.push_back(*d);
    }
    auto installed = b.installed();
    auto local = b.local_state();
    return [this, devices = std::move(devices), errors = std::move(errors), installed = std::move(installed),
            local = std::move(local)]() mutable {
      for (const auto& e : errors) {
        ++counters_.vni_errors;
        spdlog::error("{}", e);
      }
      programmer_.adopt_installed(installed);
      spdlog::info("vtep: {} VNI(s); kept from before: {} remote MACs, {} flood entries, {} neighbours",
                   devices.size(), installed.macs.size(), installed.flood.size(), installed.neighbors.size());
      for (const auto& d : devices) vni_up(d);
      import_into_new_vnis();
      on_events(std::move(local));
      release_timer_.cancel();
      speaker_.release_initial_tables(bgp::wire::AfiSafi::l2vpn_evpn());
      programmer_.watch_events();
      sweep_deadline_ = std::chrono::steady_clock::now() + kStaleSweepDelay;
      schedule_sweep_check();
    };
  });
}

// Every kSweepCheck until the sweep: it happens once every EVPN peer has sent End-of-RIB
// (leaf/convergence.hpp) on two checks in a row, so the routes that came with the last
// End-of-RIB have reached the programmer, or at the deadline.
void Leaf::schedule_sweep_check() {
  sweep_timer_.expires_after(kSweepCheck);
  sweep_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    const bool converged = evpn_peers_converged(speaker_.config(), speaker_.peers());
    const bool late = std::chrono::steady_clock::now() >= sweep_deadline_;
    if ((converged && converged_once_) || late) {
      spdlog::info("vtep: removing what an earlier run installed and nothing wants ({})",
                   late ? "timer" : "End-of-RIB from every EVPN peer");
      programmer_.sweep_unconfirmed();
      return;
    }
    converged_once_ = converged;
    schedule_sweep_check();
  });
}

void Leaf::refresh_instances() {
  std::vector<evpn::EvpnInstance> all;
  const auto ctx = instance_context();
  for (auto& [vni, v] : vnis_) {
    const auto* cfg = speaker_.config().find_vni(vni);
    evpn::VniConfig plain;
    plain.vni = vni;
    v.instance = evpn::resolve_instance(cfg ? *cfg : plain, ctx, rd_indexes_.assign(vni));
    all.push_back(v.instance);
  }
  importer_.set_instances(std::move(all));
}

void Leaf::vni_up(const fib::VniDevice& device) {
  if (!device.local) return;  // not a VTEP without a local address (zebra's rule)
  auto [it, fresh] = vnis_.try_emplace(device.vni);
  auto& v = it->second;
  if (!fresh && v.device.local && v.device.local != device.local) originate_imet(v, true);
  v.device = device;
  refresh_instances();
  model_.add_vni(device.vni, *device.local);
  if (const auto* cfg = speaker_.config().find_vni(device.vni)) pin_configured_macs(*cfg);
  originate_imet(v, false);
  spdlog::info("vni {}: bridge {} vxlan {} vtep {} rd {}", device.vni.value(), device.bridge, device.vxlan,
               device.local->to_string(), v.instance.rd.to_string());
  // Routes already in the RIB that the new instance imports: one walk of the RIB for all
  // the VNIs that come up together (import_into_new_vnis), not one per VNI.
  if (fresh) new_vnis_ = true;
  flush_model();
}

// `anycast-gateway mac` goes to the model; `mac static` to the dataplane, which reports
// the MAC back as a static local host (so the model advertises it sticky).
void Leaf::pin_configured_macs(const evpn::VniConfig& cfg) {
  if (cfg.gateway_mac) model_.set_gateway_mac(cfg.vni, *cfg.gateway_mac);
  for (const auto& m : cfg.static_macs) {
    if (auto port = vtep::PortName::make(m.interface)) programmer_.want(fib::LocalStaticMac{cfg.vni, m.mac, *port});
  }
}

void Leaf::import_into_new_vnis() {
  if (!new_vnis_) return;
  new_vnis_ = false;
  for (const auto& [key, e] : speaker_.rib().table()) import(key);
  flush_model();
}

void Leaf::vni_down(evpn::Vni vni, bool device_gone) {
  auto it = vnis_.find(vni);
  if (it == vnis_.end()) return;
  originate_imet(it->second, true);
  model_.remove_vni(vni);
  flush_model();
  if (device_gone) programmer_.forget_vni(vni);
  importer_.forget_vni(vni);
  vnis_.erase(it);
  rd_indexes_.release(vni);
  refresh_instances();
  spdlog::info("vni {}: {}", vni.value(), device_gone ? "gone" : "down");
}

void Leaf::on_rib_changes(std::span<const rib::EvpnRib::BestChange> changes) {
  if (vnis_.empty()) return;
  for (const auto& c : changes) import(c.key);
  flush_model();
}

void Leaf::import(const evpn::EvpnRouteKey& key) {
  const auto* imet = std::get_if<evpn::ImetRouteKey>(&key);
  if (!imet && !std::holds_alternative<evpn::MacIpRouteKey>(key)) return;
  const auto* entry = speaker_.rib().find(key);
  const auto* best = entry ? rib::EvpnRib::best_of(*entry) : nullptr;
  std::optional<evpn::ImportedPath> path;
  std::span<const evpn::RouteTarget> rts;
  // Our own routes are not imported: the model holds the local side.
  if (best && best->peer != rib::kLocalPeer) {
    const auto& s = best->attrs->evpn;
    if (s.encapsulation && *s.encapsulation != evpn::Encapsulation::kVxlan) {
      ++counters_.not_vxlan;
    } else if (imet) {
      path = evpn::ImportedPath{imet->originating_ip, 0, false};
    } else if (s.next_hop) {
      path = evpn::ImportedPath{*s.next_hop, s.mobility_sequence, s.sticky};
    } else {
      ++counters_.no_next_hop;
    }
    if (path) rts = s.route_targets;
  }
  importer_.apply(key, path, rts, import_scratch_);
  apply(import_scratch_);
}

void Leaf::apply(std::vector<evpn::ImportChange>& changes) {
  const auto t = now();
  for (const auto& c : changes) {
    if (const auto* k = std::get_if<evpn::MacIpRouteKey>(&c.key)) {
      std::optional<vtep::RemoteMacPath> p;
      if (c.path) p = vtep::RemoteMacPath{c.path->vtep, c.path->sequence, c.path->sticky};
      model_.remote_mac_route(c.vni, *k, p, t);
    } else if (const auto* i = std::get_if<evpn::ImetRouteKey>(&c.key)) {
      std::optional<bgp::wire::IpAddress> vtep;
      if (c.path) vtep = c.path->vtep;
      model_.remote_imet_route(c.vni, *i, vtep);
    }
  }
  changes.clear();
}

void Leaf::on_events(std::vector<fib::Event> events) {
  const auto t = now();
  std::vector<fib::VniDevice> appeared;  // new VNIs, ensured together below
  for (const auto& ev : events) {
    ++counters_.local_events;
    if (const auto* e = std::get_if<fib::LocalMacLearned>(&ev)) {
      model_.local_mac_learned(e->vni, e->mac, e->port, e->is_static, t);
    } else if (const auto* e = std::get_if<fib::LocalMacGone>(&ev)) {
      model_.local_mac_gone(e->vni, e->mac);
    } else if (const auto* e = std::get_if<fib::LocalNeighborLearned>(&ev)) {
      model_.local_neighbor_learned(e->vni, e->ip, e->mac);
    } else if (const auto* e = std::get_if<fib::LocalNeighborGone>(&ev)) {
      model_.local_neighbor_gone(e->vni, e->ip);
    } else if (const auto* e = std::get_if<fib::VniAppeared>(&ev)) {
      const auto& d = e->device;
      if (!d.up || !d.local) {
        vni_down(d.vni, false);
      } else if (vnis_.contains(d.vni)) {
        vni_up(d);
      } else {
        appeared.push_back(d);
      }
    } else if (const auto* e = std::get_if<fib::VniGone>(&ev)) {
      vni_down(e->vni, true);
    }
  }
  import_into_new_vnis();
  flush_model();
  if (appeared.empty()) return;
  // New VNIs: the backend must follow them before their MACs are reported.
  programmer_.run([this, appeared = std::move(appeared)](fib::Backend& b) -> std::function<void()> {
    std::vector<std::variant<fib::VniDevice, std::string>> results;
    for (const auto& d : appeared) results.push_back(b.ensure_vni(fib::VniSpec{d.vni, d.bridge, d.vxlan, d.local, false}));
    auto local = b.local_state();
    return [this, results = std::move(results), local = std::move(local)]() mutable {
      for (const auto& r : results) {
        if (const auto* dev = std::get_if<fib::VniDevice>(&r)) {
          vni_up(*dev);
        } else {
          ++counters_.vni_errors;
          spdlog::error("{}", std::get<std::string>(r));
        }
      }
      import_into_new_vnis();
      on_events(std::move(local));
    };
  });
}

void Leaf::flush_model() {
  auto changes = model_.take_changes();
  for (const auto& op : changes.forwarding) programmer_.want(op);
  for (const auto& o : changes.originations) {
    const bool gone = std::holds_alternative<vtep::LocalMacRouteGone>(o);
    const auto vni = gone ? std::get<vtep::LocalMacRouteGone>(o).vni : std::get<vtep::LocalMacRoute>(o).vni;
    auto it = vnis_.find(vni);
    if (it == vnis_.end() || !it->second.device.local) continue;
    const auto& v = it->second;
    evpn::MacIpRoute route;
    route.rd = v.instance.rd;
    route.label1 = evpn::Label::from_vni(vni);
    if (gone) {
      const auto& g = std::get<vtep::LocalMacRouteGone>(o);
      route.mac = g.mac;
      route.ip = g.ip;
      speaker_.withdraw_originated(evpn::EvpnNlri{std::nullopt, route});
      continue;
    }
    const auto& r = std::get<vtep::LocalMacRoute>(o);
    route.mac = r.mac;
    route.ip = r.ip;
    evpn::OriginationParams p;
    p.next_hop = *v.device.local;
    p.route_targets = v.instance.export_rts;
    p.vni = vni.value();
    p.mobility_sequence = r.sequence;
    p.sticky = r.sticky;
    speaker_.originate(evpn::EvpnNlri{std::nullopt, route}, evpn::origination_attributes(route, p));
  }
}

void Leaf::originate_imet(const VniView& v, bool withdraw) {
  if (!v.device.local) return;
  const evpn::ImetRoute route{v.instance.rd, evpn::EthernetTag{0}, *v.device.local};
  if (withdraw) {
    speaker_.withdraw_originated(evpn::EvpnNlri{std::nullopt, route});
    return;
  }
  evpn::OriginationParams p;
  p.next_hop = *v.device.local;
  p.route_targets = v.instance.export_rts;
  p.vni = v.device.vni.value();
  speaker_.originate(evpn::EvpnNlri{std::nullopt, route}, evpn::origination_attributes(route, p));
}

std::size_t Leaf::clear_duplicates(std::optional<evpn::Vni> vni, const std::optional<evpn::MacAddress>& mac) {
  std::size_t n = 0;
  for (const auto& [v, view] : vnis_)
    if (!vni || *vni == v) n += model_.clear_duplicates(v, mac);
  return n;
}

}  // namespace evpnd::leaf
