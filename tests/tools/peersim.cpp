// evpnd-peersim: a scripted BGP-EVPN peer for the fault tests, the soak and the
// benchmarks. It connects to a speaker, completes the OPEN exchange, announces N
// Type-2 MAC routes from pre-encoded UPDATEs (packed as FRR packs them, or one per UPDATE
// as GoBGP sends them), counts the EVPN routes it receives, keeps the session alive with
// KEEPALIVEs, and misbehaves on request: stops reading (its receive window closes),
// disconnects right after sending, flaps N times. One JSON line per cycle on stdout.
//
// For the FIB benchmark the routes spread over --vnis VNIs (each with its auto RT when
// --rt auto) and --vteps next hops, and --rate paces them: route i leaves at
// established + i / rate, one per UPDATE, so a watcher on the kernel can tell each
// route's send time from its index.
//
// A cycle ends in order: peersim half-closes after its last octet and waits until the
// speaker has read everything and closed, so cycles do not overlap.
//
// It encodes with the wire codec's primitives but packs its own UPDATEs, so evpnd's
// outbound code is not what tests evpnd's inbound code.
#include <algorithm>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bgp/wire/message.hpp"
#include "evpn/ext_community.hpp"
#include "evpn/nlri.hpp"
#include "tools/tool_support.hpp"

namespace wire = evpnd::bgp::wire;
namespace evpn = evpnd::evpn;
namespace po = boost::program_options;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string local, remote;
  std::uint16_t port = 179;
  std::uint32_t as = 65010, remote_as = 65001;
  std::string id = "10.255.0.10";
  std::uint16_t hold = 9;
  std::uint32_t routes = 0;
  bool per_update = false;
  std::string rd = "10.255.0.10:1", rt = "65010:100", nexthop = "10.255.0.10";
  std::uint32_t vni = 100;
  std::uint32_t vnis = 1;   // route i is in VNI vni + i % vnis
  std::uint32_t vteps = 1;  // ... behind next hop nexthop + (i / vnis) % vteps
  double rate = 0;          // routes per second, one per UPDATE; 0: all at once
  std::int64_t mobility_seq = -1;  // RFC 7432 §7.7 MAC Mobility sequence; -1: no community
  bool sticky = false;             // the community's sticky (static) flag
  std::uint64_t mac_base = 0x021000000000ull;
  bool end_of_rib = true;
  int cycles = 1;
  double hold_open = 0;        // seconds to stay after sending (and, with expect, receiving)
  bool stop_reading = false;   // read nothing after the OPEN exchange
  double resume_after = -1;    // read again after this many seconds
  std::int64_t expect_routes = -1;  // stay until this many EVPN routes and an End-of-RIB arrived
  bool expect_eor = true;           // false: the routes alone will do (FRR sent us no End-of-RIB)
  double timeout = 60;
  std::int64_t start_at_us = 0;  // wall clock (µs since the epoch) to connect at; 0: at once
  bool report_established = false;  // print when each session comes up (benchmarks)
  int rcvbuf = 0;
};

wire::IpAddress ip(const std::string& s) {
  auto a = wire::IpAddress::parse(s);
  if (!a) throw std::runtime_error("not an IP address: " + s);
  return *a;
}

// Route i's VNI and VTEP (as offsets from --vni and --nexthop).
struct Placement {
  std::uint32_t vni, vtep;
  auto operator<=>(const Placement&) const = default;
};
Placement placement(const Options& o, std::uint32_t i) { return {i % o.vnis, (i / o.vnis) % o.vteps}; }

