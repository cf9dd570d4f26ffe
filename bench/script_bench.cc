// A whole vqsim script through quorumsim's interpreter, in process (not part of the test count):
//   bazel run -c opt //bench:script_bench
// The same script through corosync-vqsim takes real time (its nodes are processes that settle
// on wall-clock timers); compare with
//   tools/run-scenario.sh --vqsim scenarios/vq-five-node-split.vqsim
// to see the speed-up quorumsim gives a user running that script.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "sim/cluster.h"
#include "sim/script.h"

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "cannot read " << path << " (run with bazel run from the workspace)\n";
    std::abort();
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One iteration = build the cluster from its corosync.conf, start it, and run every line of
// the script until settled, discarding the status output (as `quorumsim -o /dev/null`).
void BM_VqsimScript(benchmark::State& state, const char* conf_path, const char* script_path) {
  const std::string conf = ReadFile(conf_path);
  const std::string script = ReadFile(script_path);
  for (auto _ : state) {
    std::unique_ptr<quorumsim::Cluster> cluster;
    if (!quorumsim::Cluster::FromConfText(conf, conf_path, {}, &cluster).ok()) std::abort();
    std::ostringstream out;
    std::ostringstream err;
    quorumsim::ScriptOptions options;
    options.out = &out;
    options.err = &err;
    quorumsim::ScriptRunner runner(cluster.get(), options);
    std::istringstream in(script);
    if (runner.Run(in, script_path) != quorumsim::kScriptOk) {
      std::cerr << err.str();
      std::abort();
    }
    benchmark::DoNotOptimize(out.str().size());
  }
}

BENCHMARK_CAPTURE(BM_VqsimScript, five_node_split, "scenarios/five-node.conf",
                  "scenarios/vq-five-node-split.vqsim")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_VqsimScript, eight_node_splits, "scenarios/eight-node.conf",
                  "scenarios/vq-eight-node-splits.vqsim")
    ->Unit(benchmark::kMicrosecond);

}  // namespace
