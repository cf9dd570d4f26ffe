#include "api/src/scenario_player.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

namespace quorumsim::api {

namespace {

bool ParseNumber(const std::string& s, uint64_t* out) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return false;
  }
  *out = std::stoull(s);
  return true;
}

// "[P:]id[,id...]" -> ids (and the partition, 0 if absent).
bool ParseNodes(const std::string& s, std::vector<NodeId>* ids, PartitionId* partition) {
  std::string list = s;
  *partition = 0;
  size_t colon = s.find(':');
  if (colon != std::string::npos) {
    uint64_t p;
    if (!ParseNumber(s.substr(0, colon), &p)) return false;
    *partition = static_cast<PartitionId>(p);
    list = s.substr(colon + 1);
  }
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    uint64_t id;
    if (!ParseNumber(item, &id)) return false;
    ids->push_back(static_cast<NodeId>(id));
  }
  return !ids->empty();
}

// "1500ms", "12s", "2m", or a bare number of milliseconds.
bool ParseDuration(const std::string& s, uint64_t* ms) {
  size_t digits = 0;
  while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
  uint64_t n;
  if (!ParseNumber(s.substr(0, digits), &n)) return false;
  std::string unit = s.substr(digits);
  if (unit.empty() || unit == "ms") *ms = n;
  else if (unit == "s") *ms = n * 1000;
  else if (unit == "m") *ms = n * 60000;
  else return false;
  return true;
}

Status Bad(const ScenarioPlayer::Command& cmd, const std::string& what) {
  return Status::InvalidArgument("line " + std::to_string(cmd.line) + ": " + what);
}

// Checks one command's shape (Run repeats the parsing; the cluster decides the rest).
Status Check(const ScenarioPlayer::Command& c) {
  const auto& w = c.words;
  const std::string& op = w[0];
  static const char* kIgnored[] = {"show", "expect", "assert", "sync", "timeout", "autofence",
                                   "seed", "delay", "exit", "quit", "q"};
  for (const char* ignored : kIgnored) {
    if (op == ignored) return Status::Ok();
  }
  std::vector<NodeId> ids;
  PartitionId p;
  uint64_t n;
  if (op == "up" || op == "down" || op == "crash" || op == "restart" || op == "leave" ||
      op == "pause" || op == "resume" || op == "split" || op == "move") {
    if (w.size() < 2) return Bad(c, op + " needs a node list");
    for (size_t i = 1; i < w.size(); ++i) {
      if (!ParseNodes(w[i], &ids, &p)) return Bad(c, "bad node list '" + w[i] + "'");
    }
    return Status::Ok();
  }
  if (op == "join") {
    if (w.size() < 3) return Bad(c, "join needs two partitions");
    for (size_t i = 1; i < w.size(); ++i) {
      if (!ParseNumber(w[i], &n)) return Bad(c, "bad partition '" + w[i] + "'");
    }
    return Status::Ok();
  }
  if (op == "wait") {
    if (w.size() != 2 || !ParseDuration(w[1], &n)) return Bad(c, "wait needs a duration (1500ms, 12s)");
    return Status::Ok();
  }
  if (op == "qdevice") {
    if (w.size() < 3) return Bad(c, "qdevice on|off|stop|vote|master_wins NODES");
    if (!ParseNodes(w[2], &ids, &p)) return Bad(c, "bad node list '" + w[2] + "'");
    if (w[1] == "on" || w[1] == "off" || w[1] == "stop") return Status::Ok();
    if ((w[1] == "vote" || w[1] == "master_wins") && w.size() == 4 && (w[3] == "0" || w[3] == "1")) {
      return Status::Ok();
    }
    return Bad(c, "qdevice on|off|stop NODES, or qdevice vote|master_wins NODES 0|1");
  }
  if (op == "setexpected") {
    if (w.size() != 3 || !ParseNumber(w[1], &n) || !ParseNumber(w[2], &n)) return Bad(c, "setexpected NODE N");
    return Status::Ok();
  }
  if (op == "setvotes") {
    if (w.size() != 4 || !ParseNumber(w[1], &n) || !ParseNumber(w[2], &n) || !ParseNumber(w[3], &n)) {
      return Bad(c, "setvotes NODE TARGET N");
    }
    return Status::Ok();
  }
  return Bad(c, "unknown command '" + op + "'");
}

}  // namespace

Status ScenarioPlayer::Load(const std::string& path, double speed,
                            std::unique_ptr<ScenarioPlayer>* out) {
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot read " + path);
  auto player = std::unique_ptr<ScenarioPlayer>(new ScenarioPlayer);
  player->path_ = path;
  player->speed_ = speed;
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    size_t hash = text.find('#');
    if (hash != std::string::npos) text.resize(hash);
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    Command cmd;
    cmd.line = line;
    std::istringstream words(text);
    for (std::string w; words >> w;) cmd.words.push_back(w);
    if (cmd.words.empty()) continue;
    Status st = Check(cmd);
    if (!st.ok()) return st;
    player->commands_.push_back(std::move(cmd));
  }
  *out = std::move(player);
  return Status::Ok();
}

