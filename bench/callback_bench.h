// A callback-throughput harness for your own votequorum callbacks (public: link
// @quorumsim//bench:callback_bench and Google Benchmark).
//
//   #include "bench/callback_bench.h"
//   static void MyQuorum(votequorum_handle_t, uint64_t, uint32_t quorate, uint32_t n,
//                        votequorum_node_t* nodes) { ... your code ... }
//   static void BM_MyCallbacks(benchmark::State& state) {
//     quorumsim::bench::CallbackBenchOptions o;
//     o.churn = quorumsim::bench::Churn::kMembership;   // or kSetExpected, kSetVotes
//     o.handles = 8;                                     // tracking handles on o.node
//     quorumsim::bench::RunCallbackBench(state, o, {MyQuorum, nullptr, nullptr});
//   }
//   BENCHMARK(BM_MyCallbacks);
//   BENCHMARK_MAIN();
//
// Each benchmark iteration makes one change and one change back, at full speed: membership
// (o.churn_node leaves the partition and comes back, settled each time), or
// votequorum_setexpected / votequorum_setvotes from a handle on o.node. After each change
// every handle on o.node is drained with votequorum_dispatch(CS_DISPATCH_ALL), so your
// callbacks run in the timed loop, as in a real program's main loop.
//
// Counters:
//   items_per_second     your callbacks run per CPU second of this process (churn,
//                        simulation and dispatch)
//   wall_callbacks_per_s the same per wall-clock second (with the real daemon most of the
//                        time is the daemon's and the wait for it, so compare this one)
//   callbacks_per_change callbacks per change (all handles)
//   vms_change_to_cb     virtual ms from the change to its callbacks (the simulated
//                        detection and re-formation delay: token + consensus for a loss,
//                        join for a merge, message delays for requests)
//   vms_ring_to_cb       virtual ms from the new ring forming to the callbacks (membership
//                        churn only: the sync's message rounds, o.message_delay_ms each)
//   us_change_to_cb      with the real daemon: wall-clock µs from the request to the last
//                        handle's callback
//
// With QUORUMSIM_BACKEND=corosync in the environment and a request churn (kSetExpected,
// kSetVotes) the same program drives the real corosync of this machine through the system
// libvotequorum instead (single node; membership churn is refused): it waits for each
// change's callbacks with poll() on the handles' descriptors. The virtual-time counters are
// then absent. bench/corosync_roundtrip.sh runs //bench:callback_bench_example this way
// against a private single-node corosync.
#ifndef QUORUMSIM_BENCH_CALLBACK_BENCH_H_
#define QUORUMSIM_BENCH_CALLBACK_BENCH_H_

#include <benchmark/benchmark.h>
#include <corosync/votequorum.h>

#include <cstdint>
#include <string>

namespace quorumsim::bench {

enum class Churn {
  kMembership,   // churn_node leaves node's partition and comes back
  kSetExpected,  // votequorum_setexpected(total votes + 1), then back to total votes
  kSetVotes,     // votequorum_setvotes(node, its votes + 1), which raises expected votes
                 // with the total (a callback); then setvotes(node, its votes) and, since
                 // expected votes never fall by themselves, votequorum_setexpected(total
                 // votes) to bring them back (a callback). One callback per change.
};

struct CallbackBenchOptions {
  std::string conf_path;   // corosync.conf; empty: a generated cluster of `nodes` one-vote nodes
  int nodes = 3;
  uint32_t node = 1;        // your handles live on this node
  uint32_t churn_node = 0;  // kMembership: the node that leaves (0: the highest other node)
  int handles = 1;          // tracking handles (CS_TRACK_CHANGES) on `node`
  Churn churn = Churn::kMembership;
  uint64_t message_delay_ms = 0;  // simulated delay of every ring message
};

// Runs the benchmark loop for `state`; aborts with a message on stderr if the cluster or a
// library call fails. Callback pointers left null are not called.
void RunCallbackBench(benchmark::State& state, const CallbackBenchOptions& options,
                      const votequorum_callbacks_t& callbacks);

}  // namespace quorumsim::bench

#endif  // QUORUMSIM_BENCH_CALLBACK_BENCH_H_
