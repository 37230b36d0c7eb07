// evpnd-fibbench: the kernel-side tools of scripts/bench-fib.sh, run inside the namespace
// of the router under test.
//
//   watch  counts remote MAC entries (a vxlan device's FDB entries with a VTEP) as the
//          kernel announces them on RTNLGRP_NEIGH: until N were added, or N removed, or
//          until stopped (then every bridge FDB change seen: W7's rewrites). With
//          --moves it times each MAC of a paced move (evpnd-peersim --rate): its first
//          notification against the moment its UPDATE was due.
//   floor  the batched-netlink floor: the same remote MACs written straight through
//          fib::NetlinkBackend (batches of the programmer's size, one ack per request),
//          added, moved to another VTEP and removed, with no BGP in the way.
//   learn  N frames with distinct source MACs out of an interface (AF_PACKET), so the
//          bridge at the other end learns N local hosts (W10).
//
// Times are wall-clock microseconds (CLOCK_REALTIME), comparable with evpnd-peersim's.
// One JSON line on stdout per run.
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "fib/netlink/netlink_backend.hpp"
#include "fib/netlink/nl_messages.hpp"
#include "fib/netlink/nl_socket.hpp"
#include "tools/tool_support.hpp"

namespace po = boost::program_options;
namespace fib = evpnd::fib;
namespace nl = evpnd::fib::netlink;
using evpnd::evpn::MacAddress;
using Clock = std::chrono::steady_clock;

namespace {

using evpnd::tools::mac_of;
using evpnd::tools::mac_value;
using evpnd::tools::wall_us;

std::uint64_t parse_mac(const std::string& s) {
  const auto m = MacAddress::parse(s);
  if (!m) throw std::runtime_error("not a MAC address: " + s);
  return mac_value(*m);
}

evpnd::evpn::Vni vni_of(std::uint32_t v) {
  const auto vni = evpnd::evpn::Vni::make(v);
  if (!vni) throw std::runtime_error("not a VNI: " + std::to_string(v));
  return *vni;
}

std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop = true; }

// ---- watch ----------------------------------------------------------------------------

struct WatchOptions {
  std::uint64_t added = 0, removed = 0;  // stop when this many distinct entries were
  std::uint64_t move_base = 0, moves = 0;  // --moves: MACs [base, base + moves) are moved
  double move_rate = 0;
  std::string move_t0_file;  // evpnd-peersim's stderr: its established_at_us is the t0
  double timeout = 600;
};

// A percentile of sorted values (nearest rank).
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}

std::int64_t read_t0(const std::string& file) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::smatch m;
  const std::string text = ss.str();
  if (!std::regex_search(text, m, std::regex("\"established_at_us\":([0-9]+)"))) return 0;
  return std::stoll(m[1]);
}

int run_watch(const WatchOptions& o) {
  nl::NlSocket sock;
  if (int rc = sock.open(RTMGRP_NEIGH, true); rc != 0) {
    std::cerr << "evpnd-fibbench: netlink: " << std::strerror(rc) << "\n";
    return 2;
  }
  // 1 GiB: two million notifications queue without loss while this reader is descheduled.
  const int big = 1 << 30;
  ::setsockopt(sock.fd(), SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
  std::cerr << "{\"ready\":true}" << std::endl;

  std::unordered_set<std::uint64_t> added, removed;  // (ifindex, MAC) of remote entries
  std::vector<std::int64_t> move_at(o.moves, 0);   // first notification of each moved MAC
  std::uint64_t moved = 0, changes = 0, overruns = 0;
  std::int64_t first_us = 0, last_us = 0;
  const auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<long>(o.timeout * 1000));
  auto done = [&] {
    if (o.added > 0 && added.size() < o.added) return false;
    if (o.removed > 0 && removed.size() < o.removed) return false;
    if (o.moves > 0 && moved < o.moves) return false;
    return o.added > 0 || o.removed > 0 || o.moves > 0;
  };
  auto on_message = [&](const nlmsghdr* nlh) {
    const auto fdb = nl::parse_fdb(nlh);
    if (!fdb || fdb->mac.is_zero()) return;
    const std::int64_t now = wall_us();
    ++changes;  // any bridge or device FDB change (W7 counts them all)
    if (fdb->master != 0 || !fdb->dst) return;
    const std::uint64_t key = (static_cast<std::uint64_t>(fdb->ifindex) << 48) | mac_value(fdb->mac);
    if (first_us == 0) first_us = now;
    if (fdb->deleted) {
      if (removed.insert(key).second) last_us = now;
      return;
    }
    if (added.insert(key).second && o.moves == 0) last_us = now;
    const std::uint64_t mac = mac_value(fdb->mac);
    if (o.moves > 0 && mac >= o.move_base && mac - o.move_base < o.moves) {
      auto& at = move_at[mac - o.move_base];
      if (at == 0) at = now, ++moved, last_us = now;
    }
  };
  bool timed_out = false;
  while (!g_stop && !done()) {
    if (Clock::now() >= deadline) {
      timed_out = true;
      break;
    }
    pollfd p{sock.fd(), POLLIN, 0};
    ::poll(&p, 1, 100);
    const int rc = sock.drain(on_message, 1024);
    if (rc == ENOBUFS) ++overruns;
  }
  std::cout << "{\"added\":" << added.size() << ",\"removed\":" << removed.size() << ",\"changes\":" << changes
            << ",\"first_us\":" << first_us << ",\"last_us\":" << last_us << ",\"overruns\":" << overruns
            << ",\"timed_out\":" << (timed_out ? "true" : "false");
  if (o.moves > 0) {
    const std::int64_t t0 = read_t0(o.move_t0_file);
    std::vector<std::int64_t> latency;
    latency.reserve(moved);
    for (std::uint64_t k = 0; k < o.moves; ++k) {
      if (move_at[k] == 0) continue;
      const auto due = t0 + static_cast<std::int64_t>(static_cast<double>(k) * 1e6 / o.move_rate);
      latency.push_back(move_at[k] - due);
    }
    std::sort(latency.begin(), latency.end());
    // lag: how far behind its schedule the last move landed (falling behind grows it).
    const auto last_due = t0 + static_cast<std::int64_t>(static_cast<double>(o.moves - 1) * 1e6 / o.move_rate);
    std::cout << ",\"moved\":" << moved << ",\"t0_us\":" << t0 << ",\"p50_us\":" << percentile(latency, 50)
              << ",\"p99_us\":" << percentile(latency, 99) << ",\"max_us\":" << (latency.empty() ? 0 : latency.back())
              << ",\"lag_us\":" << (last_us - last_due);
  }
  std::cout << "}" << std::endl;
  return timed_out ? 1 : 0;
}

