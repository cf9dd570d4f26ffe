#include "api/testing/partition_test.h"

#include <corosync/votequorum.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

#include "api/cpp/binding.hpp"
#include "sim/script.h"

namespace quorumsim::testing {

// ---------------- configurations --------------------------------------------------------

std::vector<NodeId> ClusterSpec::node_ids() const {
  std::vector<NodeId> ids;
  for (size_t i = 0; i < votes.size(); ++i) ids.push_back(static_cast<NodeId>(i + 1));
  return ids;
}

std::string ClusterSpec::ConfText() const {
  std::ostringstream s;
  s << "totem {\n    version: 2\n    cluster_name: pbt\n    token: " << token << "\n}\n\n";
  s << "quorum {\n    provider: corosync_votequorum\n";
  if (two_node) s << "    two_node: 1\n";
  if (wait_for_all) s << "    wait_for_all: 1\n";
  if (last_man_standing) {
    s << "    last_man_standing: 1\n    last_man_standing_window: " << last_man_standing_window << "\n";
  }
  if (auto_tie_breaker) s << "    auto_tie_breaker: 1\n";
  if (allow_downscale) s << "    allow_downscale: 1\n";
  if (qdevice_votes > 0) s << "    device {\n        model: net\n        votes: " << qdevice_votes << "\n    }\n";
  s << "}\n\nnodelist {\n";
  for (size_t i = 0; i < votes.size(); ++i) {
    s << "    node {\n        ring0_addr: 192.0.2." << i + 1 << "\n        nodeid: " << i + 1 << "\n";
    if (votes[i] != 1) s << "        quorum_votes: " << votes[i] << "\n";
    s << "    }\n";
  }
  s << "}\n";
  return s.str();
}

std::string ClusterSpec::SplitBrainPermittedBy() const {
  if (two_node) return "two_node";
  if (qdevice_votes > 0) return "quorum device (master_wins)";
  return "";
}

namespace {

bool Accepted(const ClusterSpec& spec) {
  std::unique_ptr<Cluster> c;
  return Cluster::FromConfText(spec.ConfText(), "pbt.conf", ClusterOptions{}, &c).ok();
}

// Turns options off, in a fixed order, until the engine accepts the combination (the
// engine refuses what corosync's votequorum_readconfig refuses).
ClusterSpec Legalize(ClusterSpec spec) {
  if (spec.votes.size() != 2) spec.two_node = false;
  bool ClusterSpec::*options[] = {&ClusterSpec::allow_downscale, &ClusterSpec::auto_tie_breaker,
                                  &ClusterSpec::last_man_standing, &ClusterSpec::two_node,
                                  &ClusterSpec::wait_for_all};
  for (bool ClusterSpec::*option : options) {
    if (Accepted(spec)) return spec;
    spec.*option = false;
  }
  if (!Accepted(spec)) spec.qdevice_votes = 0;
  return spec;
}

}  // namespace

rc::Gen<ClusterSpec> GenClusterSpec(const GenOptions& o) {
  const int max_nodes = static_cast<int>(std::max<size_t>(2, o.max_nodes));
  const bool options = o.options;
  return rc::gen::map(
      rc::gen::tuple(rc::gen::inRange(2, max_nodes + 1),
                     rc::gen::container<std::vector<uint32_t>>(static_cast<size_t>(max_nodes),
                                                               rc::gen::inRange<uint32_t>(1, 4)),
                     rc::gen::container<std::vector<bool>>(6, rc::gen::arbitrary<bool>()),
                     rc::gen::element<uint32_t>(10000, 1000, 3000), rc::gen::element<uint32_t>(3000, 1000, 5000),
                     rc::gen::inRange<uint32_t>(0, 3)),
      [options](const std::tuple<int, std::vector<uint32_t>, std::vector<bool>, uint32_t, uint32_t, uint32_t>& t) {
        ClusterSpec s;
        const auto& [n, votes, flags, window, token, device] = t;
        s.votes.assign(votes.begin(), votes.begin() + n);
        s.token = token;
        if (options) {
          s.two_node = flags[0];
          s.wait_for_all = flags[1];
          s.last_man_standing = flags[2];
          s.last_man_standing_window = window;
          s.auto_tie_breaker = flags[3];
          s.allow_downscale = flags[4];
          s.qdevice_votes = flags[5] ? device : 0;
        }
        return Legalize(s);
      });
}

void showValue(const ClusterSpec& spec, std::ostream& os) { os << spec.ConfText(); }

void showValue(const PartitionCase& test_case, std::ostream& os) {
  os << test_case.spec.ConfText() << ToScenario(test_case.schedule, "pbt.conf");
}

// ---------------- schedules -------------------------------------------------------------

namespace {

using Kind = FaultStep::Kind;

// A step drawn before the node count is known: nodes are positions, taken modulo the
// count, so a case that loses nodes while shrinking keeps a schedule that fits.
struct RawStep {
  Kind kind = Kind::kWait;
  std::vector<int> assign;  // kSplit: partition of each position
  int node = 0;
  int target = 0;
  int wait_choice = 0;
  uint32_t value = 1;
};

FaultStep Resolve(const RawStep& r, const ClusterSpec& spec) {
  const std::vector<NodeId> ids = spec.node_ids();
  FaultStep s;
  s.kind = r.kind;
  s.node = ids[static_cast<size_t>(r.node) % ids.size()];
  s.target = ids[static_cast<size_t>(r.target) % ids.size()];
  s.value = r.value;
  if (r.kind == Kind::kSplit) {
    std::map<int, size_t> index;
    for (size_t i = 0; i < ids.size() && i < r.assign.size(); ++i) {
      auto [it, fresh] = index.emplace(r.assign[i], s.groups.size());
      if (fresh) s.groups.emplace_back();
      s.groups[it->second].push_back(ids[i]);
    }
  }
  if (r.kind == Kind::kWait) {
    // Short first (what shrinking prefers), then waits that cross the timers that matter.
    const uint64_t device_timeout = 10000;
    const uint64_t choices[] = {100, 1000, spec.last_man_standing_window + 1, device_timeout + 1, 30000};
    s.wait_ms = choices[static_cast<size_t>(r.wait_choice) % 5];
  }
  return s;
}

rc::Gen<RawStep> GenRawStep(const GenOptions& o) {
  const int n = static_cast<int>(std::max<size_t>(2, o.max_nodes));
  auto node_step = [n](Kind kind) {
    return rc::gen::map(rc::gen::inRange(0, n), [kind](int node) {
      RawStep r;
      r.kind = kind;
      r.node = node;
      return r;
    });
  };
  RawStep join;
  join.kind = Kind::kJoinAll;
  rc::Gen<RawStep> split = rc::gen::map(
      rc::gen::container<std::vector<int>>(static_cast<size_t>(n), rc::gen::inRange(0, 3)), [](const std::vector<int>& a) {
        RawStep r;
        r.kind = Kind::kSplit;
        r.assign = a;
        return r;
      });
  rc::Gen<RawStep> wait = rc::gen::map(rc::gen::inRange(0, 5), [](int choice) {
    RawStep r;
    r.kind = Kind::kWait;
    r.wait_choice = choice;
    return r;
  });
  rc::Gen<RawStep> setexpected =
      rc::gen::map(rc::gen::tuple(rc::gen::inRange(0, n), rc::gen::inRange<uint32_t>(1, 12)),
                   [](const std::tuple<int, uint32_t>& t) {
                     RawStep r;
                     r.kind = Kind::kSetExpected;
                     r.node = std::get<0>(t);
                     r.value = std::get<1>(t);
                     return r;
                   });
  rc::Gen<RawStep> setvotes = rc::gen::map(
      rc::gen::tuple(rc::gen::inRange(0, n), rc::gen::inRange(0, n), rc::gen::inRange<uint32_t>(1, 4)),
      [](const std::tuple<int, int, uint32_t>& t) {
        RawStep r;
        r.kind = Kind::kSetVotes;
        r.node = std::get<0>(t);
        r.target = std::get<1>(t);
        r.value = std::get<2>(t);
        return r;
      });
  const size_t calls = o.api_calls ? 1 : 0;  // weight 0: never drawn
  return rc::gen::weightedOneOf<RawStep>({
      {4, split},
      {3, rc::gen::just(join)},
      {2, node_step(Kind::kCrash)},
      {2, node_step(Kind::kRestart)},
      {1, node_step(Kind::kLeave)},
      {1, node_step(Kind::kPause)},
      {2, node_step(Kind::kResume)},
      {2, wait},
      {1, node_step(Kind::kQdeviceStop)},
      {1, node_step(Kind::kQdeviceOn)},
      {calls, setexpected},
      {calls, setvotes},
  });
}

}  // namespace

rc::Gen<PartitionCase> GenPartitionCase(const GenOptions& o) {
  const size_t max_steps = o.max_steps;
  return rc::gen::map(
      rc::gen::tuple(GenClusterSpec(o),
                     // The size caps the number of steps; each step is drawn at full size, since
                     // RapidCheck narrows inRange with the size (every split would be one group).
                     rc::gen::resize(static_cast<int>(max_steps),
                                     rc::gen::container<std::vector<RawStep>>(rc::gen::resize(100, GenRawStep(o)))),
                     rc::gen::inRange<uint64_t>(0, 1000), rc::gen::element<uint64_t>(0, 0, 5, 20),
                     rc::gen::element<uint64_t>(0, 0, 10, 50)),
      [max_steps](const std::tuple<ClusterSpec, std::vector<RawStep>, uint64_t, uint64_t, uint64_t>& t) {
        PartitionCase c;
        c.spec = std::get<0>(t);
        std::vector<FaultStep> steps;
        if (c.spec.qdevice_votes > 0) {
          // Devices run from the start; steps lose and return them.
          for (NodeId id : c.spec.node_ids()) {
            FaultStep on;
            on.kind = Kind::kQdeviceOn;
            on.node = id;
            steps.push_back(on);
          }
        }
        for (const RawStep& r : std::get<1>(t)) {
          bool device_step = r.kind == Kind::kQdeviceOn || r.kind == Kind::kQdeviceStop;
          if (device_step && c.spec.qdevice_votes == 0) continue;
          steps.push_back(Resolve(r, c.spec));
        }
        c.schedule.seed = std::get<2>(t);
        c.schedule.delay_ms = std::get<3>(t);
        c.schedule.jitter_ms = std::get<4>(t);
        c.schedule.steps = RepairSteps(steps, c.spec.node_ids(), max_steps + c.spec.votes.size());
        return c;
      });
}

// ---------------- invariants ------------------------------------------------------------

namespace {

std::string List(const std::vector<NodeId>& ids) {
  std::string s;
  for (NodeId id : ids) s += (s.empty() ? "" : ",") + std::to_string(id);
  return s;
}

}  // namespace

std::string NoSplitBrain(const ClusterSnapshot& snapshot) {
  if (snapshot.test_case != nullptr && !snapshot.test_case->spec.SplitBrainPermittedBy().empty()) return "";
  std::vector<const NodeSnapshot*> quorate;
  for (const NodeSnapshot& n : snapshot.nodes) {
    if (n.run == NodeRunState::kUp && n.quorate) quorate.push_back(&n);
  }
  for (size_t i = 0; i < quorate.size(); ++i) {
    for (size_t j = i + 1; j < quorate.size(); ++j) {
      const NodeSnapshot& a = *quorate[i];
      const NodeSnapshot& b = *quorate[j];
      std::set<NodeId> am(a.members.begin(), a.members.end());
      bool meet = std::any_of(b.members.begin(), b.members.end(), [&](NodeId m) { return am.count(m) > 0; });
      if (a.partition != b.partition || !meet) {
        return "split-brain: node " + std::to_string(a.id) + " (members " + List(a.members) + ") and node " +
               std::to_string(b.id) + " (members " + List(b.members) + ") are both quorate";
      }
    }
  }
  return "";
}

std::string NodelistBeforeQuorum(const ClusterSnapshot&, const std::map<NodeId, Observed>& observed) {
  for (const auto& [id, o] : observed) {
    const Observed::Callback* last_nodelist = nullptr;
    for (const Observed::Callback& cb : o.callbacks) {
      if (cb.nodelist) {
        last_nodelist = &cb;
        continue;
      }
      if (last_nodelist == nullptr) {
        return "node " + std::to_string(id) + ": a quorum callback came before any nodelist callback";
      }
      // Members (state MEMBER) are ring members; a node that announced its clean
      // shutdown is LEAVING while still in the ring, so the quorum list may be smaller.
      const std::vector<NodeId>& ring = last_nodelist->members;
      for (NodeId m : cb.members) {
        if (std::find(ring.begin(), ring.end(), m) == ring.end()) {
          return "node " + std::to_string(id) + ": quorum callback member " + std::to_string(m) +
                 " is not in the latest nodelist " + List(ring);
        }
      }
    }
  }
  return "";
}

std::string RingIdsNeverGoBack(const ClusterSnapshot&, const std::map<NodeId, Observed>& observed) {
  for (const auto& [id, o] : observed) {
    const RingId* last = nullptr;
    for (const Observed::Callback& cb : o.callbacks) {
      if (!cb.nodelist) continue;
      if (last != nullptr && cb.ring.seq < last->seq) {
        return "node " + std::to_string(id) + ": ring id went back from " + FormatRingId(*last) + " to " +
               FormatRingId(cb.ring);
      }
      last = &cb.ring;
    }
  }
  return "";
}

// ---------------- running a case --------------------------------------------------------

namespace {

// The harness's own votequorum client on one node, recording what it receives.
class Observer {
 public:
  explicit Observer(Observed* into) : into_(into) {
    votequorum_callbacks_t callbacks{};
    callbacks.votequorum_quorum_notify_fn = &OnQuorum;
    callbacks.votequorum_nodelist_notify_fn = &OnNodelist;
    if (votequorum_initialize(&handle_, &callbacks) != CS_OK) {
      handle_ = 0;
      return;
    }
    votequorum_context_set(handle_, this);
    votequorum_trackstart(handle_, 0, CS_TRACK_CURRENT | CS_TRACK_CHANGES);
  }
  ~Observer() {
    if (handle_ != 0) votequorum_finalize(handle_);
  }
  Observer(const Observer&) = delete;
  Observer& operator=(const Observer&) = delete;
  void Pump() {
    if (handle_ != 0) votequorum_dispatch(handle_, CS_DISPATCH_ALL);
  }

