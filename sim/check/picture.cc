#include "sim/check/picture.h"

#include <iostream>
#include <memory>
#include <sstream>

#include "sim/cluster.h"
#include "sim/script.h"
#include "sim/timeline/timeline_main.h"

namespace quorumsim::check {

bool DrawScenario(const ClusterConfig& config, const std::string& scenario, const std::string& path,
                  const std::string& title) {
  std::unique_ptr<Cluster> cluster;
  Status st = Cluster::Create(config, ClusterOptions{}, &cluster);
  if (!st.ok()) {
    std::cerr << "quorumsim check: " << st.message() << "\n";
    return false;
  }
  timeline::LiveRecorder recorder(*cluster, nullptr);
  std::ostream null(nullptr);
  ScriptOptions so;
  so.out = &null;
  so.err = &null;
  so.prompt = false;
  recorder.Hook(&so);
  ScriptRunner runner(cluster.get(), so);
  std::istringstream in(scenario);
  if (runner.Run(in, path) != kScriptOk) {
    std::cerr << "quorumsim check: the scenario for " << path << " did not replay\n";
    return false;
  }
  return recorder.Write(path + ".svg", title);
}

}  // namespace quorumsim::check
