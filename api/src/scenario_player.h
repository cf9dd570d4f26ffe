// Plays a scenario (QUORUMSIM_SCENARIO) against the environment's cluster in a
// background thread while an unmodified program runs.
//
// The language is the quorumsim command's (vqsim's plus extensions); the player knows
// the commands that change the cluster: up, down, crash, restart, leave, pause, resume,
// split/move, join, qdevice on|off|stop|vote|master_wins, setexpected, setvotes, wait,
// exit/quit/q. Reporting commands (show, expect, assert, sync, timeout, autofence, seed,
// delay) are accepted and ignored: the program under test is what reports here.
// Each command runs under the cluster lock and then lets the cluster settle; `wait D`
// sleeps D / speed of real time while advancing virtual time by D in small steps, so
// timers fire roughly when they would. `exit` stops every node, as when corosync shuts
// down: connected programs see CS_ERR_LIBRARY (dispatch BLOCKING returns).
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
  // Reads and checks the whole file first, so a typo fails before anything runs.
  static Status Load(const std::string& path, double speed, std::unique_ptr<ScenarioPlayer>* out);
  // Plays it in a detached thread that keeps `host` alive.
  static void Start(std::unique_ptr<ScenarioPlayer> player, std::shared_ptr<ClusterHost> host);

  // The first command is `up`: only the nodes it names start.
  bool StartsWithUp() const;

  struct Command {
    int line = 0;
    std::vector<std::string> words;  // lower-cased
  };

 private:
  void Play(ClusterHost& host);
  Status Run(Cluster& cluster, const Command& cmd);

  std::string path_;
  double speed_ = 1.0;
  std::vector<Command> commands_;
};

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_SCENARIO_PLAYER_H_
