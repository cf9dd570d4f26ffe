// Benchmarks of the simulated cluster (not part of the test count):
//   bazel run -c opt //bench:engine_bench
// (Split/join against cluster size: //bench:transition_bench.)
// BM_CallbackThroughput/k: quorum-related callbacks delivered per second while a
//                        three-node cluster is split and healed repeatedly with k tracking
//                        clients on every node (k=64: the callback path dominates).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/cluster.h"

namespace {

using quorumsim::Cluster;
using quorumsim::ClusterOptions;
using quorumsim::NodeId;

std::string NodelistConf(int nodes) {
  std::string conf =
      "totem {\n version: 2\n cluster_name: bench\n}\n"
      "quorum {\n provider: corosync_votequorum\n}\nnodelist {\n";
  for (int i = 1; i <= nodes; ++i) {
    conf += " node {\n  ring0_addr: 10.0." + std::to_string(i / 250) + "." +
            std::to_string(i % 250 + 1) + "\n  nodeid: " + std::to_string(i) + "\n }\n";
  }
  return conf + "}\n";
}

std::unique_ptr<Cluster> MakeCluster(int nodes) {
  std::unique_ptr<Cluster> cluster;
  auto st = Cluster::FromConfText(NodelistConf(nodes), "bench.conf", ClusterOptions{}, &cluster);
  if (!st.ok()) {
    std::cerr << "cannot build a " << nodes << "-node cluster\n";
    std::abort();
  }
  if (!cluster->StartAll().ok() || !cluster->Settle().ok()) {
    std::cerr << "cluster did not start\n";
    std::abort();
  }
  return cluster;
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::cerr << what << " failed\n";
    std::abort();
  }
}

class CountingSink : public quorumsim::ClientSink {
 public:
  void OnNodelist(uint64_t, const quorumsim::RingId&, std::span<const NodeId>) override { ++count; }
  void OnQuorum(uint64_t, bool, std::span<const quorumsim::QuorumNode>) override { ++count; }
  void OnExpectedVotes(uint64_t, uint32_t) override { ++count; }
  void OnQdeviceRegisterReply(quorumsim::CsError) override {}
  int64_t count = 0;
};

// Membership changes cost the same whatever the number of tracking connections, so with
// one connection per node this measured the split/heal machinery, not callbacks. The
// argument is the number of tracking connections per node: at 1 it is the old figure,
// at 64 callback delivery (engine -> simulator -> ClientSink) dominates. Only callbacks
// produced inside the timed loop are counted (not the trackstart snapshots).
void BM_CallbackThroughput(benchmark::State& state) {
  const int per_node = static_cast<int>(state.range(0));
  auto cluster = MakeCluster(3);
  CountingSink sink;
  for (NodeId id : cluster->node_ids()) {
    for (int i = 0; i < per_node; ++i) {
      quorumsim::ConnId conn{};
      Check(cluster->Connect(id, &sink, &conn) == quorumsim::CsError::kOk, "connect");
      Check(cluster->Call(conn, "trackstart",
                          [&](quorumsim::NodeServices& s) {
                            return s.votequorum().TrackStart(conn, id, 2 /* CS_TRACK_CHANGES */);
                          }) == quorumsim::CsError::kOk,
            "trackstart");
    }
  }
  sink.count = 0;
  const NodeId three = 3;
  for (auto _ : state) {
    Check(cluster->MoveToPartition(std::span<const NodeId>(&three, 1), 1).ok(), "split");
    Check(cluster->Settle().ok(), "settle");
    Check(cluster->MoveToPartition(std::span<const NodeId>(&three, 1), 0).ok(), "heal");
    Check(cluster->Settle().ok(), "settle");
  }
  state.SetItemsProcessed(sink.count);
  state.counters["callbacks_per_iter"] =
      static_cast<double>(sink.count) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_CallbackThroughput)->Arg(1)->Arg(64);

}  // namespace
