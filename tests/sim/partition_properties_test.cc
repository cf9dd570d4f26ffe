// Property-based partition testing: random fault schedules (sim/testing/fault_schedule.h)
// run on default-configured 3-, 4- and 5-node clusters, invariants checked after every
// settled command. A failure prints the shrunk schedule as a scenario file and the
// configuration it ran on; save both and replay with `bazel-bin/quorumsim -c CONF FILE`.
//
// Why the invariants must hold here: the clusters use default quorum options (no two_node,
// wait_for_all, last_man_standing, auto_tie_breaker, allow_downscale, quorum device, and no
// setexpected/setvotes calls), and one vote per node. Then (spec §3) every node's expected votes
// are the nodelist sum N and are never lowered (only setexpected, LMS, a LEAVING announcement
// with allow_downscale, or a quorate peer's lower value could), so quorum >= N/2+1 everywhere
// and two disjoint groups cannot both hold it. LMS (expected lowered to the survivors) and ATB
// (a tie broken by node id, plus corosync's node-count/vote comparison quirk) are exactly the
// options that can make two sides quorate, so they are not used.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/cluster.h"
#include "sim/testing/fault_schedule.h"

namespace quorumsim {
namespace {

using testing::FaultSchedule;
using testing::GenFaultSchedule;
using testing::RunSchedule;
using testing::ScheduleRun;

constexpr size_t kMaxSteps = 12;
constexpr uint32_t kQuorateFlag = 2;  // VOTEQUORUM_INFO_QUORATE

std::string ConfName(size_t nodes) {
  static const char* const kNames[] = {"", "one", "two", "three", "four", "five"};
  return std::string(kNames[nodes]) + "-node.conf";
}

// The same text as scenarios/{three,four,five}-node.conf, so a printed schedule also replays
// with `-c scenarios/NAME`.
std::string ConfText(size_t nodes) {
  std::string s = "totem {\n    version: 2\n    cluster_name: quorumsim\n}\n\n"
                  "logging {\n    to_stderr: no\n    to_syslog: no\n    to_logfile: no\n}\n\n"
                  "quorum {\n    provider: corosync_votequorum\n}\n\nnodelist {\n";
  for (size_t i = 1; i <= nodes; ++i) {
    s += "    node {\n        ring0_addr: 192.0.2." + std::to_string(i) +
         "\n        nodeid: " + std::to_string(i) + "\n    }\n";
  }
  return s + "}\n";
}

std::vector<NodeId> Ids(size_t nodes) {
  std::vector<NodeId> ids;
  for (size_t i = 1; i <= nodes; ++i) ids.push_back(static_cast<NodeId>(i));
  return ids;
}

std::string Join(const std::vector<NodeId>& ids) {
  std::string s;
  for (NodeId id : ids) s += (s.empty() ? "" : ",") + std::to_string(id);
  return s;
}

// Running (not paused) nodes: a paused node's last notification is stale by design.
std::vector<NodeView> Running(const Cluster& c) {
  std::vector<NodeView> v;
  for (NodeId id : c.node_ids()) {
    NodeView n = c.Node(id);
    if (n.run_state == NodeRunState::kUp) v.push_back(std::move(n));
  }
  return v;
}

bool Quorate(const NodeView& v) { return (v.reported && v.quorate) || (v.info.flags & kQuorateFlag); }

// Safety: quorate nodes in different network partitions, or with disjoint member sets, mean
// two disjoint partitions are both quorate.
std::string CheckSafety(const Cluster& c, std::string_view) {
  std::vector<NodeView> q;
  for (NodeView& v : Running(c)) {
    if (Quorate(v)) q.push_back(std::move(v));
  }
  for (size_t i = 0; i < q.size(); ++i) {
    for (size_t j = i + 1; j < q.size(); ++j) {
      std::set<NodeId> a(q[i].members.begin(), q[i].members.end());
      bool meet = false;
      for (NodeId m : q[j].members) meet = meet || a.count(m) > 0;
      if (q[i].partition != q[j].partition || !meet) {
        return "nodes " + std::to_string(q[i].node_id) + " (partition " +
               std::to_string(q[i].partition) + ", members " + Join(q[i].members) + ") and " +
               std::to_string(q[j].node_id) + " (partition " + std::to_string(q[j].partition) +
               ", members " + Join(q[j].members) + ") are both quorate";
      }
    }
  }
  return "";
}

// Agreement: every running node has been notified; the running nodes of one network
// partition share one ring id and one member set, which is exactly those nodes.
std::string CheckAgreement(const Cluster& c, std::string_view) {
  std::map<PartitionId, std::vector<NodeView>> by_partition;
  for (NodeView& v : Running(c)) {
    if (!v.reported) return "node " + std::to_string(v.node_id) + " never got a notification";
    if (v.sync_in_progress) return "node " + std::to_string(v.node_id) + " still syncing";
    by_partition[v.partition].push_back(std::move(v));
  }
  for (const auto& [p, nodes] : by_partition) {
    std::vector<NodeId> expected;
    for (const NodeView& v : nodes) expected.push_back(v.node_id);
    std::sort(expected.begin(), expected.end());
    for (const NodeView& v : nodes) {
      std::vector<NodeId> members = v.members;
      std::sort(members.begin(), members.end());
      if (!(v.ring == nodes[0].ring) || members != expected) {
        return "partition " + std::to_string(p) + ": node " + std::to_string(v.node_id) +
               " reports members " + Join(v.members) + ", its running nodes are " +
               Join(expected) + (v.ring == nodes[0].ring ? "" : " (and ring ids differ)");
      }
    }
  }
  return "";
}

// Quorum arithmetic (spec §3.2, §3.4 with wait_for_all, ATB and qdevice off).
std::string CheckArithmetic(const Cluster& c, std::string_view) {
  for (const NodeView& v : Running(c)) {
    const VoteInfo& i = v.info;
    bool flag = (i.flags & kQuorateFlag) != 0;
    std::string who = "node " + std::to_string(v.node_id) + ": quorum " + std::to_string(i.quorum) +
                      ", highest_expected " + std::to_string(i.highest_expected) + ", total_votes " +
                      std::to_string(i.total_votes) + ", quorate flag " + std::to_string(flag);
    if (i.quorum < i.highest_expected / 2 + 1) return who + ": quorum below highest_expected/2+1";
    if (flag != (i.total_votes >= i.quorum)) return who + ": quorate != (total_votes >= quorum)";
    if (v.reported && v.quorate != flag) return who + ": last notification says otherwise";
  }
  return "";
}

std::string Report(size_t nodes, const FaultSchedule& s, const ScheduleRun& run,
                   const std::string& what) {
  return what + "\n--- " + ConfName(nodes) + " (or scenarios/" + ConfName(nodes) + ") ---\n" +
         ConfText(nodes) + "--- scenario (save as FILE; bazel-bin/quorumsim -c " + ConfName(nodes) +
         " FILE) ---\n" + testing::ToScenario(s, ConfName(nodes), what) +
         "--- quorumsim output ---\n" + run.output + run.errors;
}

void CheckProperty(size_t nodes, const testing::LineCheck& check, const char* name) {
  const FaultSchedule s = *GenFaultSchedule(Ids(nodes), kMaxSteps);
  RC_PRE(testing::IsValid(s, Ids(nodes)));
  ScheduleRun run;
  Status st = RunSchedule(ConfText(nodes), ConfName(nodes), s, check, &run);
  RC_ASSERT(st.ok());
  RC_TAG(s.steps.size());
  if (run.exit_code != 0) {
    RC_FAIL(Report(nodes, s, run, "schedule rejected at '" + run.failed_line + "'"));
  }
  if (!run.failure.empty()) {
    RC_FAIL(Report(nodes, s, run,
                   std::string(name) + " violated after '" + run.failed_line + "': " + run.failure));
  }
}

void CheckDeterminism(size_t nodes) {
  const FaultSchedule s = *GenFaultSchedule(Ids(nodes), kMaxSteps);
  ScheduleRun a, b;
  RC_ASSERT(RunSchedule(ConfText(nodes), ConfName(nodes), s, nullptr, &a).ok());
  RC_ASSERT(RunSchedule(ConfText(nodes), ConfName(nodes), s, nullptr, &b).ok());
  RC_ASSERT(!a.trace.empty());
  if (a.trace != b.trace || a.output != b.output) {
    RC_FAIL(Report(nodes, s, a, "two runs of the same schedule differ (trace or output)"));
  }
}

#define PARTITION_PROPS(N, Name)                                                       \
  RC_GTEST_PROP(PartitionProperties, Safety##Name, ()) {                               \
    CheckProperty(N, CheckSafety, "safety");                                           \
  }                                                                                    \
  RC_GTEST_PROP(PartitionProperties, Agreement##Name, ()) {                            \
    CheckProperty(N, CheckAgreement, "agreement");                                     \
  }                                                                                    \
  RC_GTEST_PROP(PartitionProperties, QuorumArithmetic##Name, ()) {                     \
    CheckProperty(N, CheckArithmetic, "quorum arithmetic");                            \
  }                                                                                    \
  RC_GTEST_PROP(PartitionProperties, Determinism##Name, ()) { CheckDeterminism(N); }

PARTITION_PROPS(3, ThreeNodes)
PARTITION_PROPS(4, FourNodes)
PARTITION_PROPS(5, FiveNodes)

// The printed scenario is the script that runs: a fixed schedule renders as expected.
TEST(FaultSchedule, RendersScenario) {
  FaultSchedule s;
  s.seed = 7;
  s.delay_ms = 5;
  s.jitter_ms = 10;
  using K = testing::FaultStep::Kind;
  s.steps = {{K::kSplit, {{1, 2}, {3}}, 0, 0}, {K::kPause, {}, 1, 0}, {K::kWait, {}, 0, 1000},
             {K::kResume, {}, 1, 0},          {K::kJoinAll, {}, 0, 0}};
  EXPECT_TRUE(testing::IsValid(s, Ids(3)));
  EXPECT_EQ(testing::ToScenario(s, "three-node.conf"),
            "# config: three-node.conf\n#\n"
            "# Fault schedule of 5 step(s); every command settles the cluster before the next.\n"
            "# Replay: bazel-bin/quorumsim -c three-node.conf THIS_FILE\n"
            "seed 7\ndelay 5ms 10ms\nsplit 0:1,2 1:3\npause 1\nwait 1000ms\nresume 1\njoin 0 1\n");
  ScheduleRun run;
  ASSERT_TRUE(RunSchedule(ConfText(3), ConfName(3), s, CheckAgreement, &run).ok());
  EXPECT_EQ(run.exit_code, 0) << run.errors;
  EXPECT_EQ(run.failure, "");
  s.steps.push_back({K::kResume, {}, 1, 0});  // node 1 is no longer paused
  EXPECT_FALSE(testing::IsValid(s, Ids(3)));
}

}  // namespace
}  // namespace quorumsim
