#include "sim/check/report.h"

#include <ostream>
#include <sstream>

namespace quorumsim::check {

bool CheckReport::Hazard() const {
  for (const SplitBrainFinding& f : findings) {
    if (strict || !f.cls.relies_on_fencing) return true;
  }
  return false;
}

std::string JsonString(const std::string& s) {
  std::string o = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\t': o += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          o += buf;
        } else {
          o += static_cast<char>(c);
        }
    }
  }
  return o + "\"";
}

namespace {

std::string JsonIds(const std::vector<NodeId>& ids) { return "[" + IdList(ids) + "]"; }

std::string JsonLines(const std::vector<std::string>& lines) {
  std::string o = "[";
  for (size_t i = 0; i < lines.size(); ++i) o += (i ? "," : "") + JsonString(lines[i]);
  return o + "]";
}

// The options that shape quorum, as "key: value" for the report.
std::vector<std::string> Options(const Model& m) {
  const VotequorumConfig& vq = m.config.votequorum;
  std::vector<std::string> o;
  auto add = [&](const char* k, const std::optional<uint32_t>& v) {
    if (v) o.push_back(std::string(k) + ": " + std::to_string(*v));
  };
  add("expected_votes", vq.expected_votes);
  add("two_node", vq.two_node);
  add("wait_for_all", vq.wait_for_all);
  add("last_man_standing", vq.last_man_standing);
  add("last_man_standing_window", vq.last_man_standing_window);
  add("auto_tie_breaker", vq.auto_tie_breaker);
  if (vq.auto_tie_breaker_node) o.push_back("auto_tie_breaker_node: " + *vq.auto_tie_breaker_node);
  add("allow_downscale", vq.allow_downscale);
  add("expected_votes_tracking", vq.expected_votes_tracking);
  if (vq.device_model) o.push_back("device.model: " + *vq.device_model);
  add("device.votes", vq.device_votes);
  add("device.timeout", vq.device_timeout);
  if (m.master_wins) o.push_back("qdevice master_wins: 1 (--master-wins)");
  return o;
}

size_t ClassCount(const Model& m) {
  int mx = -1;
  for (const auto& [id, c] : m.node_class) mx = std::max(mx, c);
  return static_cast<size_t>(mx + 1);
}

std::string Partitions(const std::vector<std::vector<NodeId>>& q) {
  std::string s;
  for (size_t i = 0; i < q.size(); ++i) s += (i ? " and " : "") + ("{" + IdList(q[i]) + "}");
  return s;
}

}  // namespace

std::vector<std::string> SplitBrainExpects(const Snapshot& s) {
  std::vector<std::string> out;
  for (const auto& [p, ids] : QuoratePartitions(s)) {
    for (const NodeView& v : s.views) {
      if (v.node_id != ids[0]) continue;
      out.push_back("expect " + std::to_string(v.node_id) + " quorate=1 members=" + IdList(v.members));
    }
  }
  return out;
}

std::string ScenarioText(const CheckReport& r, const std::string& title,
                         const std::vector<std::string>& comments,
                         const std::vector<std::string>& lines) {
  std::ostringstream os;
  os << "# config: " << r.config_ref << "\n#\n# quorumsim check: " << title << "\n";
  for (const std::string& c : comments) os << "# " << c << "\n";
  os << "# Replay: quorumsim THIS-FILE (exit status 0: every expect below holds).\n";
  for (const std::string& l : r.model.start_lines) os << l << "\n";
  for (const std::string& l : lines) os << l << "\n";
  return os.str();
}

void WriteText(const CheckReport& r, std::ostream& os) {
  const Model& m = r.model;
  os << "quorumsim check: " << r.config_path << " (" << m.nodes.size() << " nodes: "
     << IdList(m.nodes) << ")\n";
  std::vector<std::string> opts = Options(m);
  os << "options: " << (opts.empty() ? std::string("none (plain majority)") : "");
  for (size_t i = 0; i < opts.size(); ++i) os << (i ? ", " : "") << opts[i];
  os << "\n";
  const ExploreResult& e = r.explored;
  os << "explored: " << e.states << " distinct states, " << e.steps << " fault steps simulated, up to "
     << r.options.max_faults << " per sequence, "
     << (e.exhaustive ? "exhaustive" : "sampled (" + std::to_string(r.options.samples) +
                                            " random walks, seed " + std::to_string(r.options.seed) + ")")
     << ", " << ClassCount(m) << " symmetry class(es) of nodes\n\n";

  os << "split-brain: ";
  if (r.findings.empty()) {
    os << (e.exhaustive ? "none reachable\n" : "none found (a sampled search is not a proof)\n");
  } else {
    os << e.split_brain_states << " state(s) with two quorate partitions; " << r.findings.size()
       << " finding(s)\n";
  }
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const SplitBrainFinding& f = r.findings[i];
    os << "  " << (i + 1) << ". [" << f.cls.Label() << "] after " << f.state.steps.size()
       << " step(s): " << Partitions(f.quorate) << (f.quorate.size() > 2 ? " are all quorate\n" : " are both quorate\n");
    for (size_t s = 0; s < f.state.steps.size(); ++s) {
      os << "       step " << (s + 1) << ": " << f.state.steps[s] << "\n";
    }
    for (const Cause& c : f.cls.causes) os << "       cause " << c.option << ": " << c.why << "\n";
    if (!f.file.empty()) {
      os << "       scenario: " << f.file << "\n";
      if (!f.picture.empty()) os << "       timeline: " << f.picture << " (and .html)\n";
    } else {
      os << "       scenario:\n";
      std::istringstream in(f.scenario);
      for (std::string l; std::getline(in, l);) os << "         " << l << "\n";
    }
  }

  const Availability& a = r.availability;
  os << "\navailability:\n";
  os << "  smallest fault sets leaving no partition quorate (" << a.loss_size << " fault(s)):";
  for (const LossSet& l : a.loss_sets) {
    os << " {" << IdList(l.nodes) << (l.device ? std::string(l.nodes.empty() ? "" : ",") + "qdevice" : "")
       << "}";
  }
  os << "\n  node failures survived one after another: " << a.survive_best << " in the best order, "
     << a.survive_worst << " in the worst\n";
  os << "    best order:  ";
  for (const std::string& l : a.best_order.lines) {
    if (l.rfind("expect", 0) != 0) os << l << "; ";
  }
  os << "\n    worst order: ";
  for (const std::string& l : a.worst_order.lines) {
    if (l.rfind("expect", 0) != 0) os << l << "; ";
  }
  os << "\n  after a full outage, quorum returns with ";
  if (a.restart_needed == 0) {
    os << "no number of restarted nodes";
  } else {
    os << a.restart_needed << " of " << m.nodes.size() << " node(s) back";
  }
  if (a.wait_for_all) {
    os << " (wait_for_all";
    if (a.restart_needed_without_wfa != a.restart_needed) {
      os << " blocks: " << a.restart_needed_without_wfa << " would do without it";
    } else {
      os << " does not block";
    }
    os << ")";
  }
  os << "\n";
  for (const ScenarioOut& s : r.availability_scenarios) {
    if (!s.file.empty()) os << "  scenario: " << s.file << " (" << s.what << ")\n";
  }
  os << "\nverdict: "
     << (r.Hazard() ? "HAZARD (configuration allows split-brain)"
                    : (r.findings.empty() ? (e.exhaustive ? "no split-brain reachable" : "no split-brain found in the sample")
                                          : "split-brain only by design (relies on fencing)"))
     << "\n";
}

