#include "sim/check/what_if.h"

#include <algorithm>
#include <memory>
#include <set>
#include <sstream>

#include "sim/check/moves.h"
#include "sim/check/replay.h"

namespace quorumsim::check {

namespace {

bool Running(const NodeView& v) { return v.run_state == NodeRunState::kUp; }

std::vector<std::string> Split(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> w;
  for (std::string x; in >> x;) w.push_back(x);
  return w;
}

// "1,2,3" -> ids, each in the nodelist.
Status ParseIds(const Model& m, const std::string& text, const std::string& change,
                std::vector<NodeId>* ids) {
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    char* end = nullptr;
    unsigned long v = std::strtoul(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || item[0] == '-' ||
        std::find(m.nodes.begin(), m.nodes.end(), static_cast<NodeId>(v)) == m.nodes.end()) {
      return Status::InvalidArgument("change '" + change + "': '" + item +
                                     "' is not a node id of the nodelist (" + IdList(m.nodes) + ")");
    }
    ids->push_back(static_cast<NodeId>(v));
  }
  if (ids->empty()) return Status::InvalidArgument("change '" + change + "' needs node ids");
  return Status::Ok();
}

Status ParseNum(const std::string& text, const std::string& change, uint32_t* out) {
  char* end = nullptr;
  unsigned long v = std::strtoul(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || text[0] == '-' || v > 0xffffffffUL) {
    return Status::InvalidArgument("change '" + change + "': '" + text + "' is not a number");
  }
  *out = static_cast<uint32_t>(v);
  return Status::Ok();
}

const std::set<std::string>& Keywords() {
  static const std::set<std::string> k{"stop", "crash", "restart", "cut", "join", "qdevice",
                                       "votes", "expected", "wait", "line"};
  return k;
}

}  // namespace

Status ParseChanges(const Model& m, const std::vector<std::string>& args,
                    std::vector<WhatIfChange>* out) {
  // Words: each argument may hold a whole change ("stop 1,2") or start one (stop 1,2).
  std::vector<std::vector<std::string>> groups;
  for (const std::string& a : args) {
    std::vector<std::string> w = Split(a);
    if (w.empty()) continue;
    if (Keywords().count(w[0]) || groups.empty()) {
      groups.push_back(w);
    } else {
      groups.back().insert(groups.back().end(), w.begin(), w.end());
    }
  }
  for (const std::vector<std::string>& w : groups) {
    WhatIfChange c;
    for (const std::string& x : w) c.text += (c.text.empty() ? "" : " ") + x;
    const std::string& k = w[0];
    auto arity = [&](size_t n) -> Status {
      if (w.size() - 1 == n) return Status::Ok();
      return Status::InvalidArgument("change '" + c.text + "': '" + k + "' takes " + std::to_string(n) +
                                     " argument(s)");
    };
    Status st;
    std::vector<NodeId> ids;
    if (k == "stop" || k == "crash" || k == "restart" || k == "cut") {
      if (!(st = arity(1)).ok() || !(st = ParseIds(m, w[1], c.text, &ids)).ok()) return st;
      if (k == "stop") {
        // A clean stop (pcs cluster stop): corosync leaves the ring cleanly.
        c.lines.push_back("leave " + IdList(ids));
        c.stopped = ids;
      } else if (k == "cut") {
        c.lines.push_back("cut " + IdList(ids));  // resolved against the state in WhatIf
      } else {
        c.lines.push_back(k + " " + IdList(ids));
      }
    } else if (k == "join") {
      c.lines.push_back("join-all");
    } else if (k == "qdevice") {
      if (!(st = arity(1)).ok()) return st;
      if (!m.device) {
        return Status::InvalidArgument("change '" + c.text +
                                       "': the configuration has no quorum device (quorum.device)");
      }
      if (w[1] != "off" && w[1] != "on") {
        return Status::InvalidArgument("change '" + c.text + "': qdevice takes 'on' or 'off', got '" +
                                       w[1] + "'");
      }
      c.lines.push_back("qdevice-" + w[1]);
    } else if (k == "votes") {
      uint32_t v = 0;
      if (!(st = arity(2)).ok() || !(st = ParseIds(m, w[1], c.text, &ids)).ok() ||
          !(st = ParseNum(w[2], c.text, &v)).ok()) {
        return st;
      }
      for (NodeId id : ids) c.lines.push_back("setvotes-any " + std::to_string(id) + " " + std::to_string(v));
    } else if (k == "expected") {
      uint32_t v = 0;
      if (!(st = arity(1)).ok() || !(st = ParseNum(w[1], c.text, &v)).ok()) return st;
      c.lines.push_back("setexpected-any " + std::to_string(v));
    } else if (k == "wait") {
      if (w.size() > 2) return arity(1);
      if (w.size() == 2) {
        c.lines.push_back("wait " + w[1]);
      } else {
        c.lines.push_back("wait " + std::to_string(m.wait_ms > 0 ? m.wait_ms : 1000) + "ms");
      }
    } else if (k == "line") {
      std::string l;
      for (size_t i = 1; i < w.size(); ++i) l += (i > 1 ? " " : "") + w[i];
      if (l.empty()) return Status::InvalidArgument("change 'line' needs a scenario command");
      c.lines.push_back(l);
    } else {
      return Status::InvalidArgument("unknown change '" + k +
                                     "' (stop, crash, restart, cut, join, qdevice on|off, votes, "
                                     "expected, wait, line)");
    }
    out->push_back(std::move(c));
  }
  if (out->empty()) return Status::InvalidArgument("no change given");
  return Status::Ok();
}

