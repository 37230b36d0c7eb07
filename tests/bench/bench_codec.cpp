// EVPN codec throughput on the UPDATEs FRR sends in bulk: 98 MAC+IPv4 Type-2 NLRI per
// UPDATE (FRR packs about 98; INTEROP.md), attributes as in frr_type2_macip.hex
// (MP_REACH first, ORIGIN, AS_PATH, EXTENDED_COMMUNITIES ENCAP:VXLAN + RT), 3,891 bytes.
//
//   BM_EvpnNlri_ForEach      (a) decode of the NLRI field with for_each_evpn_nlri
//   BM_EvpnNlri_Vector       decode_evpn_nlris into a vector (for comparison)
//   BM_EvpnNlri_ForEachKey   (a) plus route_key + hash per NLRI (what the RIB does next)
//   BM_Update_Full           (b) wire::decode_update of the whole UPDATE + for_each_evpn_nlri
//   BM_EvpnNlri_Encode       (c) encode of the same 98 NLRI into a reused buffer
//
// items_per_second is NLRI per second. "allocs_per_nlri" counts global operator new calls
// inside the timed loop divided by the NLRI processed (target: 0 for (a) and (c)).
// Target: >= 10 million Type-2 NLRI decoded per second on one core.
#include <benchmark/benchmark.h>

#include "alloc_counter.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

#include "bgp/wire/update.hpp"
#include "evpn/nlri.hpp"
#include "support/testdata.hpp"

using evpnd::bench::g_allocs;

namespace {

using namespace evpnd::evpn;
namespace wire = evpnd::bgp::wire;

constexpr int kNlriPerUpdate = 98;

struct Workload {
  wire::ByteVec message;  // whole UPDATE, header included
  wire::ByteVec nlri;     // the MP_REACH NLRI field alone
  std::vector<EvpnNlri> routes;
};

// Starts from FRR's captured MAC+IP UPDATE and replaces its one NLRI with 98 distinct
// hosts (MAC 02:00:00:00:xx:yy, IP 192.168.x.y), keeping every attribute and their order.
const Workload& workload() {
  static const Workload w = [] {
    Workload out;
    const auto capture = evpnd::test::testdata("frr_type2_macip.hex");
    const wire::ByteSpan body(capture.data() + wire::kHeaderSize, capture.size() - wire::kHeaderSize);
    auto decoded = wire::decode_update(body, wire::CodecContext{});
    if (!decoded.ok()) std::abort();
    wire::UpdateMessage update = decoded->update;
    auto first = decode_evpn_nlris(update.attrs.mp_reach->nlri, false, 0);
    if (!first.ok() || first->size() != 1) std::abort();
    for (int i = 0; i < kNlriPerUpdate; ++i) {
      EvpnNlri n = (*first)[0];
      auto& m = std::get<MacIpRoute>(n.route);
      m.mac.bytes[4] = static_cast<std::uint8_t>(1 + i / 200);
      m.mac.bytes[5] = static_cast<std::uint8_t>(1 + i % 200);
      m.ip = wire::IpAddress::v4(0xc0a86400u + 1 + static_cast<std::uint32_t>(i));
      out.routes.push_back(n);
    }
    encode_evpn_nlris(out.routes, false, out.nlri);
    update.attrs.mp_reach->nlri = out.nlri;
    wire::ByteVec ubody;
    wire::encode_update_body(update, wire::CodecContext{}, ubody);
    out.message.assign(16, 0xff);
    const std::size_t total = wire::kHeaderSize + ubody.size();
    out.message.push_back(static_cast<std::uint8_t>(total >> 8));
    out.message.push_back(static_cast<std::uint8_t>(total));
    out.message.push_back(2);
    out.message.insert(out.message.end(), ubody.begin(), ubody.end());
    if (out.message.size() > wire::kMaxMessageSize) std::abort();
    return out;
  }();
  return w;
}

void report(benchmark::State& state, std::uint64_t allocs) {
  const auto nlri = static_cast<double>(state.iterations()) * kNlriPerUpdate;
  state.SetItemsProcessed(static_cast<std::int64_t>(nlri));
  state.counters["allocs_per_nlri"] = static_cast<double>(allocs) / nlri;
  state.counters["update_bytes"] = static_cast<double>(workload().message.size());
}

void BM_EvpnNlri_ForEach(benchmark::State& state) {
  const Workload& w = workload();
  std::uint64_t sum = 0;
  const auto before = g_allocs.load();
  for (auto _ : state) {
    auto r = for_each_evpn_nlri(w.nlri, false, 0, [&](const EvpnNlri& n) {
      const auto& m = std::get<MacIpRoute>(n.route);
      sum += m.label1.raw + m.mac.bytes[5];
    });
    if (!r.ok() || *r != kNlriPerUpdate) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(sum);
  }
  report(state, g_allocs.load() - before);
}
BENCHMARK(BM_EvpnNlri_ForEach);

void BM_EvpnNlri_Vector(benchmark::State& state) {
  const Workload& w = workload();
  const auto before = g_allocs.load();
  for (auto _ : state) {
    auto r = decode_evpn_nlris(w.nlri, false, 0);
    if (!r.ok() || r->size() != kNlriPerUpdate) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(r);
  }
  report(state, g_allocs.load() - before);
}
BENCHMARK(BM_EvpnNlri_Vector);

void BM_EvpnNlri_ForEachKey(benchmark::State& state) {
  const Workload& w = workload();
  std::size_t h = 0;
  const auto before = g_allocs.load();
  for (auto _ : state) {
    auto r = for_each_evpn_nlri(w.nlri, false, 0, [&](const EvpnNlri& n) {
      h ^= std::hash<EvpnRouteKey>{}(route_key(n.route));
    });
    if (!r.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(h);
  }
  report(state, g_allocs.load() - before);
}
BENCHMARK(BM_EvpnNlri_ForEachKey);

void BM_Update_Full(benchmark::State& state) {
  const Workload& w = workload();
  const wire::ByteSpan body(w.message.data() + wire::kHeaderSize, w.message.size() - wire::kHeaderSize);
  const wire::CodecContext ctx;
  std::uint64_t sum = 0;
  const auto before = g_allocs.load();
  for (auto _ : state) {
    auto u = wire::decode_update(body, ctx);
    if (!u.ok() || !u->update.attrs.mp_reach) {
      state.SkipWithError("decode_update failed");
      break;
    }
    auto r = for_each_evpn_nlri(u->update.attrs.mp_reach->nlri, false, 0, [&](const EvpnNlri& n) {
      sum += std::get<MacIpRoute>(n.route).label1.raw;
    });
    if (!r.ok() || *r != kNlriPerUpdate) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(sum);
  }
  report(state, g_allocs.load() - before);
}
BENCHMARK(BM_Update_Full);

void BM_EvpnNlri_Encode(benchmark::State& state) {
  const Workload& w = workload();
  wire::ByteVec out;
  out.reserve(4096);
  const auto before = g_allocs.load();
  for (auto _ : state) {
    out.clear();
    for (const auto& n : w.routes) encode_evpn_nlri(n, false, out);
    benchmark::DoNotOptimize(out.data());
  }
  if (out != w.nlri) state.SkipWithError("encode differs from the workload bytes");
  report(state, g_allocs.load() - before);
}
BENCHMARK(BM_EvpnNlri_Encode);

}  // namespace

BENCHMARK_MAIN();