// The attributes of the routes placed at p: MP_REACH first (RFC 7606 §5.1).
wire::PathAttributes attributes_for(const Options& o, Placement p) {
  const std::uint32_t vni = o.vni + p.vni;
  // auto: the RT a speaker in our AS derives for the VNI (FRR's AS:VNI, 2-octet AS part).
  const auto rt = o.rt == "auto" ? evpn::RouteTarget::parse(std::to_string(o.as & 0xFFFF) + ":" + std::to_string(vni))
                                 : evpn::RouteTarget::parse(o.rt);
  if (!rt) throw std::runtime_error("bad --rt");
  auto nh = ip(o.nexthop);
  if (p.vtep != 0) {
    if (!nh.is_v4()) throw std::runtime_error("--vteps needs an IPv4 --nexthop");
    nh = wire::IpAddress::v4(nh.v4_host_order() + p.vtep);
  }
  wire::PathAttributes a;
  a.origin = wire::Origin::Igp;
  a.as_path = wire::AsPath{};
  if (o.as != o.remote_as)
    a.as_path->segments.push_back({wire::AsPathSegmentType::Sequence, {o.as}});
  else
    a.local_pref = 100;
  a.extended_communities = {rt->encode(), evpn::Encapsulation{}.encode()};
  if (o.mobility_seq >= 0 || o.sticky)
    a.extended_communities.push_back(
        evpn::MacMobility{o.sticky, static_cast<std::uint32_t>(std::max<std::int64_t>(o.mobility_seq, 0))}.encode());
  a.mp_reach = wire::MpReach{wire::AfiSafi::l2vpn_evpn(), wire::ByteVec(nh.data(), nh.data() + nh.size()), {}, {}};
  a.wire_order = {{14, 0x90}, {1, 0x40}, {2, 0x50}, {5, 0x40}, {16, 0xC0}};
  return a;
}

evpn::EvpnNlri route(const Options& o, const evpn::RouteDistinguisher& rd, std::uint32_t i) {
  evpn::MacIpRoute r;
  r.rd = rd;
  r.mac = evpnd::tools::mac_of(o.mac_base + i);
  r.label1 = evpn::Label{o.vni + placement(o, i).vni};
  return evpn::EvpnNlri{std::nullopt, r};
}

// The UPDATEs announcing routes [0, n): one route each (--per-update, --rate: in index
// order), or as many routes of one placement as fit in 4096 octets.
std::vector<wire::ByteVec> build_updates(const Options& o) {
  const auto rd = evpn::RouteDistinguisher::parse(o.rd);
  if (!rd) throw std::runtime_error("bad --rd");
  if (o.vnis == 0 || o.vteps == 0) throw std::runtime_error("--vnis and --vteps start at 1");
  const bool one_each = o.per_update || o.rate > 0;
  std::map<Placement, wire::PathAttributes> attrs;
  auto attrs_of = [&](Placement p) -> const wire::PathAttributes& {
    auto it = attrs.find(p);
    if (it == attrs.end()) it = attrs.emplace(p, attributes_for(o, p)).first;
    return it->second;
  };
  std::vector<wire::ByteVec> out;
  auto emit = [&](Placement p, wire::ByteVec& nlri) {
    if (nlri.empty()) return;
    wire::UpdateMessage m;
    m.attrs = attrs_of(p);
    m.attrs.mp_reach->nlri = std::move(nlri);
    out.push_back(wire::encode_message(wire::Message{std::move(m)}));
    nlri.clear();
  };
  if (one_each) {
    wire::ByteVec nlri;
    for (std::uint32_t i = 0; i < o.routes; ++i) {
      evpn::encode_evpn_nlri(route(o, *rd, i), false, nlri);
      emit(placement(o, i), nlri);
    }
    return out;
  }
  constexpr std::size_t kBudget = 4096 - 100;  // header and attributes other than the NLRI
  std::map<Placement, wire::ByteVec> open;     // each placement's UPDATE being filled
  for (std::uint32_t i = 0; i < o.routes; ++i) {
    const Placement p = placement(o, i);
    const auto n = route(o, *rd, i);
    auto& nlri = open[p];
    if (nlri.size() + evpn::encoded_size(n, false) > kBudget) emit(p, nlri);
    evpn::encode_evpn_nlri(n, false, nlri);
  }
  for (auto& [p, nlri] : open) emit(p, nlri);
  return out;
}

class Peer {
 public:
  explicit Peer(const Options& o) : o_(o) {}
  ~Peer() {
    if (fd_ >= 0) ::close(fd_);
  }

