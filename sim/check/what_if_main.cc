#include "sim/check/what_if_main.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "sim/check/args.h"
#include "sim/check/report.h"
#include "sim/check/what_if.h"

namespace quorumsim::check {

namespace {

const char kUsage[] =
    "usage: quorumsim what-if corosync.conf [--state SCENARIO] [--master-wins] [--json] CHANGE...\n"
    "CHANGE: stop IDS | crash IDS | restart IDS | cut IDS | join | qdevice on|off |\n"
    "        votes IDS N | expected N | wait [DURATION] | line SCENARIO-COMMAND...\n"
    "Runs the change on the simulated cluster and shows every node's quorate flag, quorum,\n"
    "expected and total votes before and after. Exit status 0, or 2 for bad input.\n";

int Bad(const std::string& msg) {
  std::cerr << "quorumsim what-if: " << msg << "\n" << kUsage;
  return kExitBadInput;
}

std::string RunState(const NodeView& v) {
  switch (v.run_state) {
    case NodeRunState::kDown: return "down";
    case NodeRunState::kPaused: return "paused";
    case NodeRunState::kUp: break;
  }
  return "up";
}

std::string Cell(const NodeView& v) {
  if (v.run_state != NodeRunState::kUp) return RunState(v);
  std::ostringstream os;
  os << (v.reported && v.quorate ? "quorate" : "INQUORATE") << " quorum=" << v.info.quorum
     << " expected=" << v.info.highest_expected << " total=" << v.info.total_votes
     << " members=" << IdList(v.members);
  return os.str();
}

std::string JsonNode(const NodeView& v) {
  std::ostringstream os;
  os << "{\"node\":" << v.node_id << ",\"state\":" << JsonString(RunState(v));
  if (v.run_state == NodeRunState::kUp) {
    os << ",\"partition\":" << v.partition << ",\"quorate\":" << (v.reported && v.quorate ? "true" : "false")
       << ",\"quorum\":" << v.info.quorum << ",\"expected_votes\":" << v.info.node_expected_votes
       << ",\"highest_expected\":" << v.info.highest_expected << ",\"total_votes\":" << v.info.total_votes
       << ",\"members\":[" << IdList(v.members) << "]";
  }
  return os.str() + "}";
}

}  // namespace

int WhatIfMain(int argc, char** argv) {
  std::string conf, state_file;
  bool json = false, master_wins = false;
  std::vector<std::string> words;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--json") {
      json = true;
    } else if (a == "--master-wins") {
      master_wins = true;
    } else if (a == "--state") {
      if (i + 1 >= argc) return Bad("--state needs a scenario file");
      state_file = argv[++i];
    } else if (conf.empty()) {
      if (!a.empty() && a[0] == '-') return Bad("unknown option " + a);
      conf = a;
    } else {
      words.push_back(a);
    }
  }
  if (conf.empty()) return Bad("no corosync.conf given");
  ClusterConfig config;
  Status st = LoadCorosyncConf(conf, &config);
  if (!st.ok()) {
    std::cerr << "quorumsim what-if: " << st.message() << "\n";
    return kExitBadInput;
  }
  Model m = MakeModel(config, master_wins);
  std::vector<std::string> state_lines;
  if (!state_file.empty()) {
    std::ifstream in(state_file);
    if (!in) return Bad("cannot open --state file " + state_file);
    for (std::string l; std::getline(in, l);) {
      size_t b = l.find_first_not_of(" \t\r");
      if (b == std::string::npos || l[b] == '#') continue;
      state_lines.push_back(l.substr(b));
    }
  }
  std::vector<WhatIfChange> changes;
  if (!(st = ParseChanges(m, words, &changes)).ok()) return Bad(st.message());
  WhatIfResult r;
  if (!(st = WhatIf(m, state_lines, changes, &r)).ok()) {
    std::cerr << "quorumsim what-if: " << (state_file.empty() ? conf : state_file) << ": " << st.message()
              << "\n";
    return kExitBadInput;
  }
  std::string change_text;
  for (const WhatIfChange& c : changes) change_text += (change_text.empty() ? "" : "; ") + c.text;
  const char* verdict = r.quorum_lost                            ? "quorum lost"
                        : (!r.quorate_before && r.quorate_after) ? "quorum regained"
                        : r.quorate_after                        ? "still quorate"
                                                                 : "no quorum before or after";
  if (json) {
    std::cout << "{\"schema\":\"quorumsim-what-if\",\"version\":1,\"config\":" << JsonString(conf)
              << ",\"state\":[";
    for (size_t i = 0; i < r.state_lines.size(); ++i) std::cout << (i ? "," : "") << JsonString(r.state_lines[i]);
    std::cout << "],\"changes\":[";
    for (size_t i = 0; i < changes.size(); ++i) std::cout << (i ? "," : "") << JsonString(changes[i].text);
    std::cout << "],\"scenario_lines\":[";
    for (size_t i = 0; i < r.change_lines.size(); ++i) std::cout << (i ? "," : "") << JsonString(r.change_lines[i]);
    std::cout << "],\"before\":[";
    for (size_t i = 0; i < r.before.size(); ++i) std::cout << (i ? "," : "") << JsonNode(r.before[i]);
    std::cout << "],\"after\":[";
    for (size_t i = 0; i < r.after.size(); ++i) std::cout << (i ? "," : "") << JsonNode(r.after[i]);
    std::cout << "],\"quorate_before\":" << (r.quorate_before ? "true" : "false")
              << ",\"quorate_after\":" << (r.quorate_after ? "true" : "false")
              << ",\"quorum_lost\":" << (r.quorum_lost ? "true" : "false") << ",\"verdict\":" << JsonString(verdict)
              << ",\"pcs\":";
    if (r.pcs.applicable) {
      std::cout << "{\"local_node\":" << r.pcs.local << ",\"votes_left\":" << r.pcs.votes_left
                << ",\"quorum\":" << r.pcs.needed << ",\"quorum_loss\":" << (r.pcs.quorum_loss ? "true" : "false")
                << ",\"agrees\":" << (r.pcs.quorum_loss == r.quorum_lost ? "true" : "false") << "}";
    } else {
      std::cout << "null";
    }
    std::cout << "}\n";
  } else {
    std::cout << "what-if " << conf << ": " << change_text << "\n";
    if (!r.state_lines.empty()) std::cout << "from the state after " << r.state_lines.size() << " line(s) of " << state_file << "\n";
    std::cout << "scenario lines:";
    for (const std::string& l : r.change_lines) std::cout << " " << l << ";";
    std::cout << "\n";
    for (size_t i = 0; i < r.before.size(); ++i) {
      std::cout << "  node " << r.before[i].node_id << ": " << Cell(r.before[i]) << "\n      -> "
                << Cell(r.after[i]) << "\n";
    }
    std::cout << "verdict: " << verdict << "\n";
    if (r.pcs.applicable) {
      std::cout << "pcs stopping_nodes_cause_quorum_loss (quorumtool on node " << r.pcs.local << "): "
                << (r.pcs.quorum_loss ? "loss" : "no loss") << " (" << r.pcs.votes_left << " votes left, quorum "
                << r.pcs.needed << ") -- "
                << (r.pcs.quorum_loss == r.quorum_lost ? "agrees" : "DISAGREES with the engine") << "\n";
    }
  }
  std::cout.flush();
  return std::cout ? 0 : kExitBadInput;
}

}  // namespace quorumsim::check
