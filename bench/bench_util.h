// Helpers shared by the bench programs: clusters of any size from a generated nodelist.
#ifndef QUORUMSIM_BENCH_BENCH_UTIL_H_
#define QUORUMSIM_BENCH_BENCH_UTIL_H_

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "sim/cluster.h"

namespace quorumsim::bench {

// A corosync.conf with nodes 1..n, one vote each, default quorum options.
inline std::string NodelistConf(int nodes) {
  std::string conf =
      "totem {\n version: 2\n cluster_name: bench\n}\n"
      "quorum {\n provider: corosync_votequorum\n}\nnodelist {\n";
  for (int i = 1; i <= nodes; ++i) {
    conf += " node {\n  ring0_addr: 10.0." + std::to_string(i / 250) + "." +
            std::to_string(i % 250 + 1) + "\n  nodeid: " + std::to_string(i) + "\n }\n";
  }
  return conf + "}\n";
}

inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::cerr << what << " failed\n";
    std::abort();
  }
}

// Built, started and settled.
inline std::unique_ptr<Cluster> MakeCluster(int nodes) {
  std::unique_ptr<Cluster> cluster;
  Check(Cluster::FromConfText(NodelistConf(nodes), "bench.conf", ClusterOptions{}, &cluster).ok(),
        "building the cluster");
  Check(cluster->StartAll().ok() && cluster->Settle().ok(), "starting the cluster");
  return cluster;
}

}  // namespace quorumsim::bench

#endif  // QUORUMSIM_BENCH_BENCH_UTIL_H_