bool ScenarioPlayer::StartsWithUp() const {
  return !commands_.empty() && commands_.front().words[0] == "up";
}

void ScenarioPlayer::Start(std::unique_ptr<ScenarioPlayer> player, std::shared_ptr<ClusterHost> host) {
  std::thread([p = std::move(player), host] { p->Play(*host); }).detach();
}

void ScenarioPlayer::Play(ClusterHost& host) {
  for (size_t i = 0; i < commands_.size(); ++i) {
    const Command& cmd = commands_[i];
    const std::string& op = cmd.words[0];
    // A leading `up` was honoured at start-up by starting only those nodes.
    if (i == 0 && op == "up") {
      std::lock_guard<std::recursive_mutex> lock(host.mu());
      (void)Run(host.cluster(), cmd);
      continue;
    }
    if (op == "wait") {
      uint64_t total = 0;
      ParseDuration(cmd.words[1], &total);
      // Small steps: timers armed during the wait fire close to their real-time moment.
      constexpr uint64_t kStepMs = 100;
      for (uint64_t done = 0; done < total;) {
        uint64_t step = std::min(kStepMs, total - done);
        std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(step / speed_));
        std::lock_guard<std::recursive_mutex> lock(host.mu());
        host.cluster().RunFor(step);
        done += step;
      }
      continue;
    }
    std::lock_guard<std::recursive_mutex> lock(host.mu());
    Status st = Run(host.cluster(), cmd);
    if (!st.ok()) {
      std::fprintf(stderr, "quorumsim: %s:%d: %s\n", path_.c_str(), cmd.line, st.ToString().c_str());
    }
    if (op == "exit" || op == "quit" || op == "q") return;
    (void)host.cluster().Settle();
  }
}

Status ScenarioPlayer::Run(Cluster& cluster, const Command& cmd) {
  const auto& w = cmd.words;
  const std::string& op = w[0];
  auto nodes_of = [&](size_t from, PartitionId* partition) {
    std::vector<NodeId> ids;
    for (size_t i = from; i < w.size(); ++i) ParseNodes(w[i], &ids, partition);
    return ids;
  };
  PartitionId p = 0;
  if (op == "up") {
    // `up P:ids` starts the nodes in partition P.
    Status st;
    for (size_t i = 1; i < w.size() && st.ok(); ++i) {
      std::vector<NodeId> ids;
      ParseNodes(w[i], &ids, &p);
      st = cluster.MoveToPartition(ids, p);
      if (st.ok()) st = cluster.Up(ids);
    }
    return st;
  }
  if (op == "down" || op == "crash") return cluster.Crash(nodes_of(1, &p));
  if (op == "restart") return cluster.Restart(nodes_of(1, &p));
  if (op == "leave") return cluster.Leave(nodes_of(1, &p));
  if (op == "pause") return cluster.Pause(nodes_of(1, &p));
  if (op == "resume") return cluster.Resume(nodes_of(1, &p));
  if (op == "split" || op == "move") {
    Status st;
    for (size_t i = 1; i < w.size() && st.ok(); ++i) {
      std::vector<NodeId> ids;
      ParseNodes(w[i], &ids, &p);
      st = cluster.MoveToPartition(ids, p);
    }
    return st;
  }
  if (op == "join") {
    std::vector<PartitionId> others;
    for (size_t i = 2; i < w.size(); ++i) others.push_back(static_cast<PartitionId>(std::stoul(w[i])));
    return cluster.JoinPartitions(static_cast<PartitionId>(std::stoul(w[1])), others);
  }
  if (op == "qdevice") {
    std::vector<NodeId> ids;
    ParseNodes(w[2], &ids, &p);
    if (w[1] == "on") return cluster.QdeviceOn(ids);
    if (w[1] == "off") return cluster.QdeviceOff(ids);
    if (w[1] == "stop") return cluster.QdeviceStop(ids);
    if (w[1] == "vote") return cluster.QdeviceVote(ids, w[3] == "1");
    return cluster.QdeviceMasterWins(ids, w[3] == "1");
  }
  if (op == "setexpected") {
    (void)cluster.NodeSetExpected(static_cast<NodeId>(std::stoul(w[1])), static_cast<uint32_t>(std::stoul(w[2])));
    return Status::Ok();
  }
  if (op == "setvotes") {
    (void)cluster.NodeSetVotes(static_cast<NodeId>(std::stoul(w[1])), static_cast<NodeId>(std::stoul(w[2])),
                               static_cast<uint32_t>(std::stoul(w[3])));
    return Status::Ok();
  }
  if (op == "exit" || op == "quit" || op == "q") {
    std::vector<NodeId> up;
    for (NodeId id : cluster.node_ids()) {
      if (cluster.IsUp(id)) up.push_back(id);
    }
    return up.empty() ? Status::Ok() : cluster.Crash(up);
  }
  return Status::Ok();  // reporting commands
}

}  // namespace quorumsim::api