  // One cycle: connect, OPEN exchange, send, receive, close. Prints its JSON line.
  bool run_cycle(int cycle, const std::vector<wire::ByteVec>& updates) {
    const auto t0 = Clock::now();
    std::string error;
    const bool ok = cycle_body(updates, error);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    std::cout << "{\"cycle\":" << cycle << ",\"established\":" << (established_ ? "true" : "false")
              << ",\"sent_updates\":" << sent_updates_ << ",\"sent_bytes\":" << sent_bytes_
              << ",\"received_routes\":" << received_routes_ << ",\"received_withdrawn\":" << received_withdrawn_
              << ",\"received_eor\":" << (received_eor_ ? "true" : "false") << ",\"notification\":"
              << (notification_.empty() ? "null" : "\"" + notification_ + "\"")
              << ",\"closed_by_peer\":" << (closed_by_peer_ ? "true" : "false")
              << ",\"orderly_close\":" << (orderly_close_ ? "true" : "false") << ",\"elapsed_ms\":" << ms
              << ",\"established_at_us\":" << established_at_us_ << ",\"last_route_at_us\":" << last_route_at_us_
              << ",\"error\":" << (error.empty() ? "null" : "\"" + error + "\"") << "}" << std::endl;
    return ok;
  }

 private:
  bool cycle_body(const std::vector<wire::ByteVec>& updates, std::string& error) {
    reset_counters();
    if (!connect(error)) return false;
    const auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<long>(o_.timeout * 1000));
    queue(open_message());
    // OPEN exchange: their OPEN and KEEPALIVE, then ours.
    bool got_open = false, got_keepalive = false;
    while (!(got_open && got_keepalive)) {
      if (!pump(deadline, true, error)) return false;
      for (auto& m : take_messages()) {
        got_open |= std::holds_alternative<wire::OpenMessage>(m);
        got_keepalive |= std::holds_alternative<wire::KeepaliveMessage>(m);
      }
    }
    queue(wire::encode_message(wire::Message{wire::KeepaliveMessage{}}));
    established_ = true;
    established_at_us_ = wall_us();
    // On stderr at once, for a benchmark that stops this sender with a signal later.
    if (o_.report_established) std::cerr << "{\"established_at_us\":" << established_at_us_ << "}" << std::endl;
    const auto up_at = Clock::now();
    // Paced (--rate): update k is due at up_at + k / rate; else all are due now.
    std::size_t next = 0;
    auto queue_due = [&] {
      const std::size_t due = o_.rate > 0 ? std::min<std::size_t>(updates.size(), static_cast<std::size_t>(
                                                std::chrono::duration<double>(Clock::now() - up_at).count() * o_.rate) + 1)
                                          : updates.size();
      for (; next < due; ++next) queue(updates[next]), ++sent_updates_;
      if (next == updates.size() && !eor_queued_) {
        if (o_.end_of_rib) queue(wire::encode_message(wire::Message{wire::make_end_of_rib(wire::AfiSafi::l2vpn_evpn())}));
        eor_queued_ = true;
      }
      next_due_ = o_.rate > 0 && next < updates.size()
                      ? up_at + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(next / o_.rate))
                      : Clock::time_point::max();
    };
    reading_ = !o_.stop_reading;
    const auto stay = std::chrono::milliseconds(static_cast<long>(o_.hold_open * 1000));
    while (true) {
      queue_due();
      const bool sent_all = out_.empty() && next == updates.size();
      const bool got_all = o_.expect_routes < 0 ||
                           (received_routes_ >= static_cast<std::uint64_t>(o_.expect_routes) && (received_eor_ || !o_.expect_eor));
      if (sent_all && got_all && Clock::now() - up_at >= stay) return finish(deadline);
      if (!reading_ && o_.resume_after >= 0 &&
          Clock::now() - up_at >= std::chrono::milliseconds(static_cast<long>(o_.resume_after * 1000)))
        reading_ = true;
      if (!pump(deadline, reading_, error)) return sent_all && o_.expect_routes < 0 && !closed_by_peer_;
      take_messages();
    }
  }

  // An orderly end: our FIN after the last octet, then wait (reading) until the speaker
  // has read everything and closed its side. The next cycle then meets a speaker that is
  // done with this session, not a second connection while it is still Established.
  bool finish(Clock::time_point deadline) {
    ::shutdown(fd_, SHUT_WR);
    half_closed_ = true;
    const auto limit = std::min(deadline, Clock::now() + std::chrono::seconds(30));
    std::string ignored;
    while (Clock::now() < limit) {
      if (!pump(limit, true, ignored)) break;
      take_messages();
    }
    orderly_close_ = closed_by_peer_;
    closed_by_peer_ = false;  // expected here: not the speaker giving up on us
    return orderly_close_;
  }

  void reset_counters() {
    established_ = closed_by_peer_ = received_eor_ = half_closed_ = orderly_close_ = false;
    sent_updates_ = sent_bytes_ = received_routes_ = received_withdrawn_ = 0;
    established_at_us_ = last_route_at_us_ = 0;
    eor_queued_ = false;
    next_due_ = Clock::time_point::max();
    notification_.clear();
    out_.clear();
    out_off_ = 0;
    rx_.clear();
  }

  bool connect(std::string& error) {
    // Many peersims started one after another connect together (W8: peers establishing
    // at once, not as fast as processes can be spawned).
    if (o_.start_at_us > 0)
      std::this_thread::sleep_until(std::chrono::system_clock::time_point(std::chrono::microseconds(o_.start_at_us)));
    fd_ = ::socket(ip(o_.remote).is_v4() ? AF_INET : AF_INET6, SOCK_STREAM, 0);
    if (o_.rcvbuf > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &o_.rcvbuf, sizeof o_.rcvbuf);
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_storage me{}, to{};
    socklen_t len = fill(me, ip(o_.local), 0);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&me), len) != 0) return fail(error, "bind");
    len = fill(to, ip(o_.remote), o_.port);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&to), len) != 0) return fail(error, "connect");
    return true;
  }

  static socklen_t fill(sockaddr_storage& ss, const wire::IpAddress& a, std::uint16_t port) {
    if (a.is_v4()) {
      auto* s = reinterpret_cast<sockaddr_in*>(&ss);
      s->sin_family = AF_INET;
      s->sin_port = htons(port);
      std::memcpy(&s->sin_addr, a.data(), 4);
      return sizeof(sockaddr_in);
    }
    auto* s = reinterpret_cast<sockaddr_in6*>(&ss);
    s->sin6_family = AF_INET6;
    s->sin6_port = htons(port);
    std::memcpy(&s->sin6_addr, a.data(), 16);
    return sizeof(sockaddr_in6);
  }

  static bool fail(std::string& error, const char* what) {
    error = std::string(what) + ": " + std::strerror(errno);
    return false;
  }

  wire::ByteVec open_message() const {
    const auto id = ip(o_.id);
    std::vector<wire::Capability> caps = {wire::MultiprotocolCap{wire::AfiSafi::l2vpn_evpn()}, wire::RouteRefreshCap{},
                                          wire::EnhancedRouteRefreshCap{}, wire::FourOctetAsCap{wire::Asn{o_.as}}};
    return wire::encode_message(wire::Message{wire::make_open(wire::Asn{o_.as}, o_.hold, wire::RouterId{id.v4_host_order()}, caps)});
  }

  void queue(const wire::ByteVec& m) { out_.insert(out_.end(), m.begin(), m.end()); }

  // One turn of the loop: a KEEPALIVE when due, what can be written, what has arrived
  // (when reading). False at the deadline, on a close by the peer, or on an error.
  bool pump(Clock::time_point deadline, bool read, std::string& error) {
    if (Clock::now() >= deadline) {
      error = "timeout";
      return false;
    }
    const auto now = Clock::now();
    if (half_closed_) out_.clear(), out_off_ = 0;  // nothing more goes out after our FIN
    if (established_ && !half_closed_ && o_.hold > 0 && now - last_keepalive_ >= std::chrono::seconds(std::max(1, o_.hold / 3))) {
      queue(wire::encode_message(wire::Message{wire::KeepaliveMessage{}}));
      last_keepalive_ = now;
    }
    pollfd p{fd_, static_cast<short>((read ? POLLIN : 0) | (out_off_ < out_.size() ? POLLOUT : 0)), 0};
    // Wake for the next paced update (at most 0.2 ms late), else every 20 ms.
    const auto wait = std::clamp(std::chrono::duration_cast<std::chrono::microseconds>(
                                     next_due_ == Clock::time_point::max() ? std::chrono::milliseconds(20) : next_due_ - now),
                                 std::chrono::microseconds(200), std::chrono::microseconds(20000));
    const timespec ts{0, static_cast<long>(wait.count()) * 1000};
    if (::ppoll(&p, 1, &ts, nullptr) < 0) return fail(error, "poll");
    if (p.revents & (POLLERR | POLLHUP) && !(p.revents & POLLIN)) {
      closed_by_peer_ = true;
      error = "connection closed";
      return false;
    }
    if (p.revents & POLLOUT) {
      const ssize_t n = ::send(fd_, out_.data() + out_off_, out_.size() - out_off_, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        out_off_ += static_cast<std::size_t>(n);
        sent_bytes_ += static_cast<std::uint64_t>(n);
        if (out_off_ == out_.size()) out_.clear(), out_off_ = 0;
      } else if (n < 0 && errno != EAGAIN) {
        closed_by_peer_ = true;
        return fail(error, "send");
      }
    }
    if (read && (p.revents & POLLIN)) {
      std::uint8_t buf[65536];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN)) {
        closed_by_peer_ = true;
        error = n == 0 ? "closed by the peer" : std::string("recv: ") + std::strerror(errno);
        take_messages();
        return false;
      }
      if (n > 0) rx_.insert(rx_.end(), buf, buf + n);
    }
    return true;
  }

  // Decodes the whole messages received so far; counts EVPN routes, withdrawals,
  // End-of-RIB, NOTIFICATION.
  std::vector<wire::DecodedMessage> take_messages() {
    std::vector<wire::DecodedMessage> got;
    wire::CodecContext ctx;
    ctx.extended_message_rx = true;
    std::size_t off = 0;
    while (true) {
      auto framed = wire::frame_length(wire::ByteSpan(rx_.data() + off, rx_.size() - off), ctx);
      if (!framed || !*framed) break;
      auto m = wire::decode_message(wire::ByteSpan(rx_.data() + off, **framed), ctx);
      off += **framed;
      if (!m) continue;
      if (const auto* u = std::get_if<wire::DecodedUpdate>(&*m)) {
        if (u->update.end_of_rib() == wire::AfiSafi::l2vpn_evpn()) received_eor_ = true;
        const auto& a = u->update.attrs;
        if (a.mp_reach && a.mp_reach->family == wire::AfiSafi::l2vpn_evpn())
          if (auto n = evpn::for_each_evpn_nlri(a.mp_reach->nlri, false, 0, [](const evpn::EvpnNlri&) {}); n && *n) {
            received_routes_ += *n;
            last_route_at_us_ = wall_us();
          }
        if (a.mp_unreach && a.mp_unreach->family == wire::AfiSafi::l2vpn_evpn())
          if (auto n = evpn::for_each_evpn_nlri(a.mp_unreach->nlri, false, 0, [](const evpn::EvpnNlri&) {}))
            received_withdrawn_ += *n;
      } else if (const auto* n = std::get_if<wire::NotificationMessage>(&*m)) {
        notification_ = std::to_string(n->code) + "/" + std::to_string(n->subcode) + " " + n->describe();
      }
      got.push_back(std::move(*m));
    }
    rx_.erase(rx_.begin(), rx_.begin() + static_cast<std::ptrdiff_t>(off));
    return got;
  }

  const Options& o_;
  int fd_ = -1;
  bool established_ = false, closed_by_peer_ = false, received_eor_ = false, reading_ = true;
  bool half_closed_ = false, orderly_close_ = false, eor_queued_ = false;
  Clock::time_point next_due_ = Clock::time_point::max();  // the next paced update's time
  std::uint64_t sent_updates_ = 0, sent_bytes_ = 0, received_routes_ = 0, received_withdrawn_ = 0;
  // Wall-clock microseconds (CLOCK_REALTIME, comparable between processes on one host):
  // when the session came up (a sender starts its UPDATEs then) and when the last EVPN
  // route was decoded (a monitor's end of a benchmark).
  std::int64_t established_at_us_ = 0, last_route_at_us_ = 0;
  static std::int64_t wall_us() { return evpnd::tools::wall_us(); }
  std::string notification_;
  wire::ByteVec out_;
  std::size_t out_off_ = 0;
  std::vector<std::uint8_t> rx_;
  Clock::time_point last_keepalive_ = Clock::now();
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string mac_base = "02:10:00:00:00:00";
  po::options_description desc("evpnd-peersim: a scripted BGP-EVPN peer (tests, soak, benchmarks)\n\nOptions");
  desc.add_options()("help,h", "this help")
      ("local", po::value(&o.local)->required(), "address to connect from")
      ("remote", po::value(&o.remote)->required(), "the speaker's address")
      ("port", po::value(&o.port)->default_value(o.port), "the speaker's port")
      ("as", po::value(&o.as)->default_value(o.as), "our AS")
      ("remote-as", po::value(&o.remote_as)->default_value(o.remote_as), "the speaker's AS (equal: iBGP)")
      ("id", po::value(&o.id)->default_value(o.id), "our BGP identifier")
      ("hold", po::value(&o.hold)->default_value(o.hold), "hold time we propose")
      ("routes", po::value(&o.routes)->default_value(0), "Type-2 MAC routes to announce")
      ("per-update", po::bool_switch(&o.per_update), "one route per UPDATE (GoBGP's way); default packed (FRR's)")
      ("rd", po::value(&o.rd)->default_value(o.rd), "route distinguisher")
      ("rt", po::value(&o.rt)->default_value(o.rt), "route target; auto: AS:VNI of each route's VNI")
      ("nexthop", po::value(&o.nexthop)->default_value(o.nexthop), "VTEP address (MP next hop)")
      ("vni", po::value(&o.vni)->default_value(o.vni), "label (VNI); the first VNI with --vnis")
      ("vnis", po::value(&o.vnis)->default_value(1), "spread the routes over this many VNIs (round robin)")
      ("vteps", po::value(&o.vteps)->default_value(1), "... and this many next hops (--nexthop and the addresses after it)")
      ("rate", po::value(&o.rate)->default_value(0), "routes per second, one per UPDATE, route i at established + i / rate")
      ("mac-base", po::value(&mac_base)->default_value(mac_base), "first MAC; the others follow it")
      ("mobility-seq", po::value(&o.mobility_seq)->default_value(-1), "MAC Mobility community with this sequence")
      ("sticky", po::bool_switch(&o.sticky), "MAC Mobility community with the sticky flag")
      ("no-end-of-rib", "send no End-of-RIB after the routes")
      ("cycles", po::value(&o.cycles)->default_value(1), "connect, exchange, close this many times")
      ("hold-open", po::value(&o.hold_open)->default_value(0), "seconds to stay up after sending")
      ("stop-reading", po::bool_switch(&o.stop_reading), "read nothing after the OPEN exchange")
      ("resume-after", po::value(&o.resume_after)->default_value(-1), "with --stop-reading: read again after S seconds")
      ("expect-routes", po::value(&o.expect_routes)->default_value(-1), "stay until N EVPN routes and End-of-RIB arrived")
      ("no-expect-eor", "with --expect-routes: the routes alone will do (FRR 8.4 sent peersim no End-of-RIB)")
      ("rcvbuf", po::value(&o.rcvbuf)->default_value(0), "SO_RCVBUF (small: the window closes quickly)")
      ("timeout", po::value(&o.timeout)->default_value(o.timeout), "seconds a cycle may take")
      ("start-at", po::value(&o.start_at_us)->default_value(0),
       "connect at this wall-clock time, microseconds since the epoch (many peers at once)")
      ("report-established", po::bool_switch(&o.report_established),
       "print {\"established_at_us\": T} on stderr when each session comes up (benchmarks)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
      std::cout << desc;
      return 0;
    }
    po::notify(vm);
    const auto m = evpn::MacAddress::parse(mac_base);
    if (!m) throw std::runtime_error("bad --mac-base");
    o.mac_base = evpnd::tools::mac_value(*m);
    o.end_of_rib = vm.count("no-end-of-rib") == 0;
    o.expect_eor = vm.count("no-expect-eor") == 0;
    const auto updates = build_updates(o);
    Peer peer(o);
    bool ok = true;
    for (int c = 1; c <= o.cycles; ++c) ok &= peer.run_cycle(c, updates);
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "evpnd-peersim: " << e.what() << "\n";
    return 2;
  }
}
