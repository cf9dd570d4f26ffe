// Plays a scenario (QUORUMSIM_SCENARIO) against the environment's cluster while an
// unmodified program runs.
//
// The scenario is run by the quorumsim command's own interpreter (sim/script.h), so it
// means exactly what it means there, with time mapped onto the wall clock:
//  - Setup: the commands before the first `wait` run at once and settle before
//    votequorum_initialize returns, so a one-shot program sees the state they describe.
//  - Then a background thread plays the rest in time: virtual time advances at
//    QUORUMSIM_SPEED times the wall clock, both in `wait` and while a membership change
//    completes, so a client sees a new ring token + consensus (divided by the speed)
//    after the split that caused it, as on a real cluster.
//  - `exit` (quit, q) stops every node, as when corosync shuts down: connected programs
//    see CS_ERR_LIBRARY (a blocking dispatch returns).
// Status lines are discarded (the program's standard output stays its own); errors,
// warnings and failed expectations go to stderr prefixed "quorumsim: ".
//
// The thread is owned: Stop() (also run by the destructor and at process exit) wakes it
// and joins it. Fork: a child forked while the scenario plays keeps a copy of the
// cluster as it was at the fork and no playback (the lock is never held across fork).
#ifndef QUORUMSIM_API_SRC_SCENARIO_PLAYER_H_
#define QUORUMSIM_API_SRC_SCENARIO_PLAYER_H_

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "api/src/cluster_host.h"
#include "engine/status.h"
#include "sim/script.h"

namespace quorumsim::api {

class ScenarioPlayer {
 public:
  // Checks the scenario against the cluster's configuration (commands, arguments, node
  // ids), in time linear in its size, without running anything.
  static Status Load(const std::string& path, const Cluster& cluster, double speed,
                     std::unique_ptr<ScenarioPlayer>* out);
  ~ScenarioPlayer();

  // Runs the setup commands on `host`'s cluster (not started yet: the scenario's start
  // starts it), then starts the thread that plays the rest.
  void Start(std::shared_ptr<ClusterHost> host);
  // Wakes the thread and joins it; the rest of the scenario is not played.
  void Stop();

 private:
  ScenarioPlayer() = default;
  // Sleeps until the wall clock reaches the moment of virtual time `virtual_ms` since
  // playing started; false if stopped meanwhile.
  bool SleepUntil(uint64_t virtual_ms);
  // Advances virtual time by `ms` in small steps, in time, letting go of the lock
  // between steps. Returns what is left when stopped meanwhile (0 when done).
  uint64_t Advance(std::unique_lock<std::recursive_mutex>& lock, uint64_t ms);
  bool RunLine(const std::string& line);
  void Report();

  std::string path_;
  double speed_ = 1.0;
  std::ifstream in_;
  int line_number_ = 0;
  std::shared_ptr<ClusterHost> host_;
  std::unique_ptr<ScriptRunner> runner_;
  std::ostream discard_{nullptr};
  std::ostringstream errors_;
  bool realtime_ = false;  // setup done: settling and waits take wall-clock time
  bool exited_ = false;
  std::unique_lock<std::recursive_mutex>* lock_ = nullptr;  // held by the playing thread

  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::chrono::steady_clock::time_point origin_;  // wall clock at virtual time origin_ms_
  uint64_t origin_ms_ = 0;
};

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_SCENARIO_PLAYER_H_
