#include "api/src/scenario_player.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>
#include <thread>

#include "sim/script.h"

namespace quorumsim::api {

namespace {

// Status lines go nowhere (an ostream without a buffer drops what it is given); errors
// are collected for Report.
ScriptOptions QuietOptions(std::ostream* discard, std::ostream* errors) {
  ScriptOptions options;
  options.out = discard;
  options.err = errors;
  options.prompt = false;
  return options;
}

// Copies what the interpreter reported to stderr, one prefixed line at a time.
void Report(std::ostringstream& errors) {
  std::istringstream in(errors.str());
  for (std::string line; std::getline(in, line);) std::fprintf(stderr, "quorumsim: %s\n", line.c_str());
  errors.str("");
}

// `exit` on a real cluster: corosync stops, so every connection to it breaks.
void StopAll(Cluster& cluster) {
  std::vector<NodeId> up;
  for (NodeId id : cluster.node_ids()) {
    if (cluster.IsUp(id)) up.push_back(id);
  }
  if (!up.empty()) (void)cluster.Crash(up);
}

}  // namespace

Status ScenarioPlayer::Load(const std::string& path, const std::string& conf_path,
                            double speed, std::unique_ptr<ScenarioPlayer>* out) {
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot read " + path);
  auto player = std::unique_ptr<ScenarioPlayer>(new ScenarioPlayer);
  player->path_ = path;
  player->speed_ = speed;
  for (std::string line; std::getline(in, line);) player->lines_.push_back(line);

  // The scratch run checks what only the interpreter knows (commands, arguments, node
  // ids). Expectations are not judged here: the program is not running yet.
  std::unique_ptr<Cluster> scratch;
  Status st = Cluster::FromConfFile(conf_path, ClusterOptions{}, &scratch);
  if (!st.ok()) return st;
  std::ostream discard(nullptr);
  std::ostringstream errors;
  ScriptRunner runner(scratch.get(), QuietOptions(&discard, &errors));
  for (size_t i = 0; i < player->lines_.size(); ++i) {
    int rc = runner.RunLine(player->lines_[i], path, static_cast<int>(i + 1));
    if (rc == kScriptExit) break;
    if (rc == kScriptFailed) {
      // The error is the last line written (earlier ones may be warnings).
      std::string text = errors.str();
      if (!text.empty() && text.back() == '\n') text.pop_back();
      return Status::InvalidArgument(text.substr(text.rfind('\n') + 1));
    }
  }
  *out = std::move(player);
  return Status::Ok();
}

bool ScenarioPlayer::StartsWithUp() const { return ScriptStartsWithUp(lines_); }

void ScenarioPlayer::Start(std::unique_ptr<ScenarioPlayer> player, std::shared_ptr<ClusterHost> host) {
  std::thread([p = std::move(player), host] { p->Play(*host); }).detach();
}

void ScenarioPlayer::Play(ClusterHost& host) {
  std::unique_lock<std::recursive_mutex> lock(host.mu(), std::defer_lock);
  std::ostream discard(nullptr);
  std::ostringstream errors;
  ScriptOptions options = QuietOptions(&discard, &errors);
  // Called by the interpreter under the lock; it lets go while sleeping so clients can
  // call in and dispatch. Small steps: timers armed during the wait fire close to their
  // real-time moment.
  options.wait = [&](uint64_t total) {
    constexpr uint64_t kStepMs = 100;
    for (uint64_t done = 0; done < total;) {
      uint64_t step = std::min(kStepMs, total - done);
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(step / speed_));
      lock.lock();
      host.cluster().RunFor(step);
      done += step;
    }
  };
  // The cluster is already up (Start's caller did it), so the interpreter's own start,
  // which starts the nodes that are down, changes nothing.
  ScriptRunner runner(&host.cluster(), std::move(options));
  bool exited = false;
  for (size_t i = 0; i < lines_.size() && !exited; ++i) {
    lock.lock();
    exited = runner.RunLine(lines_[i], path_, static_cast<int>(i + 1)) == kScriptExit;
    if (exited) StopAll(host.cluster());
    lock.unlock();
    Report(errors);
  }
  lock.lock();
  (void)runner.End(path_);  // reports failed expectations
  lock.unlock();
  Report(errors);
}

}  // namespace quorumsim::api