void WriteJson(const CheckReport& r, std::ostream& os) {
  const Model& m = r.model;
  const ExploreResult& e = r.explored;
  os << "{\"schema\":\"quorumsim-check\",\"version\":1,\"config\":" << JsonString(r.config_path)
     << ",\"nodes\":" << JsonIds(m.nodes) << ",\"options\":" << JsonLines(Options(m))
     << ",\"exploration\":{\"mode\":" << JsonString(e.exhaustive ? "exhaustive" : "sampled")
     << ",\"max_faults\":" << r.options.max_faults;
  if (!e.exhaustive) os << ",\"samples\":" << r.options.samples << ",\"seed\":" << r.options.seed;
  os << ",\"states\":" << e.states << ",\"steps\":" << e.steps
     << ",\"symmetry_classes\":" << ClassCount(m) << ",\"split_brain_states\":" << e.split_brain_states
     << "},\"hazard\":" << (r.Hazard() ? "true" : "false") << ",\"split_brain\":[";
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const SplitBrainFinding& f = r.findings[i];
    os << (i ? "," : "") << "{\"kind\":"
       << JsonString(f.cls.relies_on_fencing ? "relies_on_fencing" : "configuration_hazard")
       << ",\"causes\":[";
    for (size_t c = 0; c < f.cls.causes.size(); ++c) {
      const Cause& x = f.cls.causes[c];
      os << (c ? "," : "") << "{\"option\":" << JsonString(x.option)
         << ",\"by_design\":" << (x.by_design ? "true" : "false") << ",\"why\":" << JsonString(x.why)
         << "}";
    }
    os << "],\"steps\":" << JsonLines(f.state.steps) << ",\"quorate_partitions\":[";
    for (size_t q = 0; q < f.quorate.size(); ++q) os << (q ? "," : "") << JsonIds(f.quorate[q]);
    os << "],\"scenario\":" << JsonString(f.scenario)
       << ",\"scenario_file\":" << (f.file.empty() ? "null" : JsonString(f.file))
       << ",\"timeline\":" << (f.picture.empty() ? "null" : JsonString(f.picture)) << "}";
  }
  const Availability& a = r.availability;
  os << "],\"availability\":{\"loss_size\":" << a.loss_size << ",\"loss_sets\":[";
  for (size_t i = 0; i < a.loss_sets.size(); ++i) {
    os << (i ? "," : "") << "{\"nodes\":" << JsonIds(a.loss_sets[i].nodes)
       << ",\"device\":" << (a.loss_sets[i].device ? "true" : "false")
       << ",\"lines\":" << JsonLines(a.loss_sets[i].proof.lines) << "}";
  }
  os << "],\"survive_best\":" << a.survive_best << ",\"survive_worst\":" << a.survive_worst
     << ",\"best_order\":" << JsonLines(a.best_order.lines)
     << ",\"worst_order\":" << JsonLines(a.worst_order.lines)
     << ",\"wait_for_all\":" << (a.wait_for_all ? "true" : "false")
     << ",\"restart_needed\":" << a.restart_needed
     << ",\"restart_needed_without_wait_for_all\":" << a.restart_needed_without_wfa
     << ",\"scenario_files\":[";
  bool first = true;
  for (const ScenarioOut& s : r.availability_scenarios) {
    if (s.file.empty()) continue;
    os << (first ? "" : ",") << "{\"what\":" << JsonString(s.what) << ",\"file\":" << JsonString(s.file) << "}";
    first = false;
  }
  os << "]}}\n";
}

}  // namespace quorumsim::check
