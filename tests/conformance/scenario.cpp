#include "conformance/scenario.hpp"

#include <charconv>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "bgp/outbound.hpp"
#include "cli/message_render.hpp"
#include "conformance/harness.hpp"
#include "evpn/origination.hpp"
#include "support/testdata.hpp"

namespace evpnd::test {

namespace wire = bgp::wire;
using ordered_json = nlohmann::ordered_json;

namespace {

std::vector<std::string> words_of(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> w;
  for (std::string s; in >> s;) w.push_back(s);
  return w;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::uint32_t number(const std::string& s) {
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) throw std::runtime_error("not a number: '" + s + "'");
  return v;
}

wire::IpAddress address(const std::string& s) {
  auto a = wire::IpAddress::parse(s);
  if (!a) throw std::runtime_error("not an address: '" + s + "'");
  return *a;
}

wire::Prefix prefix(const std::string& s) {
  const auto slash = s.find('/');
  if (slash == std::string::npos) throw std::runtime_error("not a prefix: '" + s + "'");
  return wire::Prefix{address(s.substr(0, slash)), static_cast<std::uint8_t>(number(s.substr(slash + 1))), {}};
}

wire::AfiSafi family(const std::string& s) {
  if (s == "evpn") return wire::AfiSafi::l2vpn_evpn();
  if (s == "ipv4") return wire::AfiSafi::ipv4_unicast();
  throw std::runtime_error("family is evpn or ipv4, not '" + s + "'");
}

// The path attributes a scripted peer adds to what `test evpn originate` builds: taken
// out of `args`, the rest left for parse_originate.
struct PeerAttributes {
  std::optional<std::vector<std::uint32_t>> as_path;
  std::optional<std::uint32_t> local_pref, med;
  std::optional<wire::RouterId> originator_id;
  std::vector<std::uint32_t> cluster_list;
  std::optional<wire::IpAddress> next_hop;  // ipv4 prefixes

  static PeerAttributes take(std::vector<std::string>& args) {
    PeerAttributes a;
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& k = args[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= args.size()) throw std::runtime_error("'" + k + "' needs a value");
        return args[++i];
      };
      if (k == "as-path") {
        a.as_path.emplace();
        for (const auto& asn : split(value(), ',')) a.as_path->push_back(number(asn));
      } else if (k == "local-pref") {
        a.local_pref = number(value());
      } else if (k == "med") {
        a.med = number(value());
      } else if (k == "originator-id") {
        a.originator_id = wire::RouterId{address(value()).v4_host_order()};
      } else if (k == "cluster-list") {
        for (const auto& id : split(value(), ',')) a.cluster_list.push_back(address(id).v4_host_order());
      } else {
        rest.push_back(k);
      }
    }
    args = std::move(rest);
    return a;
  }

  // An iBGP peer sends LOCAL_PREF (default 100) and an empty AS_PATH; an eBGP one its own
  // AS first (RFC 4271 §5.1.2).
  void apply(wire::PathAttributes& attrs, const ScriptedPeer& p, bool ibgp) const {
    attrs.origin = wire::Origin::Igp;
    wire::AsPath path;
    const auto asns = as_path ? *as_path : (ibgp ? std::vector<std::uint32_t>{} : std::vector{p.spec().asn.value});
    if (!asns.empty()) path.segments.push_back({wire::AsPathSegmentType::Sequence, asns});
    attrs.as_path = path;
    if (ibgp) attrs.local_pref = local_pref.value_or(100);
    attrs.med = med;
    attrs.originator_id = originator_id;
    attrs.cluster_list = cluster_list;
  }
};

