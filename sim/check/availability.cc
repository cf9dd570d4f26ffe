#include "sim/check/availability.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>

#include "sim/check/explore.h"
#include "sim/check/moves.h"
#include "sim/check/replay.h"

namespace quorumsim::check {

namespace {

bool AnyQuorate(const Snapshot& s) { return !QuoratePartitions(s).empty(); }

std::vector<NodeId> RunningNodes(const Snapshot& s) {
  std::vector<NodeId> ids;
  for (const NodeView& v : s.views) {
    if (v.run_state == NodeRunState::kUp) ids.push_back(v.node_id);
  }
  return ids;
}

// `expect N quorate=0` for every running node (the proof that nobody holds quorum).
void ExpectNoQuorum(const Snapshot& s, Proof* p) {
  for (NodeId id : RunningNodes(s)) p->lines.push_back("expect " + std::to_string(id) + " quorate=0");
}

// Runs lines (after the start lines), then the device fix-up, and snapshots.
Status Run(const Model& m, const ClusterConfig& config, const std::vector<std::string>& lines,
           Snapshot* out) {
  std::unique_ptr<Replay> r;
  Status st = Replay::Create(config, &r);
  if (!st.ok()) return st;
  if (!(st = r->RunAll(m.start_lines)).ok()) return st;
  if (!(st = r->RunAll(lines)).ok()) return st;
  *out = TakeSnapshot(m, r->cluster(), m.device, 0);
  return Status::Ok();
}

// --- smallest losing fault sets --------------------------------------------------------

Status LossSets(const Model& m, Availability* a) {
  // Nodes by class: a set is a count per class (plus the device), taking the first nodes.
  std::map<int, std::vector<NodeId>> by_class;
  for (NodeId id : m.nodes) by_class[m.node_class.at(id)].push_back(id);
  std::vector<std::vector<NodeId>> classes;
  for (auto& [c, ids] : by_class) classes.push_back(ids);
  const size_t extra = m.device ? 1 : 0;
  for (size_t size = 1; size <= m.nodes.size() + extra; ++size) {
    std::vector<size_t> count(classes.size(), 0);
    // Every count vector with the given total, device in or out.
    for (size_t dev = 0; dev <= extra; ++dev) {
      std::function<Status(size_t, size_t)> rec = [&](size_t k, size_t left) -> Status {
        if (k == classes.size()) {
          if (left != 0) return Status::Ok();
          LossSet ls;
          ls.device = dev == 1;
          for (size_t c = 0; c < classes.size(); ++c) {
            ls.nodes.insert(ls.nodes.end(), classes[c].begin(), classes[c].begin() + static_cast<long>(count[c]));
          }
          std::sort(ls.nodes.begin(), ls.nodes.end());
          Proof& p = ls.proof;
          if (!ls.nodes.empty()) p.lines.push_back("crash " + IdList(ls.nodes));
          if (ls.device) {
            std::vector<NodeId> up;
            for (NodeId id : m.nodes) {
              if (!std::binary_search(ls.nodes.begin(), ls.nodes.end(), id)) up.push_back(id);
            }
            if (!up.empty()) p.lines.push_back("qdevice stop " + IdList(up));
            p.lines.push_back("wait " + std::to_string(m.wait_ms) + "ms");
          }
          Snapshot s;
          Status st = Run(m, m.config, p.lines, &s);
          if (!st.ok()) return st;
          if (AnyQuorate(s)) return Status::Ok();
          ExpectNoQuorum(s, &p);
          p.what = "crash of " + (ls.nodes.empty() ? std::string("no node") : "node(s) " + IdList(ls.nodes)) +
                   (ls.device ? " and loss of the quorum device" : "") + " leaves no partition quorate";
          a->loss_sets.push_back(ls);
          return Status::Ok();
        }
        for (size_t n = 0; n <= std::min(left, classes[k].size()); ++n) {
          count[k] = n;
          Status st = rec(k + 1, left - n);
          if (!st.ok()) return st;
        }
        count[k] = 0;
        return Status::Ok();
      };
      if (size < dev) continue;
      Status st = rec(0, size - dev);
      if (!st.ok()) return st;
    }
    if (!a->loss_sets.empty()) {
      a->loss_size = size;
      return Status::Ok();
    }
  }
  return Status::Ok();
}

// --- failures one after another --------------------------------------------------------

struct Order {
  int survived = 0;
  std::vector<std::string> lines;  // the crashes (and waits) up to the loss
};

// Best (waiting out the timed windows after every failure) or worst (no waiting) order
// of crashes from the state `lines` leads to.
Status Failures(const Model& m, const std::vector<std::string>& lines, const Snapshot& s,
                bool best, std::map<std::string, Order>* memo, Order* out) {
  auto it = memo->find(s.fingerprint);
  if (it != memo->end()) {
    *out = it->second;
    return Status::Ok();
  }
  Order result;
  bool first = true;
  std::vector<std::string> seen;
  for (size_t i = 0; i < s.views.size(); ++i) {
    if (s.views[i].run_state != NodeRunState::kUp) continue;
    if (std::find(seen.begin(), seen.end(), s.labels[i]) != seen.end()) continue;
    seen.push_back(s.labels[i]);
    std::vector<std::string> next = lines;
    next.push_back("crash " + std::to_string(s.views[i].node_id));
    if (best && m.wait_ms > 0) next.push_back("wait " + std::to_string(m.wait_ms) + "ms");
    Snapshot ns;
    Status st = Run(m, m.config, next, &ns);
    if (!st.ok()) return st;
    Order o;
    if (AnyQuorate(ns)) {
      Order rest;
      if (!(st = Failures(m, next, ns, best, memo, &rest)).ok()) return st;
      o.survived = 1 + rest.survived;
      o.lines = rest.lines;
    } else {
      o.lines = next;
      Proof p;
      ExpectNoQuorum(ns, &p);
      o.lines.insert(o.lines.end(), p.lines.begin(), p.lines.end());
    }
    if (first || (best ? o.survived > result.survived : o.survived < result.survived)) result = o;
    first = false;
  }
  (*memo)[s.fingerprint] = result;
  *out = result;
  return Status::Ok();
}

// --- restart after a full outage -------------------------------------------------------

bool WaitForAll(const VotequorumConfig& vq) {
  if (vq.wait_for_all) return *vq.wait_for_all != 0;
  return vq.two_node.value_or(0) != 0;  // two_node switches wait_for_all on by default
}

// Nodes restarted (nodelist order) after everything crashed, until one is quorate: the
// count, or 0 if never. `lines` gets the scenario up to just before that restart.
Status RestartNeeded(const Model& m, const ClusterConfig& config, int* needed,
                     std::vector<std::string>* lines) {
  Model mm = m;
  mm.config = config;
  std::vector<std::string> l;
  l.push_back("crash " + IdList(m.nodes));
  *needed = 0;
  for (size_t k = 0; k < m.nodes.size(); ++k) {
    std::unique_ptr<Replay> r;
    Status st = Replay::Create(config, &r);
    if (!st.ok()) return st;
    if (!(st = r->RunAll(mm.start_lines)).ok()) return st;
    if (!(st = r->RunAll(l)).ok()) return st;
    Move mv;
    mv.lines.push_back("restart " + std::to_string(m.nodes[k]));
    mv.device_alive = m.device;
    std::vector<std::string> step;
    if (!(st = ApplyMove(mm, mv, *r, &step)).ok()) return st;
    Snapshot s = TakeSnapshot(mm, r->cluster(), m.device, 0);
    if (AnyQuorate(s)) {
      *needed = static_cast<int>(k + 1);
      *lines = l;
      return Status::Ok();
    }
    l.insert(l.end(), step.begin(), step.end());
  }
  *lines = l;
  return Status::Ok();
}

}  // namespace

Status MeasureAvailability(const Model& m, Availability* a) {
  *a = Availability{};
  Status st = LossSets(m, a);
  if (!st.ok()) return st;

  Snapshot start;
  if (!(st = Run(m, m.config, {}, &start)).ok()) return st;
  for (int best = 1; best >= 0; --best) {
    std::map<std::string, Order> memo;
    Order o;
    if (!(st = Failures(m, {}, start, best == 1, &memo, &o)).ok()) return st;
    (best ? a->survive_best : a->survive_worst) = o.survived;
    Proof& p = best ? a->best_order : a->worst_order;
    p.lines = o.lines;
    p.what = std::string(best ? "best" : "worst") + " order: quorum survives " +
             std::to_string(o.survived) + " node failure(s), the next one loses it";
  }

  a->wait_for_all = WaitForAll(m.config.votequorum);
  std::vector<std::string> lines;
  if (!(st = RestartNeeded(m, m.config, &a->restart_needed, &lines)).ok()) return st;
  a->restart_needed_without_wfa = a->restart_needed;
  if (a->wait_for_all) {
    ClusterConfig c = m.config;
    c.votequorum.wait_for_all = 0;
    std::vector<std::string> ignored;
    if (!(st = RestartNeeded(m, c, &a->restart_needed_without_wfa, &ignored)).ok()) return st;
    if (a->restart_needed_without_wfa > 0 &&
        (a->restart_needed == 0 || a->restart_needed > a->restart_needed_without_wfa)) {
      // Replay with wait_for_all: the nodes that would be enough without it stay inquorate.
      Proof& p = a->restart_proof;
      p.lines = {"crash " + IdList(m.nodes)};
      std::unique_ptr<Replay> r;
      if (!(st = Replay::Create(m.config, &r)).ok()) return st;
      if (!(st = r->RunAll(m.start_lines)).ok()) return st;
      if (!(st = r->RunAll(p.lines)).ok()) return st;
      for (int k = 0; k < a->restart_needed_without_wfa; ++k) {
        Move mv;
        mv.lines.push_back("restart " + std::to_string(m.nodes[static_cast<size_t>(k)]));
        mv.device_alive = m.device;
        if (!(st = ApplyMove(m, mv, *r, &p.lines)).ok()) return st;
      }
      ExpectNoQuorum(TakeSnapshot(m, r->cluster(), m.device, 0), &p);
      p.what = "after a full outage, " + std::to_string(a->restart_needed_without_wfa) +
               " node(s) back would be quorate without wait_for_all; with it they wait";
    }
  }
  return Status::Ok();
}

}  // namespace quorumsim::check
