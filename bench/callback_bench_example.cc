// Example use of the callback-throughput harness (bench/callback_bench.h), with callbacks
// standing in for a user's:  bazel run -c opt //bench:callback_bench_example
#include <benchmark/benchmark.h>

#include "bench/callback_bench.h"

namespace {

// A user's callbacks would do real work; these keep a little state so they are not empty.
uint64_t g_last_quorate = 0;
void MyQuorum(votequorum_handle_t, uint64_t, uint32_t quorate, uint32_t, votequorum_node_t*) {
  g_last_quorate = quorate;
}
void MyExpected(votequorum_handle_t, uint64_t, uint32_t expected) {
  benchmark::DoNotOptimize(expected);
}
const votequorum_callbacks_t kMine{MyQuorum, MyExpected, nullptr};

using quorumsim::bench::CallbackBenchOptions;
using quorumsim::bench::Churn;

void BM_Membership(benchmark::State& state) {
  CallbackBenchOptions o;
  o.nodes = 5;
  o.handles = static_cast<int>(state.range(0));
  o.message_delay_ms = static_cast<uint64_t>(state.range(1));
  quorumsim::bench::RunCallbackBench(state, o, kMine);
}
BENCHMARK(BM_Membership)->ArgNames({"handles", "delay_ms"})->Args({1, 0})->Args({16, 0})->Args({1, 5});

void BM_SetExpected(benchmark::State& state) {
  CallbackBenchOptions o;
  o.churn = Churn::kSetExpected;
  o.handles = static_cast<int>(state.range(0));
  quorumsim::bench::RunCallbackBench(state, o, kMine);
}
BENCHMARK(BM_SetExpected)->ArgName("handles")->Arg(1)->Arg(16);

void BM_SetVotes(benchmark::State& state) {
  CallbackBenchOptions o;
  o.churn = Churn::kSetVotes;
  quorumsim::bench::RunCallbackBench(state, o, kMine);
}
BENCHMARK(BM_SetVotes);

}  // namespace

BENCHMARK_MAIN();