namespace {

// Turns a change's placeholder lines into scenario lines for the cluster's current state.
std::vector<std::string> Resolve(const Model& m, Cluster& c, const std::string& line) {
  std::vector<std::string> w = Split(line);
  std::vector<NodeId> running;
  PartitionId max_part = 0;
  for (NodeId id : m.nodes) {
    NodeView v = c.Node(id);
    if (Running(v)) running.push_back(id);
    max_part = std::max(max_part, v.partition);
  }
  const std::string any = running.empty() ? std::to_string(m.nodes[0]) : std::to_string(running[0]);
  if (w[0] == "cut") return {"split " + std::to_string(std::min<PartitionId>(max_part + 1, 15)) + ":" + w[1]};
  if (w[0] == "join-all") {
    std::set<PartitionId> parts;
    for (NodeId id : m.nodes) parts.insert(c.Node(id).partition);
    if (parts.size() < 2) return {};
    std::string l = "join";
    for (PartitionId p : parts) l += " " + std::to_string(p);
    return {l};
  }
  if (w[0] == "qdevice-on") return {"qdevice on " + IdList(running)};
  if (w[0] == "qdevice-off") {
    std::vector<NodeId> reg;
    for (NodeId id : running) {
      if (c.Node(id).qdevice_registered) reg.push_back(id);
    }
    if (reg.empty()) return {};
    return {"qdevice off " + IdList(reg)};
  }
  if (w[0] == "setvotes-any") return {"setvotes " + any + " " + w[1] + " " + w[2]};
  if (w[0] == "setexpected-any") return {"setexpected " + any + " " + w[1]};
  return {line};
}

bool AnyQuorate(const std::vector<NodeView>& vs) {
  return std::any_of(vs.begin(), vs.end(),
                     [](const NodeView& v) { return Running(v) && v.reported && v.quorate; });
}

std::vector<NodeView> Views(const Model& m, Cluster& c) {
  std::vector<NodeView> out;
  for (NodeId id : m.nodes) out.push_back(c.Node(id));
  return out;
}

}  // namespace

PcsAnswer PcsStoppingCausesQuorumLoss(const std::vector<NodeView>& views,
                                      const std::vector<NodeId>& stopped) {
  PcsAnswer a;
  a.applicable = true;
  // pcs runs corosync-quorumtool on the local node: take the lowest running node that is
  // not being stopped (pcs refuses nothing here; any member gives the same membership).
  auto stopping = [&](NodeId id) {
    return std::find(stopped.begin(), stopped.end(), id) != stopped.end();
  };
  const NodeView* local = nullptr;
  for (const NodeView& v : views) {
    if (Running(v) && !stopping(v.node_id)) {
      local = &v;
      break;
    }
  }
  for (const NodeView& v : views) {
    if (local == nullptr && Running(v)) local = &v;
  }
  if (local == nullptr) return a;
  a.local = local->node_id;
  a.needed = local->info.quorum;
  // quorumtool -p lists the members of the local node's ring with their votes, and a
  // "Qdevice" line (with the device's configured votes) when a device is registered.
  for (NodeId id : local->members) {
    if (stopping(id)) continue;
    for (const NodeRecord& r : local->records) {
      if (r.node_id == id) a.votes_left += r.votes;
    }
  }
  if (local->info.flags & info_flags::kQdeviceRegistered) a.votes_left += local->info.qdevice_votes;
  const bool quorate = local->reported && local->quorate;
  a.quorum_loss = quorate && a.votes_left < a.needed;
  return a;
}

Status WhatIf(const Model& m, const std::vector<std::string>& state_lines,
              const std::vector<WhatIfChange>& changes, WhatIfResult* out) {
  *out = WhatIfResult{};
  out->state_lines = state_lines;
  out->changes = changes;
  std::unique_ptr<Replay> r;
  Status st = Replay::Create(m.config, &r);
  if (!st.ok()) return st;
  if (!(st = r->RunAll(m.start_lines)).ok()) return st;
  for (size_t i = 0; i < state_lines.size(); ++i) {
    if (!(st = r->Run(state_lines[i])).ok()) {
      return Status::InvalidArgument("--state line " + std::to_string(i + 1) + " '" + state_lines[i] +
                                     "': " + st.message());
    }
  }
  r->Start();
  out->before = Views(m, r->cluster());
  std::vector<NodeId> stopped;
  bool only_stops = true;
  for (const WhatIfChange& c : changes) {
    only_stops = only_stops && !c.stopped.empty();
    stopped.insert(stopped.end(), c.stopped.begin(), c.stopped.end());
    for (const std::string& placeholder : c.lines) {
      for (const std::string& l : Resolve(m, r->cluster(), placeholder)) {
        if (!(st = r->Run(l)).ok()) {
          return Status::InvalidArgument("change '" + c.text + "' ('" + l + "'): " + st.message());
        }
        out->change_lines.push_back(l);
      }
    }
  }
  out->after = Views(m, r->cluster());
  out->quorate_before = AnyQuorate(out->before);
  out->quorate_after = AnyQuorate(out->after);
  out->quorum_lost = out->quorate_before && !out->quorate_after;
  if (only_stops) out->pcs = PcsStoppingCausesQuorumLoss(out->before, stopped);
  return Status::Ok();
}

}  // namespace quorumsim::check
