// The property-testing harness (api/testing/partition_test.h): it finds the README's
// election bug and shrinks it, passes the fixed election, keeps quorumsim's own client
// invariants on every option, and owns clients and cluster through failures and restarts.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "api/testing/partition_test.h"
#include "sim/script.h"
#include "tests/api/election.h"

namespace quorumsim::testing {
namespace {

// The README example, verbatim apart from the variant switch: at most one primary among
// the running nodes.
PartitionTest<Election> ElectionTest(bool fixed) {
  PartitionTest<Election> t;
  t.options.options = false;    // plain majority clusters
  t.options.api_calls = false;  // no setexpected/setvotes
  t.make_client = [fixed](NodeId id) { return std::make_unique<Election>(id, fixed); };
  t.pump = [](Election& e) { e.Poll(); };
  t.invariant = [](const ClusterSnapshot& s, const Clients<Election>& clients) -> std::string {
    int primaries = 0;
    for (const NodeSnapshot& n : s.nodes) {
      auto it = clients.find(n.id);
      if (n.run == NodeRunState::kUp && it != clients.end() && it->second->primary()) ++primaries;
    }
    return primaries <= 1 ? "" : std::to_string(primaries) + " primaries";
  };
  return t;
}

RC_GTEST_PROP(Election, FixedElectionHasAtMostOnePrimary, ()) { ElectionTest(true).Check(); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Election, BuggyElectionIsCaughtWithASmallReplayableCase) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string dir = std::string(tmp == nullptr ? "/tmp" : tmp) + "/repro";
  ASSERT_EQ(system(("mkdir -p " + dir).c_str()), 0);
  setenv("QUORUMSIM_PBT_REPRO_DIR", dir.c_str(), 1);
  bool passed = rc::check("buggy election", [] { ElectionTest(false).Check(); });
  unsetenv("QUORUMSIM_PBT_REPRO_DIR");
  EXPECT_FALSE(passed);
  // The last files written are the shrunk case's.
  std::string scenario = ReadFile(dir + "/scenario.vqsim");
  std::string failure = ReadFile(dir + "/failure.txt");
  EXPECT_EQ(failure, "2 primaries\n");
  int steps = 0;
  std::istringstream lines(scenario);
  for (std::string l; std::getline(lines, l);) {
    if (!l.empty() && l[0] != '#' && l.rfind("seed", 0) != 0) ++steps;
  }
  EXPECT_EQ(steps, 1) << scenario;  // one split
  EXPECT_NE(scenario.find("split"), std::string::npos) << scenario;
  EXPECT_EQ(scenario.find("delay"), std::string::npos) << scenario;
  // It replays with the quorumsim interpreter on the printed configuration.
  std::unique_ptr<Cluster> c;
  ASSERT_TRUE(Cluster::FromConfFile(dir + "/pbt.conf", {}, &c).ok());
  std::ostringstream out, err;
  ScriptOptions o;
  o.out = &out;
  o.err = &err;
  ScriptRunner r(c.get(), o);
  std::istringstream in(scenario);
  EXPECT_EQ(r.Run(in, "scenario.vqsim"), 0) << err.str();
}

// quorumsim's own client-level invariants, on every option and API call.
RC_GTEST_PROP(Harness, CallbackOrderAndRingIdsOnEveryOption, ()) {
  CheckPartitionProperty(GenOptions{}, ErasedClients{},
                         [](const ClusterSnapshot& s, const std::map<NodeId, void*>&,
                            const std::map<NodeId, Observed>& observed) {
                           std::string m = NodelistBeforeQuorum(s, observed);
                           return m.empty() ? RingIdsNeverGoBack(s, observed) : m;
                         });
}

// Majority clusters without options: no split-brain, whatever the faults.
RC_GTEST_PROP(Harness, NoSplitBrainOnMajorityClusters, ()) {
  GenOptions o;
  o.options = false;
  o.api_calls = false;
  CheckPartitionProperty(o, ErasedClients{}, [](const ClusterSnapshot& s, const std::map<NodeId, void*>&,
                                                const std::map<NodeId, Observed>&) { return NoSplitBrain(s); });
}

PartitionCase FixedCase(std::vector<FaultStep> steps) {
  PartitionCase c;
  c.spec.votes = {1, 1, 1};
  c.schedule.steps = std::move(steps);
  return c;
}

TEST(Harness, FactoryRunsAgainAfterARestartAndClientsGoFirst) {
  using K = FaultStep::Kind;
  FaultStep restart;
  restart.kind = K::kRestart;
  restart.node = 2;
  FaultStep crash;
  crash.kind = K::kCrash;
  crash.node = 3;
  std::map<NodeId, int> made;
  int alive = 0;
  struct Counted {
    explicit Counted(int* a) : alive(a) { ++*alive; }
    ~Counted() { --*alive; }
    int* alive;
  };
  ErasedClients hooks;
  hooks.make = [&](NodeId id) -> std::shared_ptr<void> {
    ++made[id];
    return std::make_shared<Counted>(&alive);
  };
  CaseResult r = RunPartitionCase(FixedCase({restart, crash}), hooks,
                                  [&](const ClusterSnapshot& s, const std::map<NodeId, void*>& clients,
                                      const std::map<NodeId, Observed>&) -> std::string {
                                    if (s.after == "crash 3" && clients.count(3) != 0) return "node 3 kept its client";
                                    return "";
                                  });
  EXPECT_EQ(r.failure, "");
  EXPECT_EQ(made[1], 1);
  EXPECT_EQ(made[2], 2);
  EXPECT_EQ(made[3], 1);
  EXPECT_EQ(alive, 0);  // torn down with the run
}

TEST(Election, BuggyElectionFailsOnASplit) {
  FaultStep split;
  split.kind = FaultStep::Kind::kSplit;
  split.groups = {{1, 2}, {3}};
  PartitionTest<Election> t = ElectionTest(false);
  ErasedClients hooks;
  hooks.make = [](NodeId id) -> std::shared_ptr<void> { return std::make_shared<Election>(id, false); };
  hooks.pump = [](void* e) { static_cast<Election*>(e)->Poll(); };
  CaseResult r = RunPartitionCase(FixedCase({split}), hooks,
                                  [&t](const ClusterSnapshot& s, const std::map<NodeId, void*>& raw,
                                       const std::map<NodeId, Observed>&) {
                                    Clients<Election> typed;
                                    for (const auto& [id, c] : raw) typed[id] = static_cast<Election*>(c);
                                    return t.invariant(s, typed);
                                  });
  EXPECT_EQ(r.failure, "2 primaries");
  EXPECT_EQ(r.failed_after, "split 0:1,2 1:3");
}

TEST(Harness, AThrowingInvariantIsAFailureAndEverythingIsTornDown) {
  int alive = 0;
  ErasedClients hooks;
  hooks.make = [&](NodeId) -> std::shared_ptr<void> {
    ++alive;
    return std::shared_ptr<void>(nullptr, [&](void*) { --alive; });
  };
  FaultStep wait;
  wait.kind = FaultStep::Kind::kWait;
  wait.wait_ms = 100;
  CaseResult r = RunPartitionCase(FixedCase({wait}), hooks,
                                  [](const ClusterSnapshot&, const std::map<NodeId, void*>&,
                                     const std::map<NodeId, Observed>&) -> std::string {
                                    throw std::runtime_error("boom");
                                  });
  EXPECT_EQ(r.failure, "the invariant threw: boom");
  EXPECT_EQ(alive, 0);
  EXPECT_NE(r.Reproduction().find("# config: pbt.conf"), std::string::npos);
  EXPECT_NE(r.Reproduction().find("bazel-bin/quorumsim scenario.vqsim"), std::string::npos);
}

}  // namespace
}  // namespace quorumsim::testing
