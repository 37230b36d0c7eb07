// How evpnd's components are joined. Today:
//
//   config file ──► cli::parse_config ──► bgp::BgpConfig
//                                            │
//   peers (TCP 179) ◄──► bgp::Speaker ◄──────┘            one io_context, one thread
//                          │  per peer: Session(FSM) ─► inbound ─► rib::AdjRibIn
//                          │  originated routes ──► outbound (packing) ─► peers
//                          ▲
//   evpnsh ──unix socket (0660)──► MgmtServer ──► cli::OperationalCommands (show, clear,
//                                                  test hooks with --enable-test-commands)
//
//   with advertise-all-vni (a VTEP leaf, leaf/leaf.hpp):
//     Speaker best-path changes ──► leaf::Leaf ──► fib::Programmer ══thread══► NetlinkBackend
//     Leaf ◄──post── kernel events (local MACs, neighbours, VNIs) ◄══════════════╝
//     Leaf ──► Speaker::originate (Type-2 per local MAC/MAC+IP, Type-3 per VNI)
//
//   start-up: mgmt socket and BGP listener bound ──► capabilities dropped (privileges.hpp)
//   SIGTERM/SIGINT ──► Speaker::shutdown (Cease to every peer) ──► loop ends
//
#include "daemon/evpnd/wiring.hpp"

#include <spdlog/spdlog.h>

#include <ifaddrs.h>
#include <cstring>
#include <netinet/in.h>

#include "bgp/speaker.hpp"
#include "cli/config_printer.hpp"
#include "cli/operational.hpp"
#include "daemon/evpnd/mgmt_server.hpp"
#include "daemon/evpnd/privileges.hpp"
#include "fib/netlink/netlink_backend.hpp"
#include "leaf/leaf.hpp"

namespace evpnd::daemon {

namespace asio = boost::asio;
namespace wire = bgp::wire;

namespace {

// Without `bgp router-id`, take the highest IPv4 address on a loopback (the VTEP
// address there is the usual choice), else the highest on any interface, as zebra does.
std::optional<wire::RouterId> pick_router_id() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return std::nullopt;
  std::optional<std::uint32_t> best_lo, best_any;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
    const auto a = ntohl(reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr.s_addr);
    if ((a >> 24) == 127) continue;
    const bool lo = std::string_view(i->ifa_name) == "lo";
    auto& slot = lo ? best_lo : best_any;
    if (!slot || a > *slot) slot = a;
  }
  freeifaddrs(list);
  if (best_lo) return wire::RouterId{*best_lo};
  if (best_any) return wire::RouterId{*best_any};
  return std::nullopt;
}

}  // namespace

int run(const Options& options, bgp::BgpConfig config) {
  asio::io_context io;

  if (config.asn && !config.router_id) {
    config.router_id = pick_router_id();
    if (!config.router_id) {
      spdlog::error("no `bgp router-id` configured and no IPv4 address to take one from");
      return 1;
    }
    spdlog::info("router-id {} taken from the interfaces (set `bgp router-id` to choose)",
                 config.router_id->to_string());
  }

  bgp::SpeakerOptions sopts;
  if (options.listen_address) {
    sopts.listen_address = wire::IpAddress::parse(*options.listen_address);
    if (!sopts.listen_address) {
      spdlog::error("--listen-address '{}' is not an IP address", *options.listen_address);
      return 2;
    }
  }
  sopts.port = options.port;
  sopts.listen = options.port != 0 && config.asn.has_value();
  sopts.limits.max_queued_bytes = options.peer_output_limit_mb << 20;

  bgp::Speaker speaker(io, config, sopts);
  // A VTEP leaf: the kernel's VNIs, local learning, and the FIB programmer's thread.
  std::unique_ptr<leaf::Leaf> vtep;
  if (config.asn && config.advertise_all_vni) {
    auto backend = std::make_unique<fib::NetlinkBackend>();
    if (backend->error()) {
      spdlog::error("advertise-all-vni: cannot open netlink: {}", std::strerror(backend->error()));
      return 1;
    }
    vtep = std::make_unique<leaf::Leaf>(io, speaker, std::move(backend));
  }
  cli::OperationalCommands commands(
      speaker, [&speaker] { return cli::print_config(speaker.config()); }, options.enable_test_commands);
  if (vtep) commands.set_leaf(vtep.get());
  if (options.enable_test_commands)
    spdlog::warn("test commands enabled: any client of {} can inject routes", options.socket_path);
  MgmtServer mgmt(io, options.socket_path, commands, options.socket_group);

  if (auto err = mgmt.start()) {
    spdlog::error("{}", *err);
    return 1;
  }
  if (config.asn) {
    if (auto err = speaker.start()) {
      spdlog::error("{}", *err);
      return 1;
    }
    spdlog::info("evpnd {} up: AS {} router-id {}, {} neighbor(s)", EVPND_VERSION, config.asn->value,
                 config.router_id->to_string(), config.neighbors.size());
    if (vtep) vtep->start();
  } else {
    spdlog::warn("no `router bgp` in the configuration: BGP is not running");
  }
  // Everything that needs privilege is bound now.
  if (!options.keep_privileges) {
    if (auto err = drop_privileges(options.user, vtep != nullptr)) {
      spdlog::error("dropping privileges: {}", *err);
      return 1;
    }
    spdlog::info("privileges dropped: {}", capability_summary());
  }

  asio::signal_set signals(io, SIGINT, SIGTERM);
  bool stopping = false;
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec || stopping) return;
    stopping = true;
    spdlog::info("signal {}: sending Cease to every peer and stopping", sig);
    mgmt.stop();
    speaker.shutdown([&io] { io.stop(); });
  });
  // SIGPIPE would kill us on a peer that resets mid-write; Asio reports EPIPE instead.
  asio::signal_set ignore_pipe(io, SIGPIPE);
  ignore_pipe.async_wait([](const boost::system::error_code&, int) {});

  io.run();
  spdlog::info("evpnd stopped");
  return 0;
}

}  // namespace evpnd::daemon
