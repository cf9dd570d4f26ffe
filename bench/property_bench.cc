// Property cases per second: generated 5-node configurations with 20-step fault schedules
// run through the property harness (api/testing/partition_test.h) with its observer
// clients and the ready-made invariants, as a property test runs them.
//   bazel run -c opt //bench:property_bench
#include <benchmark/benchmark.h>
#include <rapidcheck.h>

#include <vector>

#include "api/testing/partition_test.h"

namespace {

using quorumsim::NodeId;
using quorumsim::testing::ClusterSnapshot;
using quorumsim::testing::GenOptions;
using quorumsim::testing::Observed;
using quorumsim::testing::PartitionCase;

std::vector<PartitionCase> Cases(bool options) {
  GenOptions o;
  o.max_nodes = 5;
  o.max_steps = 40;  // drawn long, then cut to exactly 20 steps (a prefix stays valid)
  o.options = options;
  o.api_calls = options;
  std::vector<PartitionCase> cases;
  for (uint64_t seed = 1; cases.size() < 256; ++seed) {
    PartitionCase c = quorumsim::testing::GenPartitionCase(o)(rc::Random(seed), 100).value();
    if (c.spec.votes.size() != 5 || c.schedule.steps.size() < 20) continue;
    c.schedule.steps.resize(20);
    cases.push_back(std::move(c));
  }
  return cases;
}

void Run(benchmark::State& state, bool options) {
  const std::vector<PartitionCase> cases = Cases(options);
  size_t steps = 0;
  size_t i = 0;
  for (auto _ : state) {
    const PartitionCase& c = cases[i++ % cases.size()];
    steps += c.schedule.steps.size();
    auto result = quorumsim::testing::RunPartitionCase(
        c, {}, [](const ClusterSnapshot& s, const std::map<NodeId, void*>&, const std::map<NodeId, Observed>& o) {
          std::string m = quorumsim::testing::NodelistBeforeQuorum(s, o);
          return m.empty() ? quorumsim::testing::RingIdsNeverGoBack(s, o) : m;
        });
    benchmark::DoNotOptimize(result);
  }
  state.counters["cases/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["steps/case"] = static_cast<double>(steps) / static_cast<double>(state.iterations());
}

void BM_PropertyCase5NodesDefault(benchmark::State& state) { Run(state, false); }
void BM_PropertyCase5NodesAllOptions(benchmark::State& state) { Run(state, true); }
BENCHMARK(BM_PropertyCase5NodesDefault)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PropertyCase5NodesAllOptions)->Unit(benchmark::kMicrosecond);

}  // namespace