 private:
  static Observer* Self(votequorum_handle_t h) {
    void* p = nullptr;
    votequorum_context_get(h, &p);
    return static_cast<Observer*>(p);
  }
  static void OnQuorum(votequorum_handle_t h, uint64_t, uint32_t quorate, uint32_t n, votequorum_node_t nodes[]) {
    Observed::Callback cb;
    cb.quorate = quorate != 0;
    for (uint32_t i = 0; i < n; ++i) {
      if (nodes[i].state == VOTEQUORUM_NODESTATE_MEMBER && nodes[i].nodeid != VOTEQUORUM_QDEVICE_NODEID) {
        cb.members.push_back(nodes[i].nodeid);
      }
    }
    Self(h)->into_->callbacks.push_back(std::move(cb));
  }
  static void OnNodelist(votequorum_handle_t h, uint64_t, votequorum_ring_id_t ring, uint32_t n, uint32_t nodes[]) {
    Observed::Callback cb;
    cb.nodelist = true;
    cb.ring = RingId{ring.nodeid, ring.seq};
    cb.members.assign(nodes, nodes + n);
    Self(h)->into_->callbacks.push_back(std::move(cb));
  }

  Observed* into_;
  votequorum_handle_t handle_ = 0;
};

// Everything one run owns, destroyed in this order: clients, observers, cluster (members
// are destroyed in reverse order of declaration).
struct Run {
  std::unique_ptr<Cluster> cluster;
  std::map<NodeId, Observed> observed;
  std::map<NodeId, std::unique_ptr<Observer>> observers;
  std::map<NodeId, std::shared_ptr<void>> clients;

