// The RIB's receive hot path: the UPDATEs of one peer decoded (wire), applied to its
// Adj-RIB-In and the Loc-RIB (bgp::apply_update: EVPN NLRI decode, intern, insert), then
// best path over the dirty keys (EvpnRib::run_best_path). The workload is 100,000
// distinct MAC+IPv4 Type-2 routes in UPDATEs of 98, as FRR packs them (attributes of
// frr_type2_macip.hex).
//
//   BM_Rib_Learn      an empty RIB learns the 100,000 routes (the W1 intake)
//   BM_Rib_Relearn    the same UPDATEs again into the full RIB: every key Unchanged
//   BM_Rib_PeerDown   the peer's session ends: its 100,000 paths go (a walk of the
//                     table, there is no per-peer list yet) and best path reports them
//
// items_per_second is routes per second; "allocs_per_route" counts global operator new
// calls in the timed part divided by the routes (the zero-waste goal: today's
// figure is the baseline the memory work improves on).
#include <benchmark/benchmark.h>

#include "alloc_counter.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

#include "bgp/inbound.hpp"
#include "bgp/wire/message.hpp"
#include "evpn/nlri.hpp"
#include "rib/loc_rib.hpp"
#include "support/testdata.hpp"

using evpnd::bench::g_allocs;

namespace {

using namespace evpnd;
namespace wire = bgp::wire;

constexpr int kPerUpdate = 98;
constexpr int kRoutes = 100'000;

// Whole UPDATE messages (header included), kPerUpdate distinct hosts each.
const std::vector<wire::ByteVec>& updates() {
  static const std::vector<wire::ByteVec> all = [] {
    std::vector<wire::ByteVec> out;
    const auto capture = test::testdata("frr_type2_macip.hex");
    auto decoded = wire::decode_message(capture, wire::CodecContext{});
    if (!decoded.ok()) std::abort();
    const auto base = std::get<wire::DecodedUpdate>(decoded.value()).update;
    auto first = evpn::decode_evpn_nlris(base.attrs.mp_reach->nlri, false, 0);
    if (!first.ok() || first->size() != 1) std::abort();
    for (int done = 0; done < kRoutes;) {
      std::vector<evpn::EvpnNlri> batch;
      for (int i = 0; i < kPerUpdate && done < kRoutes; ++i, ++done) {
        evpn::EvpnNlri n = (*first)[0];
        auto& m = std::get<evpn::MacIpRoute>(n.route);
        const auto k = static_cast<std::uint32_t>(done);
        m.mac.bytes[3] = static_cast<std::uint8_t>(k >> 16);
        m.mac.bytes[4] = static_cast<std::uint8_t>(k >> 8);
        m.mac.bytes[5] = static_cast<std::uint8_t>(k);
        m.ip = wire::IpAddress::v4(0x0a000000u + k);
        batch.push_back(n);
      }
      wire::UpdateMessage u = base;
      u.attrs.mp_reach->nlri.clear();
      evpn::encode_evpn_nlris(batch, false, u.attrs.mp_reach->nlri);
      out.push_back(wire::encode_message(wire::Message{std::move(u)}, wire::CodecContext{}));
    }
    return out;
  }();
  return all;
}

struct Receiver {
  rib::AttrStore store;
  rib::EvpnRib rib;
  rib::Ipv4Rib ipv4_rib;
  rib::PeerId id = rib.add_peer(rib::PeerInfo{});
  rib::PeerId ipv4_id = ipv4_rib.add_peer(rib::PeerInfo{});  // the same id in both, as the speaker keeps them
  bgp::PeerTables tables{rib, ipv4_rib, id};
  bgp::InboundPolicy policy;

  std::size_t receive(const std::vector<wire::ByteVec>& messages) {
    std::size_t routes = 0;
    for (const auto& m : messages) {
      auto d = wire::decode_message(m, wire::CodecContext{});
      if (!d.ok()) std::abort();
      const auto& u = std::get<wire::DecodedUpdate>(d.value());
      routes += bgp::apply_update(u, m, wire::CodecContext{}, policy, tables, store).announced;
    }
    auto changes = rib.run_best_path();
    benchmark::DoNotOptimize(changes.data());
    return routes;
  }
};

void report(benchmark::State& state, std::uint64_t allocs, std::size_t routes) {
  state.SetItemsProcessed(static_cast<std::int64_t>(routes));
  state.counters["allocs_per_route"] = static_cast<double>(allocs) / static_cast<double>(routes);
}

void BM_Rib_Learn(benchmark::State& state) {
  const auto& msgs = updates();
  std::uint64_t allocs = 0;
  std::size_t routes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto r = std::make_unique<Receiver>();
    state.ResumeTiming();
    const auto before = g_allocs.load();
    routes += r->receive(msgs);
    allocs += g_allocs.load() - before;
    state.PauseTiming();
    if (r->rib.table().size() != static_cast<std::size_t>(kRoutes)) state.SkipWithError("routes missing");
    r.reset();  // teardown outside the timed part
    state.ResumeTiming();
  }
  report(state, allocs, routes);
}
BENCHMARK(BM_Rib_Learn)->Unit(benchmark::kMillisecond);

void BM_Rib_Relearn(benchmark::State& state) {
  const auto& msgs = updates();
  Receiver r;
  r.receive(msgs);
  std::uint64_t allocs = 0;
  std::size_t routes = 0;
  for (auto _ : state) {
    const auto before = g_allocs.load();
    routes += r.receive(msgs);
    allocs += g_allocs.load() - before;
  }
  report(state, allocs, routes);
}
BENCHMARK(BM_Rib_Relearn)->Unit(benchmark::kMillisecond);

void BM_Rib_PeerDown(benchmark::State& state) {
  const auto& msgs = updates();
  std::size_t routes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto r = std::make_unique<Receiver>();
    r->receive(msgs);
    state.ResumeTiming();
    r->tables.clear();
    const auto changes = r->rib.run_best_path();
    routes += changes.size();
    state.PauseTiming();
    if (!r->rib.table().empty()) state.SkipWithError("paths left");
    r.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(routes));
}
BENCHMARK(BM_Rib_PeerDown)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
