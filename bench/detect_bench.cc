// Micro-benchmarks of the per-exchange hot path on generated shop-API traffic: view building,
// policy scanning with the built-in library, and both together. Numbers are relative: compare
// runs of the same binary on the same machine (see docs/benchmarks.md).
#include <benchmark/benchmark.h>

#include "app/policy_sources.h"
#include "app/sample_traffic.h"
#include "detect/engine.h"
#include "normalize/normalize.h"

namespace warden {
namespace {

const std::vector<Exchange>& Traffic() {
  static const std::vector<Exchange> traffic = [] {
    SampleTrafficOptions o;
    o.count = 4096;
    o.start_time_s = 1'700'000'000;
    return GenerateSampleTraffic(o);
  }();
  return traffic;
}

std::shared_ptr<const CompiledPolicySet> Builtins() {
  static const auto set = [] {
    auto policies = LoadConfiguredPolicies(PolicySources{});
    if (!policies.ok()) std::abort();
    auto compiled = CompilePolicies(std::move(policies).value());
    if (!compiled.ok()) std::abort();
    return *compiled;
  }();
  return set;
}

std::int64_t Bytes(const Exchange& e) {
  std::int64_t n =
      static_cast<std::int64_t>(e.target.size() + e.request_body.size() + e.response_body.size());
  for (const auto& h : e.request_headers)
    n += static_cast<std::int64_t>(h.name.size() + h.value.size());
  return n;
}

void BM_BuildView(benchmark::State& state) {
  const auto& traffic = Traffic();
  NormalizeOptions opts;
  std::size_t i = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    const Exchange& e = traffic[i++ % traffic.size()];
    View v = BuildView(e, opts);
    benchmark::DoNotOptimize(v);
    bytes += Bytes(e);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_BuildView);

void BM_Scan(benchmark::State& state) {
  const auto& traffic = Traffic();
  NormalizeOptions opts;
  std::vector<View> views;
  for (const auto& e : traffic) views.push_back(BuildView(e, opts));
  auto policies = Builtins();
  ScanScratch scratch;
  std::vector<Finding> findings;
  std::size_t i = 0;
  for (auto _ : state) {
    findings.clear();
    policies->Scan(views[i++ % views.size()], scratch, &findings);
    benchmark::DoNotOptimize(findings);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["policies"] = static_cast<double>(policies->policies().size());
}
BENCHMARK(BM_Scan);

void BM_ViewAndScan(benchmark::State& state) {
  const auto& traffic = Traffic();
  NormalizeOptions opts;
  auto policies = Builtins();
  ScanScratch scratch;
  std::vector<Finding> findings;
  std::size_t i = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    const Exchange& e = traffic[i++ % traffic.size()];
    View v = BuildView(e, opts);
    findings.clear();
    policies->Scan(v, scratch, &findings);
    benchmark::DoNotOptimize(findings);
    bytes += Bytes(e);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_ViewAndScan);

}  // namespace
}  // namespace warden

BENCHMARK_MAIN();
