// Plays a scenario (QUORUMSIM_SCENARIO) against the environment's cluster in a
// background thread while an unmodified program runs.
//
// The scenario is run by the quorumsim command's own interpreter (sim/script.h), one
// line at a time under the cluster lock, so it means exactly what it means there. Two
// differences: `wait D` sleeps D / speed of real time, releasing the lock and advancing
// virtual time in small steps, so clients keep dispatching and timers fire roughly when
// they would; and `exit` (quit, q) stops every node, as when corosync shuts down, so
// connected programs see CS_ERR_LIBRARY (a blocking dispatch returns).
// Status lines are discarded: the program under test is what reports here, and its
// standard output must stay its own. Errors and failed expectations go to stderr,
// prefixed "quorumsim: "; an error ends that line only, the scenario goes on (its `exit`
// must still come, or a blocked client would wait forever).
#ifndef QUORUMSIM_API_SRC_SCENARIO_PLAYER_H_
#define QUORUMSIM_API_SRC_SCENARIO_PLAYER_H_

#include <memory>
#include <string>
#include <vector>

#include "api/src/cluster_host.h"
#include "engine/status.h"

namespace quorumsim::api {

class ScenarioPlayer {
 public:
  // Reads the file and plays it once, instantly, on a scratch cluster built from
  // `conf_path` (the corosync.conf the real one is built from), so a typo or an unknown
  // node fails before anything runs.
  static Status Load(const std::string& path, const std::string& conf_path, double speed,
                     std::unique_ptr<ScenarioPlayer>* out);
  // Plays it in a detached thread that keeps `host` alive. The caller has started the
  // cluster: every node, unless StartsWithUp().
  static void Start(std::unique_ptr<ScenarioPlayer> player, std::shared_ptr<ClusterHost> host);

  // The first command is `up`: only the nodes it names start.
  bool StartsWithUp() const;

 private:
  void Play(ClusterHost& host);

  std::string path_;
  double speed_ = 1.0;
  std::vector<std::string> lines_;
};

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_SCENARIO_PLAYER_H_
