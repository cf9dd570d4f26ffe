#include "sim/testing/fault_schedule.h"

#include <algorithm>
#include <map>
#include <memory>
#include <ostream>
#include <sstream>
#include <utility>

#include "sim/script.h"

namespace quorumsim::testing {
namespace {

std::string Ids(const std::vector<NodeId>& ids) {
  std::string s;
  for (NodeId id : ids) {
    if (!s.empty()) s += ',';
    s += std::to_string(id);
  }
  return s;
}

const char* NodeCommand(FaultStep::Kind kind) {
  switch (kind) {
    case FaultStep::Kind::kCrash: return "crash";
    case FaultStep::Kind::kRestart: return "restart";
    case FaultStep::Kind::kLeave: return "leave";
    case FaultStep::Kind::kPause: return "pause";
    case FaultStep::Kind::kResume: return "resume";
    case FaultStep::Kind::kQdeviceStop: return "qdevice stop";
    case FaultStep::Kind::kQdeviceOn: return "qdevice on";
    default: return nullptr;
  }
}

// The run state a schedule leaves each node in, as far as validity goes.
class StateTracker {
 public:
  explicit StateTracker(const std::vector<NodeId>& ids) {
    for (NodeId id : ids) state_[id] = NodeRunState::kUp;
  }

  // Nodes the step may name, in nodelist order; all for steps that name none.
  bool Eligible(FaultStep::Kind kind, NodeId id) const {
    auto it = state_.find(id);
    if (it == state_.end()) return false;
    switch (kind) {
      case FaultStep::Kind::kCrash: return it->second != NodeRunState::kDown;
      case FaultStep::Kind::kRestart: return true;
      case FaultStep::Kind::kLeave:
      case FaultStep::Kind::kPause:
      case FaultStep::Kind::kQdeviceStop:
      case FaultStep::Kind::kQdeviceOn: return it->second == NodeRunState::kUp;
      case FaultStep::Kind::kResume: return it->second == NodeRunState::kPaused;
      default: return true;
    }
  }

  void Apply(const FaultStep& step) {
    switch (step.kind) {
      case FaultStep::Kind::kCrash:
      case FaultStep::Kind::kLeave: state_[step.node] = NodeRunState::kDown; break;
      case FaultStep::Kind::kRestart:
      case FaultStep::Kind::kResume: state_[step.node] = NodeRunState::kUp; break;
      case FaultStep::Kind::kPause: state_[step.node] = NodeRunState::kPaused; break;
      default: break;
    }
  }

