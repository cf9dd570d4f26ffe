// Property-based partition testing of your own cluster component with RapidCheck.
//
// You give a factory that builds your component for one node (it is called inside a
// binding to that node, so its votequorum_initialize talks to it) and an invariant. The
// harness generates a configuration and a fault schedule, owns the cluster and every
// client, calls your factory for each node that starts (again after a restart), pumps
// each client after every settled step, checks the invariant, and tears everything down
// in the right order, also when a check fails or throws. A failing case is shrunk (fewer
// nodes, fewer and simpler steps, default options) and printed as a self-contained
// reproduction: the corosync.conf, a scenario file with a `# config:` line, and the one
// command that replays it.
//
//   struct Election { explicit Election(NodeId); void Poll(); bool primary() const; ... };
//
//   RC_GTEST_PROP(Election, AtMostOnePrimary, ()) {
//     quorumsim::testing::PartitionTest<Election> t;
//     t.make_client = [](NodeId id) { return std::make_unique<Election>(id); };
//     t.pump = [](Election& e) { e.Poll(); };
//     t.invariant = [](const ClusterSnapshot&, const Clients<Election>& clients) {
//       int primaries = 0;
//       for (auto& [id, e] : clients) primaries += e->primary();
//       return primaries <= 1 ? "" : "two primaries";
//     };
//     t.Check();
//   }
//
// Environment knobs: QUORUMSIM_PBT_REPRO_DIR=DIR also writes the reproduction's two
// files there; QUORUMSIM_PBT_SCALE=100 multiplies the case count (a nightly campaign);
// under `bazel test --test_sharding_strategy=explicit`, each shard (TEST_SHARD_INDEX of
// TEST_TOTAL_SHARDS) runs its own slice of the seed space.
#ifndef QUORUMSIM_API_TESTING_PARTITION_TEST_H_
#define QUORUMSIM_API_TESTING_PARTITION_TEST_H_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "engine/types.h"
#include "sim/cluster.h"
#include "sim/testing/fault_schedule.h"

namespace quorumsim::testing {

// A configuration a case runs on, rendered as corosync.conf by ConfText().
struct ClusterSpec {
  std::vector<uint32_t> votes{1, 1, 1};  // node i+1 has votes[i]
  bool two_node = false;                  // only with exactly two nodes
  bool wait_for_all = false;
  bool last_man_standing = false;
  uint32_t last_man_standing_window = 10000;
  bool auto_tie_breaker = false;
  bool allow_downscale = false;
  uint32_t qdevice_votes = 0;  // 0: no quorum device configured
  uint32_t token = 3000;

