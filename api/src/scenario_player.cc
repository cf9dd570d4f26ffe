#include "api/src/scenario_player.h"

#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>
#include <sstream>

#include "sim/script_reader.h"

namespace quorumsim::api {

namespace {

// Virtual milliseconds per step while playing in time: client calls and dispatches get
// the lock between steps, and callbacks arrive within a step of their moment.
constexpr uint64_t kStepMs = 10;

// The player whose thread may run (one per process: the environment's cluster), for the
// fork handlers. Guarded by g_fork_mu.
std::mutex g_fork_mu;
ScenarioPlayer* g_playing = nullptr;
std::shared_ptr<ClusterHost> g_playing_host;
pid_t g_owner_pid = 0;

void PrepareFork() {
  g_fork_mu.lock();
  if (g_playing_host) g_playing_host->mu().lock();
}
void ParentAfterFork() {
  if (g_playing_host) g_playing_host->mu().unlock();
  g_fork_mu.unlock();
}
void ChildAfterFork() {
  // The locks PrepareFork took are held by a thread id the child does not have.
  if (g_playing_host) g_playing_host->ResetLockInChild();
  new (&g_fork_mu) std::mutex();
}

void StopAtExit() {
  std::lock_guard<std::mutex> lock(g_fork_mu);
  if (g_playing != nullptr && getpid() == g_owner_pid) g_playing->Stop();
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

Status ScenarioPlayer::Load(const std::string& path, const Cluster& cluster, double speed,
                            std::unique_ptr<ScenarioPlayer>* out) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return Status::IoError("cannot read " + path + ": " + std::strerror(EISDIR));
  std::ifstream check(path, std::ios::binary);
  if (!check) return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  Status status = CheckScript(check, path, cluster);
  if (!status.ok()) return status;
  auto player = std::unique_ptr<ScenarioPlayer>(new ScenarioPlayer);
  player->path_ = path;
  player->speed_ = speed;
  player->in_.open(path, std::ios::binary);
  if (!player->in_) return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  *out = std::move(player);
  return Status::Ok();
}

ScenarioPlayer::~ScenarioPlayer() {
  Stop();
  std::lock_guard<std::mutex> lock(g_fork_mu);
  if (g_playing == this) {
    g_playing = nullptr;
    g_playing_host.reset();
  }
}

void ScenarioPlayer::Report() {
  std::istringstream in(errors_.str());
  for (std::string line; std::getline(in, line);) std::fprintf(stderr, "quorumsim: %s\n", line.c_str());
  errors_.str("");
}

bool ScenarioPlayer::SleepUntil(uint64_t virtual_ms) {
  auto real = std::chrono::duration<double, std::milli>(static_cast<double>(virtual_ms - origin_ms_) / speed_);
  auto deadline = origin_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(real);
  std::unique_lock<std::mutex> lock(mu_);
  return !cv_.wait_until(lock, deadline, [this] { return stop_; });
}

uint64_t ScenarioPlayer::Advance(std::unique_lock<std::recursive_mutex>& lock, uint64_t ms) {
  Cluster& c = host_->cluster();
  for (uint64_t done = 0; done < ms;) {
    uint64_t step = std::min(kStepMs, ms - done);
    uint64_t target = c.now_ms() + step;
    lock.unlock();
    bool go_on = SleepUntil(target);
    lock.lock();
    if (!go_on) return ms - done;
    c.RunFor(step);
    done += step;
  }
  return 0;
}

// One line through the interpreter, under the lock. False once the scenario is over.
bool ScenarioPlayer::RunLine(const std::string& line) {
  LineResult result = runner_->RunLine(line, path_, line_number_);
  if (result.code == kScriptExit) {
    StopAll(host_->cluster());
    exited_ = true;
  }
  return !exited_;
}

void ScenarioPlayer::Start(std::shared_ptr<ClusterHost> host) {
  host_ = std::move(host);
  ScriptOptions options;
  options.out = &discard_;
  options.err = &errors_;
  options.prompt = false;
  options.wait = [this](uint64_t ms) {
    uint64_t left = realtime_ ? Advance(*lock_, ms) : ms;
    if (left > 0) host_->cluster().RunFor(left);
  };
  options.settle = [this]() -> Status {
    Cluster& c = host_->cluster();
    if (!realtime_) return c.Settle();
    // A day of virtual time, as Cluster::Settle's limit.
    const uint64_t limit = c.now_ms() + 24ull * 3600 * 1000;
    while (!c.settled()) {
      if (c.now_ms() >= limit) return Status::Internal("the cluster did not settle within a day of virtual time");
      if (Advance(*lock_, kStepMs) > 0) return c.Settle();  // stopping: finish at once
    }
    return Status::Ok();
  };
  runner_ = std::make_unique<ScriptRunner>(&host_->cluster(), std::move(options));

  // Setup: up to the first `wait`, instantly, on the caller's thread.
  std::string line;
  ScriptReader reader(in_, path_);
  bool pending = false;  // `line` is the first `wait`, not yet run
  {
    std::lock_guard<std::recursive_mutex> lock(host_->mu());
    while (!exited_) {
      Status st = reader.Next(&line);
      if (!st.ok()) errors_ << st.message() << "\n";
      if (!st.ok() || reader.done()) {
        exited_ = !st.ok();
        break;
      }
      line_number_ = reader.line_number();
      if (IsWaitCommand(line)) {
        pending = true;
        break;
      }
      RunLine(line);
    }
    runner_->StartIfNeeded(path_);
  }
  Report();
  if (exited_ || (!pending && reader.done())) {
    std::lock_guard<std::recursive_mutex> lock(host_->mu());
    (void)runner_->End(path_);
    Report();
    return;
  }

  std::lock_guard<std::mutex> fork_lock(g_fork_mu);
  if (g_owner_pid == 0) {
    pthread_atfork(PrepareFork, ParentAfterFork, ChildAfterFork);
    std::atexit(StopAtExit);
  }
  g_owner_pid = getpid();
  g_playing = this;
  g_playing_host = host_;
  origin_ = std::chrono::steady_clock::now();
  origin_ms_ = host_->cluster().now_ms();
  realtime_ = true;
  thread_ = std::thread([this, first = line, reader_line = line_number_]() mutable {
    line_number_ = reader_line;
    std::unique_lock<std::recursive_mutex> lock(host_->mu());
    lock_ = &lock;
    bool go_on = RunLine(first);
    ScriptReader rest(in_, path_);
    std::string next;
    while (go_on) {
      lock.unlock();
      Report();
      {
        std::lock_guard<std::mutex> l(mu_);
        go_on = !stop_;
      }
      lock.lock();
      if (!go_on) break;
      Status st = rest.Next(&next);
      if (!st.ok()) errors_ << st.message() << "\n";
      if (!st.ok() || rest.done()) break;
      line_number_ = reader_line + rest.line_number();
      go_on = RunLine(next);
    }
    (void)runner_->End(path_);  // reports failed expectations
    lock_ = nullptr;
    lock.unlock();
    Report();
  });
}

void ScenarioPlayer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && getpid() == g_owner_pid) thread_.join();
}

}  // namespace quorumsim::api