// ---- floor ----------------------------------------------------------------------------

struct FloorOptions {
  std::uint32_t vni = 100, vnis = 1, vteps = 1, routes = 0;
  std::string vtep = "10.255.0.10";
  std::uint64_t mac_base = 0;
};

int run_floor(const FloorOptions& o) {
  fib::NetlinkBackend backend;
  if (backend.error() != 0) {
    std::cerr << "evpnd-fibbench: netlink: " << std::strerror(backend.error()) << "\n";
    return 2;
  }
  for (std::uint32_t v = 0; v < o.vnis; ++v) {
    auto r = backend.ensure_vni(fib::VniSpec{vni_of(o.vni + v), {}, {}, {}, false});
    if (const auto* why = std::get_if<std::string>(&r)) {
      std::cerr << "evpnd-fibbench: VNI " << o.vni + v << ": " << *why << "\n";
      return 2;
    }
  }
  const auto base = fib::IpAddress::parse(o.vtep);
  if (!base || !base->is_v4()) throw std::runtime_error("--vtep: an IPv4 address");
  // The placement evpnd-peersim uses: route i in VNI vni + i % vnis, behind VTEP
  // vtep + (i / vnis) % vteps; "moved" is one VTEP further.
  auto op = [&](std::uint32_t i, int phase) -> fib::Operation {
    const auto vni = vni_of(o.vni + i % o.vnis);
    const MacAddress mac = mac_of(o.mac_base + i);
    const std::uint32_t vtep = (i / o.vnis) % o.vteps + (phase == 1 ? 1 : 0);
    if (phase == 2) return fib::RemoteMacGone{vni, mac};
    return fib::RemoteMac{vni, mac, fib::IpAddress::v4(base->v4_host_order() + vtep), false};
  };
  constexpr std::size_t kBatch = 16384;  // fib::Programmer's largest batch
  std::vector<fib::Operation> ops;
  ops.reserve(kBatch);
  const char* names[] = {"add", "move", "remove"};
  std::cout << "{\"routes\":" << o.routes;
  int failures = 0;
  for (int phase = 0; phase < 3; ++phase) {
    const auto t0 = Clock::now();
    for (std::uint32_t i = 0; i < o.routes;) {
      ops.clear();
      for (; i < o.routes && ops.size() < kBatch; ++i) ops.push_back(op(i, phase));
      for (const auto& r : backend.apply(ops)) failures += r.ok() ? 0 : 1;
    }
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    std::cout << ",\"" << names[phase] << "_s\":" << s << ",\"" << names[phase]
              << "_per_s\":" << static_cast<long>(o.routes / std::max(s, 1e-9));
  }
  std::cout << ",\"failures\":" << failures << "}" << std::endl;
  return failures == 0 ? 0 : 1;
}

// ---- learn ----------------------------------------------------------------------------