  std::vector<NodeId> node_ids() const;
  std::string ConfText() const;
  // The options under which votequorum lets two disjoint partitions be quorate by
  // design: two_node (each side of a 1|1 split keeps quorum; fencing decides) and a
  // quorum device (with master_wins the device's side wins; fencing decides). Empty
  // when none applies.
  std::string SplitBrainPermittedBy() const;
  bool operator==(const ClusterSpec&) const = default;
};

// One generated case.
struct PartitionCase {
  ClusterSpec spec;
  FaultSchedule schedule;
  bool operator==(const PartitionCase&) const = default;
};

struct GenOptions {
  size_t max_nodes = 5;
  size_t max_steps = 20;
  bool options = true;   // quorum options (two_node, wait_for_all, LMS, ATB, downscale, device)
  bool api_calls = true; // setexpected / setvotes steps
};

// Configurations: 2..max_nodes nodes, 1-3 votes each, every quorum option in legal
// combinations, totem token 1000-5000. Shrinks towards fewer nodes, one vote each and
// default options.
rc::Gen<ClusterSpec> GenClusterSpec(const GenOptions& options);
// A configuration and a valid schedule for it: k-way splits, joins, crashes, restarts,
// pauses, clean leaves, device loss and return, setexpected/setvotes, waits that cross
// the last_man_standing window and the device timeout. Shrinks towards fewer nodes (the
// schedule follows), fewer steps, simpler steps (fewer partitions, fewer nodes moved,
// shorter waits) and no message delay.
rc::Gen<PartitionCase> GenPartitionCase(const GenOptions& options);

// RapidCheck's counterexample printing: the configuration and the scenario.
void showValue(const ClusterSpec& spec, std::ostream& os);
void showValue(const PartitionCase& test_case, std::ostream& os);

// One node as an invariant sees it after a settled step.
struct NodeSnapshot {
  NodeId id = 0;
  NodeRunState run = NodeRunState::kDown;
  PartitionId partition = 0;
  bool quorate = false;          // its last quorum verdict
  RingId ring;                   // of that verdict
  std::vector<NodeId> members;   // of that verdict
  VoteInfo info;                 // votequorum_getinfo(0) on it
};

struct ClusterSnapshot {
  const PartitionCase* test_case = nullptr;
  std::string after;  // the scenario line that just ran
  std::vector<NodeSnapshot> nodes;  // every configured node, ascending id
};

// What the harness's own observer client on one node received through votequorum
// (tracking with CS_TRACK_CURRENT | CS_TRACK_CHANGES), for the ready-made invariants.
struct Observed {
  struct Callback {
    bool nodelist = false;  // else a quorum callback
    RingId ring;            // nodelist only
    bool quorate = false;   // quorum only
    std::vector<NodeId> members;  // nodelist: the ring; quorum: nodes in state MEMBER
  };
  std::vector<Callback> callbacks;  // since this incarnation of the node started
};

// Ready-made invariants; each returns "" when it holds.
// No two disjoint quorate partitions, unless ClusterSpec::SplitBrainPermittedBy says the
// configuration allows it.
std::string NoSplitBrain(const ClusterSnapshot& snapshot);
// Each client saw a nodelist callback before its first quorum callback, and every quorum
// callback's members (state MEMBER) are in the latest nodelist callback's ring.
std::string NodelistBeforeQuorum(const ClusterSnapshot& snapshot, const std::map<NodeId, Observed>& observed);
// Ring ids a client receives never go backwards.
std::string RingIdsNeverGoBack(const ClusterSnapshot& snapshot, const std::map<NodeId, Observed>& observed);

// The type-erased core of PartitionTest.
struct ErasedClients {
  std::function<std::shared_ptr<void>(NodeId)> make;  // called inside a binding to the node
  std::function<void(void*)> pump;
};
using ErasedInvariant = std::function<std::string(const ClusterSnapshot&, const std::map<NodeId, void*>&,
                                                  const std::map<NodeId, Observed>&)>;

struct CaseResult {
  std::string failure;  // "" when every check held
  std::string failed_after;
  std::string conf_name;
  std::string conf_text;
  std::string scenario;  // with its `# config:` line
  std::string output;    // quorumsim's status output and errors for the scenario
  // The reproduction: both files, the seed and the replay command.
  std::string Reproduction() const;
};

// Runs one case: builds the cluster, starts it as `quorumsim` does, attaches clients and
// observers, and after each scenario line pumps them and checks `invariant`. Teardown
// (clients first, then observers, then the cluster) happens on every path.
CaseResult RunPartitionCase(const PartitionCase& test_case, const ErasedClients& clients,
                            const ErasedInvariant& invariant);

// Inside a RapidCheck property: generates a case (honouring sharding and the scale knob),
// runs it and fails with the reproduction (also written to QUORUMSIM_PBT_REPRO_DIR).
void CheckPartitionProperty(const GenOptions& options, const ErasedClients& clients,
                            const ErasedInvariant& invariant);

// How many cases a property runs: `base` times QUORUMSIM_PBT_SCALE (default 1).
int ScaledCaseCount(int base);

template <typename Client>
using Clients = std::map<NodeId, Client*>;

template <typename Client>
struct PartitionTest {
  GenOptions options;
  std::function<std::unique_ptr<Client>(NodeId)> make_client;
  std::function<void(Client&)> pump;  // e.g. its dispatch; may be empty
  // "" when it holds. Runs after every settled step with every live client.
  std::function<std::string(const ClusterSnapshot&, const Clients<Client>&)> invariant;
  // Also check the ready-made ones (NoSplitBrain, NodelistBeforeQuorum, RingIdsNeverGoBack).
  bool builtin_invariants = true;

  void Check() const {
    ErasedClients erased;
    auto make = make_client;
    erased.make = [make](NodeId id) -> std::shared_ptr<void> { return std::shared_ptr<Client>(make(id)); };
    auto p = pump;
    erased.pump = [p](void* c) {
      if (p) p(*static_cast<Client*>(c));
    };
    auto inv = invariant;
    bool builtin = builtin_invariants;
    CheckPartitionProperty(options, erased,
                           [inv, builtin](const ClusterSnapshot& s, const std::map<NodeId, void*>& raw,
                                          const std::map<NodeId, Observed>& observed) -> std::string {
                             if (builtin) {
                               for (const std::string& m : {NoSplitBrain(s), NodelistBeforeQuorum(s, observed),
                                                            RingIdsNeverGoBack(s, observed)}) {
                                 if (!m.empty()) return m;
                               }
                             }
                             if (!inv) return "";
                             Clients<Client> typed;
                             for (const auto& [id, c] : raw) typed[id] = static_cast<Client*>(c);
                             return inv(s, typed);
                           });
  }
};

}  // namespace quorumsim::testing

#endif  // QUORUMSIM_API_TESTING_PARTITION_TEST_H_
