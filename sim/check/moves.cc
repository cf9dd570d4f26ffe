#include "sim/check/moves.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>


namespace quorumsim::check {

namespace {

bool Running(const NodeView& v) { return v.run_state == NodeRunState::kUp; }

// The scenario language has partitions 0 to 15 (corosync-vqsim's MAX_PARTITIONS).
constexpr int kMaxGroups = 16;

// The next restricted growth string (every set partition once); false after the last.
bool NextRgs(std::vector<int>* rgs) {
  std::vector<int>& r = *rgs;
  for (size_t i = r.size(); i-- > 1;) {
    int mx = 0;
    for (size_t j = 0; j < i; ++j) mx = std::max(mx, r[j]);
    if (r[i] <= mx && r[i] + 1 < kMaxGroups) {
      ++r[i];
      std::fill(r.begin() + static_cast<long>(i) + 1, r.end(), 0);
      return true;
    }
  }
  return false;
}

// A partitioning as text independent of which interchangeable node is where: the sorted
// multiset of the sorted label multisets of its groups.
// A step's effect on the partitioning, independent of which interchangeable node (or
// which of two identical partitions) is where: for each new group, the label multisets of
// the nodes it takes from each old partition; groups sorted. (Moves that differ only in
// which identical old partitions two new groups share are taken as one; see sim/CHECK.md.)
using Key = std::vector<std::vector<std::vector<int>>>;

// Small numbers standing for the snapshot's labels (equal labels, equal numbers).
std::vector<int> LabelIds(const Snapshot& s) {
  std::vector<std::string> sorted = s.labels;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> ids;
  for (const std::string& l : s.labels) {
    ids.push_back(static_cast<int>(std::lower_bound(sorted.begin(), sorted.end(), l) - sorted.begin()));
  }
  return ids;
}

Key PartitionKey(const Snapshot& s, const std::vector<int>& label_ids,
                 const std::vector<int>& group_of) {
  std::map<int, std::map<PartitionId, std::vector<int>>> groups;
  for (size_t i = 0; i < group_of.size(); ++i) {
    groups[group_of[i]][s.views[i].partition].push_back(label_ids[i]);
  }
  Key key;
  for (auto& [g, from] : groups) {
    std::vector<std::vector<int>> d;
    for (auto& [p, labels] : from) {
      std::sort(labels.begin(), labels.end());
      d.push_back(std::move(labels));
    }
    std::sort(d.begin(), d.end());
    key.push_back(std::move(d));
  }
  std::sort(key.begin(), key.end());
  return key;
}

// Lines that stop the vote of running nodes that will not be in `target` after the step
// (placed before the step, so no moment has two partitions holding the device's vote).
std::vector<std::string> Withdraw(const Snapshot& s, const std::vector<PartitionId>& after,
                                  bool alive, PartitionId target) {
  std::vector<NodeId> ids;
  for (size_t i = 0; i < s.views.size(); ++i) {
    const NodeView& v = s.views[i];
    if (Running(v) && v.qdevice_cast_vote && (!alive || after[i] != target)) ids.push_back(v.node_id);
  }
  if (ids.empty()) return {};
  return {"qdevice vote " + IdList(ids) + " 0"};
}

// Adds `m` once per partition that could receive the device's vote after it.
void AddWithDevice(const Model& model, const Snapshot& s, const std::vector<PartitionId>& after,
                   Move m, std::vector<Move>* out) {
  if (!model.device || !s.device_alive) {
    m.device_alive = s.device_alive;
    m.device_target = s.device_target;
    out->push_back(std::move(m));
    return;
  }
  std::set<PartitionId> targets;
  for (size_t i = 0; i < s.views.size(); ++i) {
    if (Running(s.views[i])) targets.insert(after[i]);
  }
  for (PartitionId t : targets) {
    Move c = m;
    std::vector<std::string> pre = Withdraw(s, after, true, t);
    c.lines.insert(c.lines.begin(), pre.begin(), pre.end());
    c.device_alive = true;
    c.device_target = t;
    if (targets.size() > 1) c.what += " (device votes for partition " + std::to_string(t) + ")";
    out->push_back(std::move(c));
  }
}

void Splits(const Model& model, const Snapshot& s, std::vector<Move>* out) {
  const size_t n = s.views.size();
  std::vector<int> current(n);
  for (size_t i = 0; i < n; ++i) current[i] = static_cast<int>(s.views[i].partition);
  const std::vector<int> label_ids = LabelIds(s);
  std::set<Key> seen{PartitionKey(s, label_ids, current)};
  std::vector<int> rgs(n, 0);
  do {
    if (seen.insert(PartitionKey(s, label_ids, rgs)).second) {
      std::map<int, std::vector<NodeId>> groups;
      std::vector<PartitionId> after(n);
      for (size_t i = 0; i < n; ++i) {
        groups[rgs[i]].push_back(s.views[i].node_id);
        after[i] = static_cast<PartitionId>(rgs[i]);
      }
      Move m;
      std::string line = "split";
      for (auto& [g, ids] : groups) line += " " + std::to_string(g) + ":" + IdList(ids);
      m.lines.push_back(line);
      m.what = line;
      AddWithDevice(model, s, after, std::move(m), out);
    }
  } while (NextRgs(&rgs));
}

void Joins(const Model& model, const Snapshot& s, std::vector<Move>* out) {
  std::set<PartitionId> parts;
  for (const NodeView& v : s.views) parts.insert(v.partition);
  const std::vector<int> label_ids = LabelIds(s);
  std::set<Key> seen;
  for (PartitionId p : parts) {
    for (PartitionId q : parts) {
      if (q <= p) continue;
      std::vector<PartitionId> after;
      std::vector<int> group_of;
      for (const NodeView& v : s.views) {
        after.push_back(v.partition == q ? p : v.partition);
        group_of.push_back(static_cast<int>(after.back()));
      }
      if (!seen.insert(PartitionKey(s, label_ids, group_of)).second) continue;
      Move m;
      m.lines.push_back("join " + std::to_string(p) + " " + std::to_string(q));
      m.what = m.lines.back();
      AddWithDevice(model, s, after, std::move(m), out);
    }
  }
}

// One step per interchangeable node satisfying `ok`.
template <typename Pred>
void NodeSteps(const Model& model, const Snapshot& s, const char* cmd, Pred ok,
               std::vector<Move>* out) {
  std::set<std::string> seen;
  for (size_t i = 0; i < s.views.size(); ++i) {
    if (!ok(s.views[i]) || !seen.insert(s.labels[i]).second) continue;
    Move m;
    m.lines.push_back(std::string(cmd) + " " + std::to_string(s.views[i].node_id));
    m.what = m.lines.back();
    m.device_alive = s.device_alive;
    m.device_target = s.device_target;
    (void)model;
    out->push_back(std::move(m));
  }
}

}  // namespace

namespace {

// A split of every node into 2 to 4 random groups (for clusters too large to enumerate).
void RandomSplit(const Model& model, const Snapshot& s, std::mt19937_64& rng,
                 std::vector<Move>* out) {
  const size_t n = s.views.size();
  const int groups = 2 + static_cast<int>(rng() % std::min<size_t>(3, n - 1));
  std::vector<int> g(n);
  for (size_t i = 0; i < n; ++i) g[i] = static_cast<int>(rng() % static_cast<uint64_t>(groups));
  // Renumber groups in order of first appearance, as a restricted growth string.
  std::map<int, int> renum;
  std::map<int, std::vector<NodeId>> members;
  std::vector<PartitionId> after(n);
  for (size_t i = 0; i < n; ++i) {
    int r = renum.emplace(g[i], static_cast<int>(renum.size())).first->second;
    members[r].push_back(s.views[i].node_id);
    after[i] = static_cast<PartitionId>(r);
  }
  Move m;
  m.lines.push_back("split");
  for (auto& [r, ids] : members) m.lines[0] += " " + std::to_string(r) + ":" + IdList(ids);
  m.what = m.lines[0];
  AddWithDevice(model, s, after, std::move(m), out);
}

void NonSplitMoves(const Model& model, const Snapshot& s, std::vector<Move>* out);

}  // namespace

Move RandomMove(const Model& model, const Snapshot& s, std::mt19937_64& rng) {
  std::vector<Move> c;
  if (s.views.size() > 1 && rng() % 3 == 0) {
    RandomSplit(model, s, rng, &c);
  } else {
    NonSplitMoves(model, s, &c);
  }
  if (c.empty()) RandomSplit(model, s, rng, &c);
  return c[rng() % c.size()];
}

std::vector<Move> GenerateMoves(const Model& model, const Snapshot& s, bool splits) {
  std::vector<Move> out;
  NonSplitMoves(model, s, &out);
  if (splits) Splits(model, s, &out);
  return out;
}

Move MakeSplit(const Model& model, const Snapshot& s, const std::vector<std::vector<NodeId>>& groups,
               size_t device_group) {
  std::vector<PartitionId> after(s.views.size(), 0);
  Move m;
  std::string line = "split";
  for (size_t g = 0; g < groups.size(); ++g) {
    line += " " + std::to_string(g) + ":" + IdList(groups[g]);
    for (NodeId id : groups[g]) {
      for (size_t i = 0; i < s.views.size(); ++i) {
        if (s.views[i].node_id == id) after[i] = static_cast<PartitionId>(g);
      }
    }
  }
  m.lines.push_back(line);
  m.what = line;
  m.device_alive = s.device_alive;
  m.device_target = s.device_target;
  if (model.device && s.device_alive) {
    const PartitionId t = static_cast<PartitionId>(device_group);
    std::vector<std::string> pre = Withdraw(s, after, true, t);
    m.lines.insert(m.lines.begin(), pre.begin(), pre.end());
    m.device_target = t;
    m.what += " (device votes for partition " + std::to_string(t) + ")";
  }
  return m;
}

namespace {

void NonSplitMoves(const Model& model, const Snapshot& s, std::vector<Move>* out_ptr) {
  std::vector<Move>& out = *out_ptr;
  NodeSteps(model, s, "crash", Running, &out);
  NodeSteps(model, s, "restart", [](const NodeView& v) { return v.run_state == NodeRunState::kDown; },
            &out);
  NodeSteps(model, s, "leave", Running, &out);
  Joins(model, s, &out);
  if (model.device && s.device_alive) {
    std::vector<NodeId> polling;
    for (const NodeView& v : s.views) {
      if (Running(v) && v.qdevice_polling) polling.push_back(v.node_id);
    }
    if (!polling.empty()) {
      Move m;
      m.lines.push_back("qdevice stop " + IdList(polling));
      m.what = "the quorum device is lost (" + m.lines.back() + ")";
      m.device_alive = false;
      out.push_back(std::move(m));
    }
  }
  if (model.device && !s.device_alive) {
    std::vector<PartitionId> after;
    for (const NodeView& v : s.views) after.push_back(v.partition);
    Snapshot alive = s;
    alive.device_alive = true;
    Move m;
    m.what = "the quorum device returns";
    AddWithDevice(model, alive, after, std::move(m), &out);
  }
  if (model.wait_ms > 0) {
    Move m;
    m.lines.push_back("wait " + std::to_string(model.wait_ms) + "ms");
    m.what = m.lines.back();
    m.device_alive = s.device_alive;
    m.device_target = s.device_target;
    out.push_back(std::move(m));
  }
}

}  // namespace

std::vector<std::string> DeviceFixLines(const Model& model, Cluster& cluster, bool alive,
                                        PartitionId target) {
  std::vector<std::string> lines;
  if (!model.device || !alive) return lines;
  std::vector<NodeId> on, off;
  for (NodeId id : model.nodes) {
    NodeView v = cluster.Node(id);
    if (!Running(v)) continue;
    bool want = v.partition == target;
    if (v.qdevice_polling && v.qdevice_cast_vote == want) continue;
    (want ? on : off).push_back(id);
  }
  if (!off.empty()) lines.push_back("qdevice vote " + IdList(off) + " 0");
  if (!on.empty()) lines.push_back("qdevice vote " + IdList(on) + " 1");
  return lines;
}

Status ApplyMove(const Model& model, const Move& move, Replay& replay,
                 std::vector<std::string>* lines) {
  for (const std::string& l : move.lines) {
    Status st = replay.Run(l);
    if (!st.ok()) return st;
    lines->push_back(l);
  }
  for (const std::string& l :
       DeviceFixLines(model, replay.cluster(), move.device_alive, move.device_target)) {
    Status st = replay.Run(l);
    if (!st.ok()) return st;
    lines->push_back(l);
  }
  if (model.master_wins) {
    // A restarted daemon sets master_wins again once registered.
    std::vector<NodeId> ids;
    for (NodeId id : model.nodes) {
      NodeView v = replay.cluster().Node(id);
      if (Running(v) && v.qdevice_registered && !v.qdevice_master_wins) ids.push_back(id);
    }
    if (!ids.empty()) {
      std::string l = "qdevice master_wins " + IdList(ids) + " 1";
      Status st = replay.Run(l);
      if (!st.ok()) return st;
      lines->push_back(l);
    }
  }
  replay.Start();
  return Status::Ok();
}

}  // namespace quorumsim::check