  ~Run() {
    clients.clear();
    observers.clear();
  }

  void Drop(NodeId id) {
    clients.erase(id);
    observers.erase(id);
    observed.erase(id);
  }

  void Attach(NodeId id, const ErasedClients& hooks) {
    api::ScopedBinding bind(*cluster, id, api::BindingScope::kThisThread);
    observers[id] = std::make_unique<Observer>(&observed[id]);
    if (hooks.make) clients[id] = hooks.make(id);
  }

  // After a line: clients go with their node's process and come with a new one.
  void Reconcile(const FaultStep* step, const ErasedClients& hooks) {
    if (step != nullptr && step->kind == Kind::kRestart) Drop(step->node);
    for (NodeId id : cluster->node_ids()) {
      NodeRunState run = cluster->Node(id).run_state;
      if (run == NodeRunState::kDown) {
        Drop(id);
      } else if (run == NodeRunState::kUp && observers.count(id) == 0) {
        Attach(id, hooks);
      }
    }
    for (auto& [id, o] : observers) o->Pump();
    for (auto& [id, c] : clients) {
      if (hooks.pump && c) hooks.pump(c.get());
    }
  }

  ClusterSnapshot Snapshot(const PartitionCase& test_case, const std::string& line) const {
    ClusterSnapshot s;
    s.test_case = &test_case;
    s.after = line;
    std::vector<NodeId> ids = cluster->node_ids();
    std::sort(ids.begin(), ids.end());
    for (NodeId id : ids) {
      NodeView v = cluster->Node(id);
      NodeSnapshot n;
      n.id = id;
      n.run = v.run_state;
      n.partition = v.partition;
      n.quorate = v.reported && v.quorate;
      n.ring = v.ring;
      n.members = v.members;
      n.info = v.info;
      s.nodes.push_back(std::move(n));
    }
    return s;
  }
};

}  // namespace

std::string CaseResult::Reproduction() const {
  std::ostringstream s;
  s << failure << "\n  after: " << failed_after << "\n";
  s << "--- " << conf_name << " ---\n" << conf_text;
  s << "--- scenario.vqsim (beside " << conf_name << ") ---\n" << scenario;
  s << "--- replay ---\nbazel-bin/quorumsim scenario.vqsim\n";
  s << "--- quorumsim output ---\n" << output;
  return s.str();
}

CaseResult RunPartitionCase(const PartitionCase& test_case, const ErasedClients& hooks,
                            const ErasedInvariant& invariant) {
  CaseResult result;
  result.conf_name = "pbt.conf";
  result.conf_text = test_case.spec.ConfText();
  result.scenario = ToScenario(test_case.schedule, result.conf_name);
  Run run;
  Status st = Cluster::FromConfText(result.conf_text, result.conf_name, ClusterOptions{}, &run.cluster);
  if (!st.ok()) {
    result.failure = "configuration rejected: " + st.message();
    return result;
  }
  std::ostringstream out, err;
  ScriptOptions options;
  options.out = &out;
  options.err = &err;
  ScriptRunner runner(run.cluster.get(), options);
  std::vector<std::string> lines = ScenarioCommands(test_case.schedule);
  // ScenarioCommands starts with `seed` (and `delay`): the steps are the last lines.
  const size_t first_step = lines.size() - test_case.schedule.steps.size();
  for (size_t i = 0; i < lines.size() && result.failure.empty(); ++i) {
    LineResult r = runner.RunLine(lines[i], "scenario.vqsim", static_cast<int>(i + 1));
    result.failed_after = lines[i];
    if (r.code != kScriptOk) {
      result.failure = "the scenario stopped: " + (r.error.ok() ? err.str() : r.error.message());
      break;
    }
    const FaultStep* step = i >= first_step ? &test_case.schedule.steps[i - first_step] : nullptr;
    run.Reconcile(step, hooks);
    std::map<NodeId, void*> raw;
    for (auto& [id, c] : run.clients) raw[id] = c.get();
    try {
      result.failure = invariant(run.Snapshot(test_case, lines[i]), raw, run.observed);
    } catch (const std::exception& e) {
      result.failure = std::string("the invariant threw: ") + e.what();
    }
  }
  result.output = out.str() + err.str();
  return result;
}

int ScaledCaseCount(int base) {
  const char* scale = std::getenv("QUORUMSIM_PBT_SCALE");
  int factor = scale == nullptr ? 1 : std::atoi(scale);
  return base * std::max(1, factor);
}

void CheckPartitionProperty(const GenOptions& options, const ErasedClients& clients,
                            const ErasedInvariant& invariant) {
  const PartitionCase test_case = *GenPartitionCase(options);
  RC_TAG(test_case.spec.votes.size());
  CaseResult result = RunPartitionCase(test_case, clients, invariant);
  if (result.failure.empty()) return;
  if (const char* dir = std::getenv("QUORUMSIM_PBT_REPRO_DIR")) {
    std::ofstream(std::string(dir) + "/" + result.conf_name) << result.conf_text;
    std::ofstream(std::string(dir) + "/scenario.vqsim") << result.scenario;
    std::ofstream(std::string(dir) + "/failure.txt") << result.failure << "\n";
  }
  RC_FAIL(result.Reproduction());
}

}  // namespace quorumsim::testing