class Runner {
 public:
  ordered_json run(const std::string& script) {
    std::istringstream in(script);
    std::string line;
    std::string config;
    bool in_config = false;
    unsigned n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (auto hash = line.find('#'); hash != std::string::npos && line.rfind('>', 0) != 0) line.erase(hash);
      if (in_config && words_of(line).empty()) continue;
      if (in_config && (line[0] == ' ' || line[0] == '\t')) {
        config += line.substr(line.find_first_not_of(" \t")) + "\n";
        continue;
      }
      in_config = false;
      if (words_of(line).empty()) continue;
      if (line == "config") {
        in_config = true;
        continue;
      }
      try {
        if (!harness_) {
          if (config.empty()) throw std::runtime_error("the script starts with its config block");
          harness_ = std::make_unique<Harness>(config);
        }
        step(line);
      } catch (const std::exception& e) {
        throw std::runtime_error("line " + std::to_string(n) + " (" + line + "): " + e.what());
      }
    }
    return transcript_;
  }

 private:
  void step(const std::string& line) {
    if (line.rfind("> ", 0) == 0) return command(line.substr(2));
    auto w = words_of(line);
    const std::string& verb = w[0];
    auto need = [&](std::size_t k) {
      if (w.size() < k) throw std::runtime_error("'" + verb + "' needs " + std::to_string(k - 1) + " arguments");
    };
    if (verb == "peer") return add_peer(w);
    if (verb == "start") return harness_->start();
    if (verb == "establish") {
      if (!harness_->establish()) throw std::runtime_error("the sessions did not come up within 30 s");
      return;
    }
    if (verb == "advance") {
      need(2);
      return harness_->advance(std::chrono::seconds(number(w[1])));
    }
    if (verb == "connect") {
      need(2);
      return harness_->connect_inbound(address(w[1]));
    }
    need(2);
    auto& p = harness_->peer(address(w[1]));
    if (verb == "send") return send(p, std::vector<std::string>(w.begin() + 2, w.end()));
    if (verb == "sent") return sent(p);
    if (verb == "close") {
      p.close();
      return harness_->settle();
    }
    if (verb == "keepalives" || verb == "accept") {
      need(3);
      if (w[2] != "on" && w[2] != "off") throw std::runtime_error("on or off");
      (verb == "keepalives" ? p.set_keepalives(w[2] == "on") : p.set_accepting(w[2] == "on"));
      return;
    }
    throw std::runtime_error("unknown command '" + verb + "'");
  }

  void add_peer(const std::vector<std::string>& w) {
    if (w.size() < 6 || w[2] != "as" || w[4] != "id") throw std::runtime_error("peer ADDR as ASN id RID ...");
    ScriptedPeerSpec s;
    s.address = address(w[1]);
    s.asn = wire::Asn{number(w[3])};
    s.router_id = wire::RouterId{address(w[5]).v4_host_order()};
    s.speaker_address = wire::IpAddress::v4(harness_->config().router_id.value_or(wire::RouterId{}).value);
    for (std::size_t i = 6; i < w.size(); ++i) {
      auto value = [&]() -> std::string {
        if (i + 1 >= w.size()) throw std::runtime_error("'" + w[i] + "' needs a value");
        return w[++i];
      };
      if (w[i] == "hold") {
        s.hold_time = static_cast<std::uint16_t>(number(value()));
      } else if (w[i] == "local") {
        s.speaker_address = address(value());
      } else if (w[i] == "families") {
        s.families.clear();
        for (const auto& f : split(value(), ',')) s.families.push_back(family(f));
      } else if (w[i] == "no-refresh") {
        s.route_refresh = s.enhanced_route_refresh = false;
      } else {
        throw std::runtime_error("unknown peer option '" + w[i] + "'");
      }
    }
    harness_->add_peer(s);
  }

  void send(ScriptedPeer& p, std::vector<std::string> args) {
    if (args.empty()) throw std::runtime_error("send what?");
    if (!p.connected()) throw std::runtime_error("the peer has no connection");
    const auto& ctx = p.codec();
    const bool ibgp = ctx.ibgp;
    const std::string what = args[0];
    args.erase(args.begin());
    std::vector<wire::ByteVec> messages;
    if (what == "file") {
      if (args.size() != 1) throw std::runtime_error("send ADDR file NAME.hex");
      messages.push_back(testdata(args[0]));
    } else if (what == "eor" || what == "refresh") {
      if (args.empty()) throw std::runtime_error("which family?");
      const auto f = family(args[0]);
      if (what == "eor") {
        messages.push_back(bgp::end_of_rib_message(f, ctx));
      } else {
        using Sub = wire::RouteRefreshMessage::Subtype;
        Sub sub = Sub::Normal;
        if (args.size() > 1) sub = args[1] == "borr" ? Sub::BeginOfRibRefresh : Sub::EndOfRibRefresh;
        messages.push_back(bgp::route_refresh_message(f, sub, ctx));
      }
    } else {
      const bool withdraw = what == "withdraw";
      const std::string kind = withdraw ? (args.empty() ? "" : args[0]) : what;
      if (withdraw) args.erase(args.begin());
      auto extra = PeerAttributes::take(args);
      if (kind == "prefix") {
        if (args.empty()) throw std::runtime_error("which prefix?");
        const std::vector<wire::Prefix> nlri{prefix(args[0])};
        if (withdraw) {
          messages = bgp::build_withdrawals(nlri, ctx);
        } else {
          if (args.size() != 3 || args[1] != "nexthop") throw std::runtime_error("prefix P/LEN nexthop IP");
          wire::PathAttributes attrs;
          extra.apply(attrs, p, ibgp);
          attrs.next_hop = address(args[2]);
          messages = bgp::build_updates(attrs, nlri, ctx);
        }
      } else {
        auto req = cli::parse_originate(kind, args, withdraw);
        if (!req) throw std::runtime_error(req.error());
        std::vector<evpn::EvpnNlri> nlri{req->nlri};
        if (req->count > 1) nlri = evpn::consecutive_macs(std::get<evpn::MacIpRoute>(req->nlri.route), req->count);
        if (withdraw) {
          messages = bgp::build_withdrawals(nlri, ctx);
        } else {
          extra.apply(req->attrs, p, ibgp);
          messages = bgp::build_updates(req->attrs, nlri, ctx);
        }
      }
    }
    if (messages.empty()) throw std::runtime_error("nothing to send");
    for (const auto& m : messages) p.send(m);
    harness_->settle();
  }

  void command(const std::string& line) {
    auto r = harness_->exec(line);
    ordered_json entry;
    entry["command"] = line;
    if (r.status != cli::CommandResult::Status::Ok) entry["status"] = "error";
    auto parsed = ordered_json::parse(r.output, nullptr, false);
    if (!parsed.is_discarded() && !r.output.empty()) {
      entry["output"] = parsed;
    } else {
      ordered_json lines = ordered_json::array();
      std::istringstream in(r.output);
      for (std::string l; std::getline(in, l);) lines.push_back(l);
      entry["output"] = lines;
    }
    transcript_.push_back(entry);
  }

  void sent(ScriptedPeer& p) {
    ordered_json entry;
    entry["sent"] = p.spec().address.to_string();
    ordered_json list = ordered_json::array();
    std::size_t keepalives = 0;
    for (const auto& m : p.take_received()) {
      if (std::holds_alternative<wire::KeepaliveMessage>(m)) {
        ++keepalives;
        continue;
      }
      list.push_back(cli::message_json(m, p.codec()));
    }
    entry["keepalives"] = keepalives;
    entry["messages"] = list;
    transcript_.push_back(entry);
  }

  std::unique_ptr<Harness> harness_;
  ordered_json transcript_ = ordered_json::array();
};

}  // namespace

ordered_json run_scenario(const std::string& script) { return Runner{}.run(script); }

}  // namespace evpnd::test
