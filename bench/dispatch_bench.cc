// Callbacks through the C API (votequorum_dispatch), not part of the test count:
//   bazel run -c opt //bench:dispatch_bench -- --benchmark_format=json
//
// BM_Dispatch/handles_per_node/one/fd: a three-node cluster built with
//   quorumsim_cluster_create, `handles_per_node` tracking handles (CS_TRACK_CHANGES) on
//   every node; each iteration splits node 3 off and joins it back with
//   quorumsim_cluster_run, then drains every handle with votequorum_dispatch (one 0:
//   CS_DISPATCH_ALL once per handle; one 1: CS_DISPATCH_ONE_NONBLOCKING, one callback per
//   call, until CS_ERR_TRY_AGAIN). Every change gives each handle two callbacks (nodelist,
//   quorum), so each CS_DISPATCH_ALL runs two. fd 1: every handle's descriptor was taken
//   with votequorum_fd_get, as an event loop does, so the library keeps it in step with
//   the queue (an eventfd, one system call each way).
// BM_DispatchBacklog/changes: one tracking handle on node 1; `changes` splits and joins
//   are queued, then one CS_DISPATCH_ALL runs all 2 × changes callbacks.
//
// Counters:
//   items_per_second   callbacks per CPU second of the whole loop (churn included)
//   dispatch_cb_per_s  callbacks per second of the dispatch calls alone: each drain (a
//                      "window") is timed with CLOCK_MONOTONIC (about 30 ns a reading;
//                      the thread CPU clock is a system call costing ~0.8 µs here, more
//                      than a window), and the median window's time per callback is
//                      reported, so that windows in which another process on a shared
//                      machine preempted the benchmark do not count.
//   dispatch_ns_per_call  the same median, per votequorum_dispatch call
// BM_SetExpectedRoundTrip: votequorum_setexpected on node 1 and votequorum_dispatch until
//   the expected-votes callback arrived; items_per_second = round trips per second.
#include <benchmark/benchmark.h>
#include <corosync/votequorum.h>
#include <quorumsim/cluster.h>
#include <unistd.h>

#include <time.h>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_util.h"

namespace {

using quorumsim::bench::Check;

int64_t g_callbacks = 0;
uint32_t g_expected = 0;

int64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

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

// Times drains; reports the median window.
class Windows {
 public:
  void Start() {
    calls_ = 0;
    callbacks_ = g_callbacks;
    t0_ = MonotonicNs();
  }
  void Stop() {
    const int64_t t1 = MonotonicNs();
    const int64_t n = g_callbacks - callbacks_;
    if (n > 0) {
      ns_per_callback_.push_back(static_cast<double>(t1 - t0_) / static_cast<double>(n));
      ns_per_call_.push_back(static_cast<double>(t1 - t0_) / static_cast<double>(calls_));
    }
  }
  void CountCall() { ++calls_; }
  void Report(benchmark::State& state) {
    if (ns_per_callback_.empty()) return;
    state.counters["dispatch_cb_per_s"] = 1e9 / Median(&ns_per_callback_);
    state.counters["dispatch_ns_per_call"] = Median(&ns_per_call_);
  }

 private:
  static double Median(std::vector<double>* v) {
    std::nth_element(v->begin(), v->begin() + static_cast<std::ptrdiff_t>(v->size() / 2),
                     v->end());
    return (*v)[v->size() / 2];
  }
  int64_t t0_ = 0;
  int64_t callbacks_ = 0;
  int64_t calls_ = 0;
  std::vector<double> ns_per_callback_;
  std::vector<double> ns_per_call_;
};

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
  // Handles on nodes 1..handle_nodes.
  Setup(int nodes, int handle_nodes, int per_node, uint32_t track_flags, bool take_fd) {
    conf = WriteConf(nodes);
    Check(quorumsim_cluster_create(conf.c_str(), 0, &cluster) == CS_OK, "cluster_create");
    votequorum_callbacks_t cb{OnQuorum, OnExpected, OnNodelist};
    for (int node = 1; node <= handle_nodes; ++node) {
      Check(quorumsim_cluster_bind(cluster, static_cast<uint32_t>(node)) == CS_OK, "bind");
      for (int i = 0; i < per_node; ++i) {
        votequorum_handle_t h;
        Check(votequorum_initialize(&h, &cb) == CS_OK, "initialize");
        Check(votequorum_trackstart(h, 0, track_flags) == CS_OK, "trackstart");
        if (take_fd) {
          int fd = -1;
          Check(votequorum_fd_get(h, &fd) == CS_OK && fd >= 0, "fd_get");
        }
        handles.push_back(h);
      }
    }
  }
  ~Setup() {
    for (votequorum_handle_t h : handles) votequorum_finalize(h);
    quorumsim_cluster_destroy(cluster);
    std::remove(conf.c_str());
  }
  void DrainAll(bool one, Windows* w = nullptr) {
    for (votequorum_handle_t h : handles) {
      if (one) {
        cs_error_t rc;
        do {
          rc = votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING);
          if (w != nullptr) w->CountCall();
        } while (rc == CS_OK);
      } else {
        Check(votequorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK, "dispatch");
        if (w != nullptr) w->CountCall();
      }
    }
  }
  void Run(const char* command) {
    Check(quorumsim_cluster_run(cluster, command) == CS_OK, command);
  }
};

void BM_Dispatch(benchmark::State& state) {
  const int per_node = static_cast<int>(state.range(0));
  const bool one = state.range(1) == 1;
  const bool take_fd = state.range(2) == 1;
  Setup s(3, 3, per_node, CS_TRACK_CHANGES, take_fd);
  s.DrainAll(one);  // the trackstart snapshots
  g_callbacks = 0;
  Windows w;
  for (auto _ : state) {
    s.Run("split 1:3");
    w.Start();
    s.DrainAll(one, &w);
    w.Stop();
    s.Run("join 0 1");
    w.Start();
    s.DrainAll(one, &w);
    w.Stop();
  }
  state.SetItemsProcessed(g_callbacks);
  state.counters["handles"] = static_cast<double>(s.handles.size());
  state.counters["callbacks_per_iter"] =
      static_cast<double>(g_callbacks) / static_cast<double>(state.iterations());
  w.Report(state);
}
BENCHMARK(BM_Dispatch)
    ->ArgNames({"handles_per_node", "one", "fd"})
    ->Args({1, 0, 0})->Args({64, 0, 0})->Args({1, 1, 0})->Args({64, 1, 0})
    ->Args({1, 0, 1})->Args({64, 0, 1});

void BM_DispatchBacklog(benchmark::State& state) {
  const int changes = static_cast<int>(state.range(0));
  Setup s(3, 1, 1, CS_TRACK_CHANGES, false);
  s.DrainAll(false);
  g_callbacks = 0;
  Windows w;
  for (auto _ : state) {
    for (int i = 0; i < changes; ++i) s.Run(i % 2 == 0 ? "split 1:3" : "join 0 1");
    if (changes % 2 == 1) s.Run("join 0 1");
    w.Start();
    s.DrainAll(false, &w);
    w.Stop();
  }
  state.SetItemsProcessed(g_callbacks);
  state.counters["callbacks_per_call"] =
      static_cast<double>(g_callbacks) / static_cast<double>(state.iterations());
  w.Report(state);
}
BENCHMARK(BM_DispatchBacklog)->ArgName("changes")->Arg(32);

void BM_SetExpectedRoundTrip(benchmark::State& state) {
  Setup s(3, 0, 0, 0, false);
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
