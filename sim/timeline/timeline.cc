#include "sim/timeline/timeline.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace quorumsim::timeline {

void VoteSampler::Sample(const Cluster& cluster) {
  for (NodeId id : cluster.node_ids()) {
    NodeView v = cluster.Node(id);
    if (v.run_state == NodeRunState::kDown) continue;
    VotePoint p{cluster.now_ms(), v.info.highest_expected, v.info.quorum, v.info.total_votes};
    std::vector<VotePoint>& pts = points_[id];
    if (!pts.empty() && pts.back().expected == p.expected && pts.back().quorum == p.quorum &&
        pts.back().total == p.total) {
      continue;
    }
    if (!pts.empty() && pts.back().t == p.t) pts.pop_back();
    pts.push_back(p);
  }
}

namespace {

// "exp=N" of a "NODEINFO id=ID votes=V exp=N flags=..." message the node sent about itself.
bool OwnExpected(const TraceEvent& e, uint32_t* expected) {
  const std::string& m = e.Str("msg");
  if (m.rfind("NODEINFO ", 0) != 0) return false;
  std::istringstream in(m.substr(9));
  NodeId id = 0;
  bool have = false;
  for (std::string w; in >> w;) {
    if (w.rfind("id=", 0) == 0) id = static_cast<NodeId>(std::strtoul(w.c_str() + 3, nullptr, 10));
    if (w.rfind("exp=", 0) == 0) {
      *expected = static_cast<uint32_t>(std::strtoul(w.c_str() + 4, nullptr, 10));
      have = true;
    }
  }
  return have && id == e.Num("node");
}

}  // namespace

Timeline BuildTimeline(const std::vector<TraceEvent>& events,
                       const std::map<NodeId, std::vector<VotePoint>>& samples,
                       const std::string& title) {
  Timeline tl;
  tl.title = title;
  std::set<NodeId> nodes;
  std::map<NodeId, Segment> cur;  // the open segment of each node
  auto change = [&](NodeId n, uint64_t t, auto&& edit) {
    nodes.insert(n);
    Segment& s = cur[n];
    Segment next = s;
    edit(next);
    if (next.run == s.run && next.reported == s.reported && next.quorate == s.quorate &&
        next.ring == s.ring && next.members == s.members) {
      return;
    }
    s.t1 = t;
    if (s.t1 > s.t0) tl.segments[n].push_back(s);
    next.t0 = t;
    s = next;
  };
  std::map<NodeId, std::vector<VotePoint>> from_trace;
  for (const TraceEvent& e : events) {
    tl.end = std::max(tl.end, e.t);
    const NodeId n = static_cast<NodeId>(e.Num("node"));
    if (e.ev == "start") {
      change(n, e.t, [](Segment& s) { s = Segment{}; s.run = Segment::Run::kUp; });
    } else if (e.ev == "crash" || e.ev == "exit") {
      change(n, e.t, [](Segment& s) { s = Segment{}; });
    } else if (e.ev == "pause") {
      change(n, e.t, [](Segment& s) { s.run = Segment::Run::kPaused; });
    } else if (e.ev == "resume") {
      change(n, e.t, [](Segment& s) { s.run = Segment::Run::kUp; });
    } else if (e.ev == "notify") {
      const bool q = e.Str("quorate") == "true";
      const std::string ring = e.Str("ring");
      auto it = e.lists.find("members");
      std::vector<uint64_t> members = it == e.lists.end() ? std::vector<uint64_t>{} : it->second;
      change(n, e.t, [&](Segment& s) {
        s.reported = true;
        s.quorate = q;
        s.ring = ring;
        s.members = members;
      });
    } else if (e.ev == "send") {
      uint32_t exp = 0;
      if (OwnExpected(e, &exp)) {
        std::vector<VotePoint>& v = from_trace[n];
        if (v.empty() || v.back().expected != exp) v.push_back(VotePoint{e.t, exp, 0, 0});
      }
    }
    // Markers.
    if (e.ev == "command") {
      tl.markers.push_back({e.t, 0, "command", e.Str("text")});
    } else if (e.ev == "start" || e.ev == "crash" || e.ev == "exit" || e.ev == "shutdown" ||
               e.ev == "pause" || e.ev == "resume") {
      tl.markers.push_back({e.t, n, e.ev, e.ev + " " + std::to_string(n)});
    } else if (e.ev == "move") {
      tl.markers.push_back({e.t, n, "move", "node " + std::to_string(n) + " to partition " + e.Str("partition")});
    } else if (e.ev == "api") {
      tl.markers.push_back({e.t, n, "api", e.Str("call") + " -> " + e.Str("rc")});
    } else if (e.ev == "nodelist_cb" || e.ev == "quorum_cb" || e.ev == "expected_cb") {
      tl.markers.push_back({e.t, n, "callback", e.ev + " (conn " + e.Str("conn") + ")"});
    } else if (e.ev == "timer") {
      tl.markers.push_back({e.t, n, "timer",
                            e.Str("kind") == "0" ? "last_man_standing window expired" : "device timer fired"});
    }
  }
  // Open segments run one past the last event, so the final state is visible.
  for (auto& [n, s] : cur) {
    s.t1 = tl.end + 1;
    if (s.t1 >= s.t0) tl.segments[n].push_back(s);
  }
  tl.nodes.assign(nodes.begin(), nodes.end());
  // Samples are exact (quorum and total included); the trace's expected votes fill in for
  // nodes without them.
  for (NodeId n : tl.nodes) {
    auto it = samples.find(n);
    tl.votes[n] = it != samples.end() && !it->second.empty() ? it->second : from_trace[n];
  }
  return tl;
}

}  // namespace quorumsim::timeline
