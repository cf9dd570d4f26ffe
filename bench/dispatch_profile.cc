// The BM_Dispatch workload of dispatch_bench.cc as a plain program, for exact instruction
// counts under callgrind (a shared machine's timings are noisy; instruction counts are not):
//
//   bazel build -c opt //bench:dispatch_profile
//   valgrind --tool=callgrind --callgrind-out-file=cg.out
//       bazel-bin/bench/dispatch_profile ROUNDS HANDLES_PER_NODE   (one command line)
//   callgrind_annotate --inclusive=yes cg.out | grep quorumsim_internal_dispatch
//
// Three nodes, HANDLES_PER_NODE tracking handles on each; each round splits node 3 off and
// joins it back, draining every handle with CS_DISPATCH_ALL after each change. Run with two
// round counts and take the difference to get the steady-state cost per round.
#include <corosync/votequorum.h>
#include <quorumsim/cluster.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_util.h"

namespace {

long g_callbacks = 0;
void OnQuorum(votequorum_handle_t, uint64_t, uint32_t, uint32_t, votequorum_node_t*) {
  ++g_callbacks;
}
void OnNodelist(votequorum_handle_t, uint64_t, votequorum_ring_id_t, uint32_t, uint32_t*) {
  ++g_callbacks;
}

}  // namespace

int main(int argc, char** argv) {
  using quorumsim::bench::Check;
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 100;
  const int per_node = argc > 2 ? std::atoi(argv[2]) : 1;
  char path[] = "/tmp/quorumsim-profile-XXXXXX";
  const int fd = mkstemp(path);
  Check(fd >= 0, "mkstemp");
  const std::string conf = quorumsim::bench::NodelistConf(3);
  Check(write(fd, conf.data(), conf.size()) == static_cast<ssize_t>(conf.size()), "write");
  close(fd);
  quorumsim_cluster_t* cluster = nullptr;
  Check(quorumsim_cluster_create(path, 0, &cluster) == CS_OK, "cluster_create");
  std::remove(path);
  votequorum_callbacks_t cb{OnQuorum, nullptr, OnNodelist};
  std::vector<votequorum_handle_t> handles;
  for (uint32_t node = 1; node <= 3; ++node) {
    Check(quorumsim_cluster_bind(cluster, node) == CS_OK, "bind");
    for (int i = 0; i < per_node; ++i) {
      votequorum_handle_t h;
      Check(votequorum_initialize(&h, &cb) == CS_OK, "initialize");
      Check(votequorum_trackstart(h, 0, CS_TRACK_CHANGES) == CS_OK, "trackstart");
      handles.push_back(h);
    }
  }
  long calls = 0;
  auto drain = [&] {
    for (votequorum_handle_t h : handles) {
      Check(votequorum_dispatch(h, CS_DISPATCH_ALL) == CS_OK, "dispatch");
      ++calls;
    }
  };
  drain();
  for (int r = 0; r < rounds; ++r) {
    Check(quorumsim_cluster_run(cluster, "split 1:3") == CS_OK, "split");
    drain();
    Check(quorumsim_cluster_run(cluster, "join 0 1") == CS_OK, "join");
    drain();
  }
  for (votequorum_handle_t h : handles) votequorum_finalize(h);
  quorumsim_cluster_destroy(cluster);
  std::printf("%ld dispatch calls, %ld callbacks\n", calls, g_callbacks);
  return 0;
}
