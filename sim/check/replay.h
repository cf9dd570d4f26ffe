// Replay: runs scenario lines on a fresh simulated cluster, exactly as `quorumsim FILE`
// would (seed 0, the script interpreter, vqsim's start rule), so every state the checker
// looks at is one a printed scenario reproduces.
#ifndef QUORUMSIM_SIM_CHECK_REPLAY_H_
#define QUORUMSIM_SIM_CHECK_REPLAY_H_

#include <memory>
#include <string>
#include <vector>

#include "engine/status.h"
#include "sim/cluster.h"
#include "sim/corosync_conf.h"
#include "sim/script.h"

namespace quorumsim::check {

// A cluster with a script interpreter attached, fed line by line.
class Replay {
 public:
  // Builds the cluster from `config` (seed 0, as the quorumsim command).
  static Status Create(const ClusterConfig& config, std::unique_ptr<Replay>* out) {
    return Create(config, Quirks{}, out);
  }
  // With other engine quirks (the checker's classification turns one off to test it).
  static Status Create(const ClusterConfig& config, const Quirks& quirks, std::unique_ptr<Replay>* out);
  ~Replay();

  // Runs one scenario line (the cluster starts before the first command, as in a script).
  // Error when the line is refused or an expectation in it fails.
  Status Run(const std::string& line);
  Status RunAll(const std::vector<std::string>& lines);
  // Starts the cluster if no command has run yet (the configured start state).
  void Start();

  Cluster& cluster() { return *cluster_; }

 private:
  Replay() = default;
  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<ScriptRunner> runner_;
  int line_no_ = 0;
};

}  // namespace quorumsim::check

#endif  // QUORUMSIM_SIM_CHECK_REPLAY_H_