 private:
  std::map<NodeId, NodeRunState> state_;
};

bool ValidSplit(const FaultStep& step, const std::vector<NodeId>& ids) {
  if (step.groups.empty()) return false;
  for (const auto& g : step.groups) {
    if (g.empty()) return false;
    for (NodeId id : g) {
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) return false;
    }
  }
  return true;
}

// Turns a raw generated step list into a valid schedule: a node fault that does not fit the
// node's state is moved to an eligible node (chosen by the raw node's position) or dropped.
std::vector<FaultStep> RepairImpl(const std::vector<FaultStep>& raw, const std::vector<NodeId>& ids,
                                  size_t max_steps) {
  StateTracker state(ids);
  std::vector<FaultStep> out;
  for (FaultStep step : raw) {
    if (out.size() == max_steps) break;
    if (NodeCommand(step.kind) != nullptr) {
      std::vector<NodeId> eligible;
      for (NodeId id : ids) {
        if (state.Eligible(step.kind, id)) eligible.push_back(id);
      }
      if (eligible.empty()) continue;
      if (std::find(eligible.begin(), eligible.end(), step.node) == eligible.end()) {
        size_t pos = std::find(ids.begin(), ids.end(), step.node) - ids.begin();
        step.node = eligible[pos % eligible.size()];
      }
    } else if (step.kind == FaultStep::Kind::kSplit && !ValidSplit(step, ids)) {
      continue;
    }
    state.Apply(step);
    out.push_back(std::move(step));
  }
  return out;
}

// Node i goes to group assign[i]; groups are numbered by first appearance.
std::vector<std::vector<NodeId>> Groups(const std::vector<NodeId>& ids, const std::vector<int>& assign) {
  std::vector<std::vector<NodeId>> groups;
  std::map<int, size_t> index;
  for (size_t i = 0; i < ids.size() && i < assign.size(); ++i) {
    auto [it, fresh] = index.emplace(assign[i], groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(ids[i]);
  }
  return groups;
}

}  // namespace

std::vector<FaultStep> RepairSteps(const std::vector<FaultStep>& raw, const std::vector<NodeId>& node_ids,
                                   size_t max_steps) {
  return RepairImpl(raw, node_ids, max_steps);
}

std::string StepLine(const FaultStep& step, size_t partitions) {
  switch (step.kind) {
    case FaultStep::Kind::kSplit: {
      std::string s = "split";
      for (size_t i = 0; i < step.groups.size(); ++i) {
        s += ' ' + std::to_string(i) + ':' + Ids(step.groups[i]);
      }
      return s;
    }
    case FaultStep::Kind::kJoinAll: {
      std::string s = "join";
      for (size_t p = 0; p < std::max<size_t>(partitions, 2); ++p) s += ' ' + std::to_string(p);
      return s;
    }
    case FaultStep::Kind::kWait:
      return "wait " + std::to_string(step.wait_ms) + "ms";
    case FaultStep::Kind::kSetExpected:
      return "setexpected " + std::to_string(step.node) + " " + std::to_string(step.value);
    case FaultStep::Kind::kSetVotes:
      return "setvotes " + std::to_string(step.node) + " " + std::to_string(step.target) + " " +
             std::to_string(step.value);
    default:
      return std::string(NodeCommand(step.kind)) + ' ' + std::to_string(step.node);
  }
}

std::vector<std::string> ScenarioCommands(const FaultSchedule& schedule) {
  std::vector<std::string> lines;
  lines.push_back("seed " + std::to_string(schedule.seed));
  if (schedule.delay_ms != 0 || schedule.jitter_ms != 0) {
    lines.push_back("delay " + std::to_string(schedule.delay_ms) + "ms " +
                    std::to_string(schedule.jitter_ms) + "ms");
  }
  size_t partitions = 2;
  for (const FaultStep& step : schedule.steps) {
    if (step.kind == FaultStep::Kind::kSplit) partitions = std::max(partitions, step.groups.size());
    lines.push_back(StepLine(step, partitions));
  }
  return lines;
}

std::string ToScenario(const FaultSchedule& schedule, std::string_view config_name,
                       std::string_view title) {
  std::ostringstream s;
  s << "# config: " << config_name << "\n#\n";
  if (!title.empty()) {
    std::istringstream in{std::string(title)};
    for (std::string l; std::getline(in, l);) s << (l.empty() ? "#" : "# " + l) << '\n';
    s << "#\n";
  }
  s << "# Fault schedule of " << schedule.steps.size()
    << " step(s); every command settles the cluster before the next.\n"
    << "# Replay: bazel-bin/quorumsim -c " << config_name << " THIS_FILE\n";
  for (const std::string& l : ScenarioCommands(schedule)) s << l << '\n';
  return s.str();
}

bool IsValid(const FaultSchedule& schedule, const std::vector<NodeId>& node_ids) {
  StateTracker state(node_ids);
  for (const FaultStep& step : schedule.steps) {
    if (NodeCommand(step.kind) != nullptr && !state.Eligible(step.kind, step.node)) return false;
    if (step.kind == FaultStep::Kind::kSplit && !ValidSplit(step, node_ids)) return false;
    state.Apply(step);
  }
  return true;
}

Status RunSchedule(std::string_view conf_text, std::string_view config_name,
                   const FaultSchedule& schedule, const LineCheck& check, ScheduleRun* out) {
  *out = ScheduleRun{};
  out->scenario = ToScenario(schedule, config_name);
  ClusterOptions options;
  options.seed = 0;  // what `quorumsim` uses without --seed
  options.record_trace = true;
  std::unique_ptr<Cluster> cluster;
  Status st = Cluster::FromConfText(conf_text, config_name, options, &cluster);
  if (!st.ok()) return st;

  std::ostringstream output, errors;
  ScriptOptions script_options;
  script_options.out = &output;
  script_options.err = &errors;
  ScriptRunner runner(cluster.get(), std::move(script_options));
  const std::string name = "schedule.vqsim";

  std::istringstream in(out->scenario);
  bool stopped = false;
  int lineno = 0;
  for (std::string line; std::getline(in, line);) {
    LineResult rc = runner.RunLine(line, name, ++lineno);
    if (rc.code != kScriptOk) {
      out->exit_code = rc.code;
      out->failed_line = line;
      stopped = true;
      break;
    }
    if (check && !line.empty() && line[0] != '#') {
      std::string msg = check(*cluster, line);
      if (!msg.empty()) {
        out->failed_line = line;
        out->failure = std::move(msg);
        stopped = true;
        break;
      }
    }
  }
  if (!stopped) out->exit_code = runner.End(name);
  out->output = output.str();
  out->errors = errors.str();
  out->trace = cluster->trace_lines();
  return Status::Ok();
}

rc::Gen<FaultSchedule> GenFaultSchedule(std::vector<NodeId> node_ids, size_t max_steps) {
  using Kind = FaultStep::Kind;
  const size_t n = node_ids.size();
  auto node_step = [node_ids](Kind kind) {
    return rc::gen::map(rc::gen::elementOf(node_ids), [kind](NodeId id) {
      FaultStep s;
      s.kind = kind;
      s.node = id;
      return s;
    });
  };
  rc::Gen<FaultStep> split = rc::gen::map(
      rc::gen::container<std::vector<int>>(n, rc::gen::inRange(0, 3)),
      [node_ids](const std::vector<int>& assign) {
        FaultStep s;
        s.kind = Kind::kSplit;
        s.groups = Groups(node_ids, assign);
        return s;
      });
  rc::Gen<FaultStep> wait =
      rc::gen::map(rc::gen::element<uint64_t>(100, 1000, 3000, 10000, 30000), [](uint64_t ms) {
        FaultStep s;
        s.kind = Kind::kWait;
        s.wait_ms = ms;
        return s;
      });
  FaultStep join_step;
  join_step.kind = Kind::kJoinAll;
  rc::Gen<FaultStep> step = rc::gen::weightedOneOf<FaultStep>({
      {4, split},
      {3, rc::gen::just(join_step)},
      {2, node_step(Kind::kCrash)},
      {2, node_step(Kind::kRestart)},
      {1, node_step(Kind::kLeave)},
      {1, node_step(Kind::kPause)},
      {2, node_step(Kind::kResume)},
      {2, wait},
  });
  // The size caps the number of steps only. RapidCheck scales inRange and elementOf with
  // the size, so each step is drawn at full size: otherwise a split would put every node
  // in one partition and a node step would always name the first node.
  auto raw_steps = rc::gen::resize(static_cast<int>(max_steps),
                                   rc::gen::container<std::vector<FaultStep>>(rc::gen::resize(100, step)));
  return rc::gen::map(
      rc::gen::tuple(rc::gen::inRange<uint64_t>(0, 1000), rc::gen::element<uint64_t>(0, 0, 5, 20),
                     rc::gen::element<uint64_t>(0, 0, 10, 50), raw_steps),
      [node_ids, max_steps](const std::tuple<uint64_t, uint64_t, uint64_t, std::vector<FaultStep>>& t) {
        FaultSchedule s;
        s.seed = std::get<0>(t);
        s.delay_ms = std::get<1>(t);
        s.jitter_ms = std::get<2>(t);
        s.steps = RepairImpl(std::get<3>(t), node_ids, max_steps);
        return s;
      });
}

void showValue(const FaultStep& step, std::ostream& os) { os << StepLine(step, 2); }

void showValue(const FaultSchedule& schedule, std::ostream& os) {
  os << "FaultSchedule {\n";
  for (const std::string& l : ScenarioCommands(schedule)) os << "  " << l << '\n';
  os << "}";
}

}  // namespace quorumsim::testing
