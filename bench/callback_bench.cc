// The harness of callback_bench.h: trampolines count every callback and forward it to the
// user's function; the loop makes the changes and drains the handles.
#include "bench/callback_bench.h"

#include <poll.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <vector>

#include "api/cpp/binding.hpp"
#include "bench/bench_util.h"
#include "sim/cluster.h"

namespace quorumsim::bench {
namespace {

// One harness runs at a time (Google Benchmark runs benchmarks one after the other).
struct Tap {
  const votequorum_callbacks_t* user = nullptr;
  int64_t callbacks = 0;
  int64_t expected_callbacks = 0;
};
Tap g_tap;

void TapQuorum(votequorum_handle_t h, uint64_t context, uint32_t quorate, uint32_t n,
               votequorum_node_t* nodes) {
  ++g_tap.callbacks;
  if (g_tap.user->votequorum_quorum_notify_fn != nullptr) {
    g_tap.user->votequorum_quorum_notify_fn(h, context, quorate, n, nodes);
  }
}
void TapExpected(votequorum_handle_t h, uint64_t context, uint32_t expected) {
  ++g_tap.callbacks;
  ++g_tap.expected_callbacks;
  if (g_tap.user->votequorum_expectedvotes_notify_fn != nullptr) {
    g_tap.user->votequorum_expectedvotes_notify_fn(h, context, expected);
  }
}
void TapNodelist(votequorum_handle_t h, uint64_t context, votequorum_ring_id_t ring,
                 uint32_t n, uint32_t* ids) {
  ++g_tap.callbacks;
  if (g_tap.user->votequorum_nodelist_notify_fn != nullptr) {
    g_tap.user->votequorum_nodelist_notify_fn(h, context, ring, n, ids);
  }
}
votequorum_callbacks_t g_trampolines{TapQuorum, TapExpected, TapNodelist};

void Expect(cs_error_t rc, const char* what) {
  if (rc != CS_OK) {
    std::cerr << "callback_bench: " << what << " returned " << rc << "\n";
    std::abort();
  }
}

std::vector<votequorum_handle_t> OpenHandles(int count) {
  std::vector<votequorum_handle_t> handles;
  for (int i = 0; i < count; ++i) {
    votequorum_handle_t h;
    Expect(votequorum_initialize(&h, &g_trampolines), "votequorum_initialize");
    Expect(votequorum_trackstart(h, 0, CS_TRACK_CHANGES), "votequorum_trackstart");
    handles.push_back(h);
  }
  return handles;
}

void DrainAll(const std::vector<votequorum_handle_t>& handles) {
  for (votequorum_handle_t h : handles) Expect(votequorum_dispatch(h, CS_DISPATCH_ALL), "dispatch");
}

// What a request churn needs to know about the node it changes.
struct Votes {
  uint32_t node = 0;   // its node id
  uint32_t own = 0;    // its votes
  uint32_t total = 0;  // the cluster's total votes
};

Votes VotesOf(votequorum_handle_t h, uint32_t node) {
  votequorum_info info{};
  Expect(votequorum_getinfo(h, node, &info), "votequorum_getinfo");
  return Votes{info.node_id, info.node_votes, info.total_votes};
}

// The requests of change number `step` (0: away, 1: back); each brings one expected-votes
// callback to every tracking handle (callback_bench.h, Churn).
void Request(Churn churn, votequorum_handle_t h, const Votes& v, int step) {
  if (churn == Churn::kSetExpected) {
    Expect(votequorum_setexpected(h, step == 0 ? v.total + 1 : v.total), "votequorum_setexpected");
    return;
  }
  if (step == 0) {
    Expect(votequorum_setvotes(h, v.node, v.own + 1), "votequorum_setvotes");
    return;
  }
  Expect(votequorum_setvotes(h, v.node, v.own), "votequorum_setvotes");
  Expect(votequorum_setexpected(h, v.total), "votequorum_setexpected");
}

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// QUORUMSIM_BACKEND=corosync: the real daemon answers asynchronously, so after each change
// the loop waits in poll() on the handles' descriptors, as an event loop does, and
// dispatches the ready ones until every handle has had the change's callback.
void RunOnCorosync(benchmark::State& state, const CallbackBenchOptions& o) {
  if (o.churn == Churn::kMembership) {
    state.SkipWithError("membership churn needs the simulator (QUORUMSIM_BACKEND=corosync)");
    return;
  }
  api::ScopedBinding bind = api::ScopedBinding::Corosync();
  std::vector<votequorum_handle_t> handles = OpenHandles(o.handles);
  std::vector<pollfd> fds;
  for (votequorum_handle_t h : handles) {
    int fd = -1;
    Expect(votequorum_fd_get(h, &fd), "votequorum_fd_get");
    fds.push_back(pollfd{fd, POLLIN, 0});
  }
  DrainAll(handles);
  const Votes v = VotesOf(handles[0], 0);
  g_tap.callbacks = 0;
  double change_to_cb = 0;
  const double wall0 = WallSeconds();
  for (auto _ : state) {
    for (int step = 0; step < 2; ++step) {
      const int64_t before = g_tap.expected_callbacks;
      const double t0 = WallSeconds();
      Request(o.churn, handles[0], v, step);
      while (g_tap.expected_callbacks - before < static_cast<int64_t>(handles.size())) {
        if (poll(fds.data(), fds.size(), -1) < 0) Expect(CS_ERR_LIBRARY, "poll");
        for (size_t i = 0; i < fds.size(); ++i) {
          if (fds[i].revents != 0) Expect(votequorum_dispatch(handles[i], CS_DISPATCH_ALL), "dispatch");
        }
      }
      change_to_cb += WallSeconds() - t0;
    }
  }
  const double wall = WallSeconds() - wall0;
  for (votequorum_handle_t h : handles) votequorum_finalize(h);
  const double changes = 2.0 * static_cast<double>(state.iterations());
  state.SetItemsProcessed(g_tap.callbacks);
  state.counters["callbacks_per_change"] = static_cast<double>(g_tap.callbacks) / changes;
  state.counters["wall_callbacks_per_s"] = static_cast<double>(g_tap.callbacks) / wall;
  state.counters["us_change_to_cb"] = change_to_cb * 1e6 / changes;
}

}  // namespace

void RunCallbackBench(benchmark::State& state, const CallbackBenchOptions& o,
                      const votequorum_callbacks_t& callbacks) {
  g_tap = Tap{};
  g_tap.user = &callbacks;
  const char* backend = std::getenv("QUORUMSIM_BACKEND");
  if (backend != nullptr && std::strcmp(backend, "corosync") == 0) {
    RunOnCorosync(state, o);
    return;
  }
  std::unique_ptr<Cluster> cluster;
  Status st = o.conf_path.empty()
                  ? Cluster::FromConfText(NodelistConf(o.nodes), "bench.conf", {}, &cluster)
                  : Cluster::FromConfFile(o.conf_path, {}, &cluster);
  Check(st.ok(), "building the cluster");
  cluster->SetMessageDelay(o.message_delay_ms);
  Check(cluster->StartAll().ok() && cluster->Settle().ok(), "starting the cluster");
  std::vector<votequorum_handle_t> handles;
  {
    api::ScopedBinding bind(*cluster, o.node);
    handles = OpenHandles(o.handles);
  }
  DrainAll(handles);  // the trackstart snapshots are not counted
  NodeId churn_node = o.churn_node;
  if (churn_node == 0) {
    for (NodeId id : cluster->node_ids()) {
      if (id != o.node && id > churn_node) churn_node = id;
    }
  }
  Check(churn_node != 0 || o.churn != Churn::kMembership, "finding a node to churn");
  const ClusterConfig& config = cluster->config();
  const size_t listed = config.votequorum.nodelist.size();
  const uint64_t loss_ms = config.totem.TokenTimeoutMs(listed) + config.totem.ConsensusMs(listed);
  const uint64_t merge_ms = config.totem.join;
  const PartitionId home = cluster->Node(churn_node).partition;
  const Votes v = VotesOf(handles[0], o.node);
  g_tap.callbacks = 0;
  const double wall0 = WallSeconds();
  uint64_t change_to_cb = 0;
  uint64_t ring_to_cb = 0;
  for (auto _ : state) {
    for (int step = 0; step < 2; ++step) {
      const uint64_t t0 = cluster->now_ms();
      if (o.churn == Churn::kMembership) {
        const NodeId id = churn_node;
        Check(cluster->MoveToPartition(std::span<const NodeId>(&id, 1),
                                       step == 0 ? home + 1 : home).ok(), "move");
      } else {
        Request(o.churn, handles[0], v, step);
      }
      Check(cluster->Settle().ok(), "settle");
      const uint64_t t1 = cluster->now_ms();
      DrainAll(handles);
      change_to_cb += t1 - t0;
      if (o.churn == Churn::kMembership) ring_to_cb += t1 - t0 - (step == 0 ? loss_ms : merge_ms);
    }
  }
  const double wall = WallSeconds() - wall0;
  for (votequorum_handle_t h : handles) votequorum_finalize(h);
  const double changes = 2.0 * static_cast<double>(state.iterations());
  state.SetItemsProcessed(g_tap.callbacks);
  state.counters["callbacks_per_change"] = static_cast<double>(g_tap.callbacks) / changes;
  state.counters["wall_callbacks_per_s"] = static_cast<double>(g_tap.callbacks) / wall;
  state.counters["vms_change_to_cb"] = static_cast<double>(change_to_cb) / changes;
  if (o.churn == Churn::kMembership) {
    state.counters["vms_ring_to_cb"] = static_cast<double>(ring_to_cb) / changes;
  }
}

}  // namespace quorumsim::bench
