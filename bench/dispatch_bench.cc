// Callbacks through the C API (votequorum_dispatch), not part of the test count:
//   bazel run -c opt //bench:dispatch_bench -- --benchmark_format=json
//
// BM_Dispatch/handles_per_node/mode: a three-node cluster built with
//   quorumsim_cluster_create, `handles_per_node` tracking handles (CS_TRACK_CHANGES) on
//   every node; each iteration splits node 3 off and joins it back with
//   quorumsim_cluster_run, then drains every handle with votequorum_dispatch
//   (mode 0: CS_DISPATCH_ALL once per handle; mode 1: CS_DISPATCH_ONE_NONBLOCKING, one
//   callback per call, until CS_ERR_TRY_AGAIN).
//   items_per_second: callbacks per CPU second of the whole loop (churn included);
//   dispatch_cb_per_s: callbacks per CPU second of the dispatch calls alone (thread CPU
//   clock, so that other processes on a shared machine do not count).
// BM_SetExpectedRoundTrip: votequorum_setexpected on node 1 and votequorum_dispatch until
//   the expected-votes callback arrived; items_per_second = round trips per second.
#include <benchmark/benchmark.h>
#include <corosync/votequorum.h>
#include <quorumsim/cluster.h>
#include <unistd.h>

#include <time.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_util.h"

namespace {

using quorumsim::bench::Check;

int64_t g_callbacks = 0;

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
uint32_t g_expected = 0;

void OnQuorum(votequorum_handle_t, uint64_t, uint32_t, uint32_t,
              votequorum_node_t*) {
  ++g_callbacks;
}
void OnNodelist(votequorum_handle_t, uint64_t, votequorum_ring_id_t, uint32_t, uint32_t*) {
  ++g_callbacks;
}
void OnExpected(votequorum_handle_t, uint64_t, uint32_t expected) {
  ++g_callbacks;
  g_expected = expected;
}

// quorumsim_cluster_create reads a file: the generated nodelist goes to a temporary one.
std::string WriteConf(int nodes) {
  char path[] = "/tmp/quorumsim-bench-XXXXXX";
  int fd = mkstemp(path);
  Check(fd >= 0, "mkstemp");
  const std::string text = quorumsim::bench::NodelistConf(nodes);
  Check(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()), "write conf");
  close(fd);
  return path;
}

struct Setup {
  quorumsim_cluster_t* cluster = nullptr;
  std::vector<votequorum_handle_t> handles;
  std::string conf;
  Setup(int nodes, int per_node, uint32_t track_flags) {
    conf = WriteConf(nodes);
    Check(quorumsim_cluster_create(conf.c_str(), 0, &cluster) == CS_OK, "cluster_create");
    votequorum_callbacks_t cb{OnQuorum, OnExpected, OnNodelist};
    for (int node = 1; node <= nodes; ++node) {
      Check(quorumsim_cluster_bind(cluster, static_cast<uint32_t>(node)) == CS_OK, "bind");
      for (int i = 0; i < per_node; ++i) {
        votequorum_handle_t h;
        Check(votequorum_initialize(&h, &cb) == CS_OK, "initialize");
        Check(votequorum_trackstart(h, 0, track_flags) == CS_OK, "trackstart");
        handles.push_back(h);
      }
    }
  }
  ~Setup() {
    for (votequorum_handle_t h : handles) votequorum_finalize(h);
    quorumsim_cluster_destroy(cluster);
    std::remove(conf.c_str());
  }
  void DrainAll(bool one) {
    for (votequorum_handle_t h : handles) {
      if (one) {
        while (votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING) == CS_OK) {
        }
      } else {
        Check(votequorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK, "dispatch");
      }
    }
  }
};

void BM_Dispatch(benchmark::State& state) {
  const int per_node = static_cast<int>(state.range(0));
  const bool one = state.range(1) == 1;
  Setup s(3, per_node, CS_TRACK_CHANGES);
  s.DrainAll(one);  // the trackstart snapshots
  g_callbacks = 0;
  double dispatch_s = 0;
  for (auto _ : state) {
    Check(quorumsim_cluster_run(s.cluster, "split 1:3") == CS_OK, "split");
    const double t0 = ThreadCpuSeconds();
    s.DrainAll(one);
    const double t1 = ThreadCpuSeconds();
    Check(quorumsim_cluster_run(s.cluster, "join 0 1") == CS_OK, "join");
    const double t2 = ThreadCpuSeconds();
    s.DrainAll(one);
    const double t3 = ThreadCpuSeconds();
    dispatch_s += (t1 - t0) + (t3 - t2);
  }
  state.SetItemsProcessed(g_callbacks);
  state.counters["handles"] = static_cast<double>(s.handles.size());
  state.counters["callbacks_per_iter"] =
      static_cast<double>(g_callbacks) / static_cast<double>(state.iterations());
  state.counters["dispatch_cb_per_s"] = dispatch_s > 0 ? g_callbacks / dispatch_s : 0;
}
BENCHMARK(BM_Dispatch)
    ->ArgNames({"handles_per_node", "one"})
    ->Args({1, 0})->Args({64, 0})->Args({1, 1})->Args({64, 1});

void BM_SetExpectedRoundTrip(benchmark::State& state) {
  Setup s(3, 0, 0);
  Check(quorumsim_cluster_bind(s.cluster, 1) == CS_OK, "bind");
  votequorum_callbacks_t cb{OnQuorum, OnExpected, OnNodelist};
  votequorum_handle_t h;
  Check(votequorum_initialize(&h, &cb) == CS_OK, "initialize");
  Check(votequorum_trackstart(h, 0, CS_TRACK_CHANGES_ONLY) == CS_OK, "trackstart");
  s.handles.push_back(h);
  uint32_t want = 3;
  for (auto _ : state) {
    want = want == 3 ? 4 : 3;
    Check(votequorum_setexpected(h, want) == CS_OK, "setexpected");
    do {
      Check(votequorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK, "dispatch");
    } while (g_expected != want);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SetExpectedRoundTrip);

}  // namespace