int run_learn(const std::string& dev, std::uint32_t count, std::uint64_t mac_base, std::uint64_t dst) {
  const int fd = ::socket(AF_PACKET, SOCK_RAW, 0);  // protocol 0: send only
  if (fd < 0) return std::cerr << "evpnd-fibbench: packet socket: " << std::strerror(errno) << "\n", 2;
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = static_cast<int>(::if_nametoindex(dev.c_str()));
  to.sll_halen = ETH_ALEN;
  if (to.sll_ifindex == 0) return std::cerr << "evpnd-fibbench: no interface " << dev << "\n", 2;
  // 60-octet frames to the bridge's own address (delivered to it and dropped there, never
  // flooded), each from a new source MAC, EtherType 0x88B5 (IEEE local experimental).
  constexpr std::size_t kFrame = 60, kBatch = 512;
  std::vector<std::array<std::uint8_t, kFrame>> frames(kBatch);
  std::vector<iovec> iov(kBatch);
  std::vector<mmsghdr> msgs(kBatch);
  const MacAddress to_mac = mac_of(dst);
  const std::int64_t first_us = wall_us();
  std::uint32_t sent = 0;
  while (sent < count) {
    const std::size_t n = std::min<std::size_t>(kBatch, count - sent);
    for (std::size_t k = 0; k < n; ++k) {
      auto& f = frames[k];
      f.fill(0);
      std::memcpy(f.data(), to_mac.bytes.data(), 6);
      const MacAddress from = mac_of(mac_base + sent + k);
      std::memcpy(f.data() + 6, from.bytes.data(), 6);
      f[12] = 0x88, f[13] = 0xB5;
      iov[k] = {f.data(), kFrame};
      msgs[k] = {};
      msgs[k].msg_hdr.msg_name = &to;
      msgs[k].msg_hdr.msg_namelen = sizeof to;
      msgs[k].msg_hdr.msg_iov = &iov[k];
      msgs[k].msg_hdr.msg_iovlen = 1;
    }
    const int got = ::sendmmsg(fd, msgs.data(), static_cast<unsigned>(n), 0);
    if (got < 0) {
      if (errno == ENOBUFS || errno == EAGAIN) {
        ::usleep(100);
        continue;
      }
      std::cerr << "evpnd-fibbench: sendmmsg: " << std::strerror(errno) << "\n";
      ::close(fd);
      return 2;
    }
    sent += static_cast<std::uint32_t>(got);
  }
  ::close(fd);
  std::cout << "{\"sent\":" << sent << ",\"first_us\":" << first_us << ",\"last_us\":" << wall_us() << "}"
            << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]).starts_with("-")) {
    std::cerr << "usage: evpnd-fibbench watch|floor|learn [options] (--help after the mode)\n";
    return 2;
  }
  const std::string mode = argv[1];
  WatchOptions w;
  FloorOptions f;
  std::string mac_base = "02:10:00:00:00:00", move_base = "02:10:00:00:00:00", dev, dst = "02:00:00:00:00:01";
  std::uint32_t count = 0;
  po::options_description desc("evpnd-fibbench " + mode);
  desc.add_options()("help,h", "this help");
  if (mode == "watch") {
    desc.add_options()("added", po::value(&w.added), "stop when this many remote MAC entries were added")
        ("removed", po::value(&w.removed), "stop when this many were removed")
        ("moves", po::value(&w.moves), "stop when this many MACs (from --move-base) moved; latency figures")
        ("move-base", po::value(&move_base)->default_value(move_base), "the first moved MAC")
        ("move-rate", po::value(&w.move_rate)->default_value(1000), "the moving peersim's --rate")
        ("move-t0", po::value(&w.move_t0_file), "the moving peersim's stderr (its established_at_us)")
        ("timeout", po::value(&w.timeout)->default_value(w.timeout), "seconds");
  } else if (mode == "floor") {
    desc.add_options()("vni", po::value(&f.vni)->default_value(f.vni), "the first VNI")
        ("vnis", po::value(&f.vnis)->default_value(f.vnis), "VNIs (round robin, as evpnd-peersim)")
        ("vteps", po::value(&f.vteps)->default_value(f.vteps), "VTEPs from --vtep on")
        ("vtep", po::value(&f.vtep)->default_value(f.vtep), "the first VTEP")
        ("routes", po::value(&f.routes)->required(), "remote MACs")
        ("mac-base", po::value(&mac_base)->default_value(mac_base), "the first MAC");
  } else if (mode == "learn") {
    desc.add_options()("dev", po::value(&dev)->required(), "interface to send from")
        ("count", po::value(&count)->required(), "source MACs")
        ("mac-base", po::value(&mac_base)->default_value(mac_base), "the first source MAC")
        ("dst", po::value(&dst)->default_value(dst), "destination MAC (the bridge's own)");
  } else {
    std::cerr << "evpnd-fibbench: unknown mode " << mode << "\n";
    return 2;
  }
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc - 1, argv + 1, desc), vm);
    if (vm.count("help")) return std::cout << desc, 0;
    po::notify(vm);
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    if (mode == "watch") {
      w.move_base = parse_mac(move_base);
      if (w.moves > 0 && w.move_t0_file.empty()) throw std::runtime_error("--moves needs --move-t0");
      return run_watch(w);
    }
    if (mode == "floor") {
      f.mac_base = parse_mac(mac_base);
      return run_floor(f);
    }
    return run_learn(dev, count, parse_mac(mac_base), parse_mac(dst));
  } catch (const std::exception& e) {
    std::cerr << "evpnd-fibbench: " << e.what() << "\n";
    return 2;
  }
}
