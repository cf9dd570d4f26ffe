// Membership transitions against cluster size (not part of the test count):
//   bazel run -c opt //bench:transition_bench -- --benchmark_format=json
//
// BM_SplitJoin/N: N nodes split in half and heal; one iteration = two settled transitions.
//   Counters: s_per_transition (CPU), deliveries per iteration (engine Deliver calls, O(N²)),
//   s_per_delivery (CPU time / deliveries), allocs_per_transition (operator new calls in
//   steady state, counted by //bench:alloc_count).
// BM_ClusterMemory/N: heap bytes in use for a started N-node cluster, per node (glibc
//   mallinfo2; includes each node's engine, device daemon and transport state).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "bench/alloc_count.h"
#include "bench/bench_util.h"
#include "sim/cluster.h"

namespace {

using quorumsim::NodeId;
using quorumsim::bench::Check;
using quorumsim::bench::MakeCluster;

void BM_SplitJoin(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  auto cluster = MakeCluster(nodes);
  std::vector<NodeId> half;
  for (int i = nodes / 2 + 1; i <= nodes; ++i) half.push_back(static_cast<NodeId>(i));
  const auto cycle = [&] {
    Check(cluster->MoveToPartition(half, 1).ok(), "split");
    Check(cluster->Settle().ok(), "settle after split");
    Check(cluster->MoveToPartition(half, 0).ok(), "join");
    Check(cluster->Settle().ok(), "settle after join");
  };
  cycle();  // warm up: buffers reach their steady-state sizes
  const uint64_t deliveries0 = cluster->stats().deliveries;
  const uint64_t allocs0 = quorumsim::bench::AllocationCount();
  for (auto _ : state) cycle();
  const double iters = static_cast<double>(state.iterations());
  const double deliveries = static_cast<double>(cluster->stats().deliveries - deliveries0);
  const double allocs = static_cast<double>(quorumsim::bench::AllocationCount() - allocs0);
  using benchmark::Counter;
  state.counters["nodes"] = nodes;
  state.counters["s_per_transition"] = Counter(2 * iters, Counter::kIsRate | Counter::kInvert);
  state.counters["deliveries_per_iter"] = deliveries / iters;
  state.counters["s_per_delivery"] = Counter(deliveries, Counter::kIsRate | Counter::kInvert);
  state.counters["allocs_per_transition"] = allocs / (2 * iters);
}
BENCHMARK(BM_SplitJoin)
    ->Arg(2)->Arg(3)->Arg(5)->Arg(16)->Arg(64)->Arg(128)->Arg(384)
    ->Unit(benchmark::kMicrosecond);

void BM_ClusterMemory(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  double per_node = 0;
  for (auto _ : state) {
    const size_t before = mallinfo2().uordblks;
    auto cluster = MakeCluster(nodes);
    // A split and a join, so that the transport's buffers reached their working sizes.
    std::vector<NodeId> half;
    for (int i = nodes / 2 + 1; i <= nodes; ++i) half.push_back(static_cast<NodeId>(i));
    Check(cluster->MoveToPartition(half, 1).ok() && cluster->Settle().ok(), "split");
    Check(cluster->MoveToPartition(half, 0).ok() && cluster->Settle().ok(), "join");
    const size_t after = mallinfo2().uordblks;
    per_node = static_cast<double>(after - before) / nodes;
  }
  state.counters["nodes"] = nodes;
  state.counters["bytes_per_node"] = per_node;
}
BENCHMARK(BM_ClusterMemory)->Arg(5)->Arg(16)->Arg(384)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
