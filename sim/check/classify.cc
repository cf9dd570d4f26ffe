#include "sim/check/classify.h"

#include <functional>

namespace quorumsim::check {

namespace {

struct Ablation {
  Cause cause;
  std::function<void(VotequorumConfig*)> off;  // switches the option off
  bool drop_master_wins = false;               // the devices do not call master_wins
  bool no_threshold_wrap = false;              // the 8-bit threshold quirk off
};

uint32_t NodelistVotes(const VotequorumConfig& vq) {
  uint32_t sum = 0;
  for (const auto& n : vq.nodelist) sum += n.quorum_votes.value_or(1);
  return sum;
}

std::vector<Ablation> Ablations(const Model& m) {
  const VotequorumConfig& vq = m.config.votequorum;
  std::vector<Ablation> a;
  if (vq.two_node.value_or(0) != 0) {
    a.push_back({{"quorum.two_node", true,
                  "two_node gives each half of a two-node cluster quorum with one vote; "
                  "which side survives is decided by fencing"},
                 [](VotequorumConfig* c) { c->two_node = 0; }});
  }
  if (m.master_wins) {
    a.push_back({{"qdevice master_wins", true,
                  "master_wins makes a partition quorate whenever its device casts the vote, "
                  "whatever the node votes on the other side; fencing decides"},
                 [](VotequorumConfig*) {},
                 true});
  }
  if (vq.last_man_standing.value_or(0) != 0) {
    a.push_back({{"quorum.last_man_standing", false,
                  "last_man_standing lowered expected votes on one side after a partition, so "
                  "a later minority of the original cluster is quorate while nodes that kept "
                  "the old expected votes form a quorate partition too"},
                 [](VotequorumConfig* c) { c->last_man_standing = 0; }});
  }
  if (vq.auto_tie_breaker.value_or(0) != 0) {
    a.push_back({{"quorum.auto_tie_breaker", false,
                  "auto_tie_breaker made a half quorate that the other side also counts as "
                  "its tie-break winner"},
                 [](VotequorumConfig* c) { c->auto_tie_breaker = 0; }});
  }
  if (vq.allow_downscale.value_or(0) != 0) {
    a.push_back({{"quorum.allow_downscale", false,
                  "allow_downscale lowered expected votes after nodes left cleanly"},
                 [](VotequorumConfig* c) { c->allow_downscale = 0; }});
  }
  if (NodelistVotes(vq) + vq.device_votes.value_or(0) >= 256 ||
      vq.expected_votes.value_or(0) >= 256) {
    a.push_back({{"nodelist.node.quorum_votes", false,
                  "the votes add up to 256 or more: corosync 3.1 stores the quorum threshold in "
                  "8 bits (recalculate_quorum), so it wraps and a minority reaches it"},
                 [](VotequorumConfig*) {},
                 false,
                 true});
  }
  if (vq.expected_votes && *vq.expected_votes < NodelistVotes(vq)) {
    a.push_back({{"quorum.expected_votes", false,
                  "quorum.expected_votes (" + std::to_string(*vq.expected_votes) +
                      ") is lower than the nodelist's " + std::to_string(NodelistVotes(vq)) +
                      " votes, so a minority of the nodes reaches the threshold"},
                 [](VotequorumConfig* c) { c->expected_votes.reset(); }});
  }
  return a;
}

bool Contains(const std::string& s, const char* what) { return s.find(what) != std::string::npos; }

}  // namespace

std::vector<Cause> CandidateCauses(const Model& model) {
  std::vector<Cause> out;
  for (const Ablation& a : Ablations(model)) out.push_back(a.cause);
  return out;
}

Classification Classify(const Model& model, const Reached& state) {
  Classification c;
  for (const Ablation& a : Ablations(model)) {
    ClusterConfig config = model.config;
    a.off(&config.votequorum);
    Model m = model;
    std::vector<std::string> lines;
    for (const std::string& l : state.lines) {
      if (a.drop_master_wins && Contains(l, "master_wins")) continue;
      lines.push_back(l);
    }
    if (a.no_threshold_wrap) m.quirks.quorum_threshold_wraps_at_256 = false;
    if (a.drop_master_wins) {
      m.master_wins = false;
      std::vector<std::string> start;
      for (const std::string& l : m.start_lines) {
        if (!Contains(l, "master_wins")) start.push_back(l);
      }
      m.start_lines = start;
    }
    Snapshot snap;
    // A replay the changed configuration refuses says nothing about this option.
    if (!RunLines(m, config, lines, state.snap.device_alive, state.snap.device_target, &snap).ok()) {
      continue;
    }
    if (!IsSplitBrain(snap)) c.causes.push_back(a.cause);
  }
  c.relies_on_fencing = !c.causes.empty();
  for (const Cause& x : c.causes) c.relies_on_fencing = c.relies_on_fencing && x.by_design;
  return c;
}

std::string Classification::Key() const {
  std::string k = relies_on_fencing ? "F" : "H";
  for (const Cause& x : causes) k += "|" + x.option;
  return k;
}

std::string Classification::Label() const {
  std::string s = relies_on_fencing ? "relies on fencing: " : "configuration hazard: ";
  if (causes.empty()) return s + "no single option explains it (the combination of the settings)";
  for (size_t i = 0; i < causes.size(); ++i) s += (i ? ", " : "") + causes[i].option;
  return s;
}

}  // namespace quorumsim::check
