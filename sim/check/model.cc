#include "sim/check/model.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace quorumsim::check {

std::string IdList(const std::vector<NodeId>& ids) {
  std::string s;
  for (NodeId id : ids) {
    if (!s.empty()) s += ',';
    s += std::to_string(id);
  }
  return s;
}

Model MakeModel(const ClusterConfig& config, bool master_wins) {
  Model m;
  m.config = config;
  m.nodes = config.node_ids();
  const VotequorumConfig& vq = config.votequorum;
  const bool atb = vq.auto_tie_breaker.value_or(0) != 0;
  // Class = (votes, started by the scenario) unless node ids matter.
  std::map<std::pair<uint32_t, bool>, int> classes;
  for (size_t i = 0; i < vq.nodelist.size(); ++i) {
    const auto& n = vq.nodelist[i];
    if (atb) {
      m.node_class[n.node_id] = static_cast<int>(i);
      continue;
    }
    auto key = std::make_pair(n.quorum_votes.value_or(1),
                              config.without_ring0_addr.count(n.node_id) == 0);
    auto it = classes.emplace(key, static_cast<int>(classes.size())).first;
    m.node_class[n.node_id] = it->second;
  }
  m.device = vq.device_model.has_value();
  m.master_wins = m.device && master_wins;
  m.lms = vq.last_man_standing.value_or(0) != 0;
  uint64_t window = 0;
  if (m.lms) window = vq.last_man_standing_window.value_or(10000);
  if (m.device) window = std::max<uint64_t>(window, vq.device_timeout.value_or(10000));
  if (window > 0) m.wait_ms = window + 1000;
  if (m.device) {
    std::vector<NodeId> started = config.VqsimStartOrder();
    std::sort(started.begin(), started.end());
    if (!started.empty()) {
      m.start_lines.push_back("qdevice on " + IdList(started));
      if (m.master_wins) m.start_lines.push_back("qdevice master_wins " + IdList(started) + " 1");
    }
  }
  return m;
}

namespace {

// Everything about a node except its id and partition.
std::string NodeSignature(const Model& m, const NodeView& v) {
  std::ostringstream os;
  os << 'c' << m.node_class.at(v.node_id) << ' ' << static_cast<int>(v.run_state);
  if (v.run_state == NodeRunState::kDown) return os.str();
  const VoteInfo& i = v.info;
  os << ' ' << v.reported << v.quorate << ' ' << i.node_votes << '/' << i.node_expected_votes << '/'
     << i.highest_expected << '/' << i.total_votes << '/' << i.quorum << '/' << i.flags << '/'
     << i.qdevice_votes << ' ' << v.qdevice_registered << v.qdevice_polling << v.qdevice_cast_vote
     << v.qdevice_master_wins << ' ' << v.engine_members.size() << v.sync_in_progress << " [";
  std::vector<std::string> recs;
  for (const NodeRecord& r : v.records) {
    std::ostringstream rs;
    auto it = m.node_class.find(r.node_id);
    rs << (it == m.node_class.end() ? -1 : it->second) << ':' << static_cast<int>(r.state) << ':'
       << r.votes << ':' << r.expected_votes << ':' << r.flags;
    recs.push_back(rs.str());
  }
  std::sort(recs.begin(), recs.end());
  for (const std::string& r : recs) os << r << ' ';
  os << ']';
  return os.str();
}

}  // namespace

Snapshot TakeSnapshot(const Model& m, Cluster& cluster, bool device_alive,
                      PartitionId device_target) {
  Snapshot s;
  s.device_alive = device_alive;
  s.device_target = device_target;
  std::vector<std::string> sig;
  std::map<PartitionId, std::vector<size_t>> groups;
  for (NodeId id : m.nodes) {
    s.views.push_back(cluster.Node(id));
    sig.push_back(NodeSignature(m, s.views.back()));
    groups[s.views.back().partition].push_back(s.views.size() - 1);
  }
  // A group's signature: its members' signatures, sorted; groups ordered by signature.
  struct G {
    std::string sig;
    NodeId first;
    PartitionId p;
  };
  std::vector<G> gs;
  for (auto& [p, idx] : groups) {
    std::vector<std::string> members;
    for (size_t i : idx) members.push_back(sig[i]);
    std::sort(members.begin(), members.end());
    G g{"{", s.views[idx[0]].node_id, p};
    for (const std::string& x : members) g.sig += x + ";";
    g.sig += "}";
    if (device_alive && p == device_target) g.sig += "+dev";
    gs.push_back(g);
  }
  std::sort(gs.begin(), gs.end(), [](const G& a, const G& b) {
    return a.sig != b.sig ? a.sig < b.sig : a.first < b.first;
  });
  // Identical groups share a rank: their nodes are interchangeable across the groups.
  std::map<PartitionId, size_t> rank;
  size_t r = 0;
  for (size_t i = 0; i < gs.size(); ++i) {
    if (i > 0 && gs[i].sig != gs[i - 1].sig) ++r;
    rank[gs[i].p] = r;
    s.fingerprint += gs[i].sig;
  }
  s.fingerprint += device_alive ? "|alive" : "|lost";
  for (size_t i = 0; i < s.views.size(); ++i) {
    s.labels.push_back(std::to_string(rank[s.views[i].partition]) + "#" + sig[i]);
  }
  return s;
}

std::map<PartitionId, std::vector<NodeId>> QuoratePartitions(const Snapshot& s) {
  std::map<PartitionId, std::vector<NodeId>> out;
  for (const NodeView& v : s.views) {
    if (v.run_state == NodeRunState::kUp && v.reported && v.quorate) {
      out[v.partition].push_back(v.node_id);
    }
  }
  return out;
}

}  // namespace quorumsim::check
