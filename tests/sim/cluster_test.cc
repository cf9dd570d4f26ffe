#include "sim/cluster.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace quorumsim {
namespace {

std::string Conf(int n, const std::string& quorum_extra = "", const std::string& totem = "") {
  std::string s = "totem {\n  version: 2\n" + totem + "}\nnodelist {\n";
  for (int i = 1; i <= n; ++i) s += "  node {\n    nodeid: " + std::to_string(i) + "\n  }\n";
  s += "}\nquorum {\n  provider: corosync_votequorum\n" + quorum_extra + "}\n";
  return s;
}

std::unique_ptr<Cluster> Make(int n, const std::string& q = "", ClusterOptions o = {},
                              const std::string& totem = "") {
  std::unique_ptr<Cluster> c;
  Status st = Cluster::FromConfText(Conf(n, q, totem), "test.conf", o, &c);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return c;
}

std::vector<NodeId> Ids(std::initializer_list<NodeId> l) { return std::vector<NodeId>(l); }

TEST(Cluster, StartsAndSettles) {
  auto c = Make(3);
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_TRUE(c->settled());
  for (NodeId id : {1u, 2u, 3u}) {
    NodeView v = c->Node(id);
    EXPECT_TRUE(v.reported);
    EXPECT_TRUE(v.quorate);
    EXPECT_EQ(v.members, Ids({1, 2, 3}));
    EXPECT_EQ(v.ring.rep, 1u);
    EXPECT_EQ(v.info.total_votes, 3u);
    EXPECT_EQ(v.info.quorum, 2u);
  }
  // Singleton rings at +join, then the merge at +join.
  EXPECT_EQ(c->now_ms(), 100u);
}

TEST(Cluster, CrashDetectionTakesTokenPlusConsensus) {
  auto c = Make(3);
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  uint64_t t0 = c->now_ms();
  RingId before = c->Node(1).ring;
  ASSERT_TRUE(c->Crash(Ids({3})).ok());
  ASSERT_TRUE(c->Settle().ok());
  // token 3000 + 650 * (3 - 2) = 3650; consensus 1.2 * 3650 = 4380.
  EXPECT_EQ(c->now_ms() - t0, 3650u + 4380u);
  NodeView v = c->Node(1);
  EXPECT_EQ(v.members, Ids({1, 2}));
  EXPECT_TRUE(v.quorate);
  EXPECT_GT(v.ring.seq, before.seq);
}

TEST(Cluster, TotemValuesFromConfig) {
  auto c = Make(5, "", {}, "  token: 1000\n  token_coefficient: 100\n  consensus: 2000\n  join: 20\n");
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_EQ(c->now_ms(), 40u);
  uint64_t t0 = c->now_ms();
  ASSERT_TRUE(c->MoveToPartition(Ids({4, 5}), 1).ok());
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_EQ(c->now_ms() - t0, 1000u + 3 * 100u + 2000u);
  t0 = c->now_ms();
  PartitionId p1 = 1;
  ASSERT_TRUE(c->JoinPartitions(0, std::span<const PartitionId>(&p1, 1)).ok());
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_EQ(c->now_ms() - t0, 20u);
  EXPECT_EQ(c->Node(5).members, Ids({1, 2, 3, 4, 5}));
}

TEST(Cluster, RingIdsNeverGoBackAndNameLowestMember) {
  auto c = Make(5);
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  std::map<NodeId, uint64_t> last;
  auto check = [&]() {
    for (NodeId id : c->node_ids()) {
      NodeView v = c->Node(id);
      if (v.run_state == NodeRunState::kDown || !v.reported) continue;
      EXPECT_EQ(v.ring.rep, *std::min_element(v.members.begin(), v.members.end()));
      EXPECT_GE(v.ring.seq, last[id]) << "node " << id;
      last[id] = v.ring.seq;
    }
  };
  check();
  ASSERT_TRUE(c->MoveToPartition(Ids({1, 2}), 1).ok());
  ASSERT_TRUE(c->Settle().ok());
  check();
  EXPECT_EQ(c->Node(3).ring.rep, 3u);
  ASSERT_TRUE(c->MoveToPartition(Ids({2}), 2).ok());
  ASSERT_TRUE(c->Settle().ok());
  check();
  ASSERT_TRUE(c->Crash(Ids({4})).ok());
  ASSERT_TRUE(c->Settle().ok());
  check();
  ASSERT_TRUE(c->Restart(Ids({4})).ok());
  ASSERT_TRUE(c->Settle().ok());
  check();
  std::vector<PartitionId> others = {1, 2};
  ASSERT_TRUE(c->JoinPartitions(0, others).ok());
  ASSERT_TRUE(c->Settle().ok());
  check();
  // A restarted node remembers the highest sequence (as corosync's state file does).
  EXPECT_EQ(c->Node(4).members, Ids({1, 2, 3, 4, 5}));
}

TEST(Cluster, SplitSidesGetTheirOwnRings) {
  auto c = Make(5);
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  ASSERT_TRUE(c->Split({{1, 2, 3}, {4, 5}}).ok());
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_TRUE(c->Node(1).quorate);
  EXPECT_FALSE(c->Node(4).quorate);
  EXPECT_EQ(c->Node(4).members, Ids({4, 5}));
  EXPECT_EQ(c->Node(4).ring.rep, 4u);
  EXPECT_NE(c->Node(1).ring, c->Node(4).ring);
}

// Every member of a ring sees that ring's messages in the same order, its own included.
TEST(Cluster, AgreedOrderIncludingSender) {
  ClusterOptions o;
  o.record_trace = true;
  o.seed = 7;
  auto c = Make(4, "", o);
  c->SetMessageDelay(5, 20);
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_EQ(c->NodeSetExpected(2, 4), CsError::kOk);
  ASSERT_TRUE(c->Settle().ok());
  std::map<NodeId, std::vector<std::string>> seen;
  const std::string ring_marker = "\"ev\":\"ring\"";
  size_t last_ring = 0;
  const auto& lines = c->trace_lines();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(ring_marker) != std::string::npos) last_ring = i;
  }
  bool sender_got_own = false;
  for (size_t i = last_ring; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l.find("\"ev\":\"deliver\"") == std::string::npos) continue;
    size_t p = l.find("\"node\":") + 7;
    NodeId node = static_cast<NodeId>(std::stoul(l.substr(p)));
    std::string body = l.substr(l.find("\"from\""));
    seen[node].push_back(body);
    if (body.find("\"from\":2,") == 0 && node == 2 && body.find("RECONFIGURE") != std::string::npos) {
      sender_got_own = true;
    }
  }
  ASSERT_EQ(seen.size(), 4u);
  for (auto& [node, msgs] : seen) EXPECT_EQ(msgs, seen[1]) << "node " << node;
  EXPECT_FALSE(seen[1].empty());
  EXPECT_TRUE(sender_got_own);
}

std::vector<std::string> RunTrace(uint64_t seed) {
  ClusterOptions o;
  o.record_trace = true;
  o.seed = seed;
  auto c = Make(5, "  last_man_standing: 1\n", o);
  c->SetMessageDelay(1, 30);
  EXPECT_TRUE(c->StartAll().ok());
  EXPECT_TRUE(c->Settle().ok());
  EXPECT_TRUE(c->Split({{1, 2, 3}, {4, 5}}).ok());
  EXPECT_TRUE(c->Settle().ok());
  c->RunFor(11000);
  EXPECT_TRUE(c->Crash(Ids({3})).ok());
  EXPECT_TRUE(c->Settle().ok());
  c->RunFor(11000);
  EXPECT_TRUE(c->Settle().ok());
  return c->trace_lines();
}

TEST(Cluster, SameSeedSameTrace) {
  std::vector<std::string> a = RunTrace(42);
  std::vector<std::string> b = RunTrace(42);
  EXPECT_EQ(a, b);
  EXPECT_GT(a.size(), 100u);
  std::vector<std::string> d = RunTrace(43);
  EXPECT_NE(a, d);  // jitter differs
}

TEST(Cluster, SettleLeavesArmedTimersAlone) {
  auto c = Make(5, "  last_man_standing: 1\n  last_man_standing_window: 10000\n");
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  ASSERT_TRUE(c->Crash(Ids({4, 5})).ok());
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_TRUE(c->Node(1).quorate);
  EXPECT_EQ(c->Node(1).info.node_expected_votes, 5u);  // window still running
  c->RunFor(9000);
  EXPECT_EQ(c->Node(1).info.node_expected_votes, 5u);
  c->RunFor(1000);
  EXPECT_EQ(c->Node(1).info.node_expected_votes, 3u);  // LMS lowered it
}

class RecordingSink : public ClientSink {
 public:
  void OnNodelist(uint64_t ctx, const RingId& ring, std::span<const NodeId> m) override {
    log.push_back("nodelist ctx=" + std::to_string(ctx) + " ring=" + FormatRingId(ring) +
                  " n=" + std::to_string(m.size()));
  }
  void OnQuorum(uint64_t, bool q, std::span<const QuorumNode> n) override {
    log.push_back("quorum q=" + std::to_string(q) + " n=" + std::to_string(n.size()));
  }
  void OnExpectedVotes(uint64_t, uint32_t e) override { log.push_back("expected " + std::to_string(e)); }
  void OnQdeviceRegisterReply(CsError r) override { log.push_back(std::string("reg ") + CsErrorName(r)); }
  void OnDisconnected() override { log.push_back("disconnected"); }
  std::vector<std::string> log;
};

TEST(Cluster, LibraryConnections) {
  auto c = Make(3);
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  RecordingSink sink;
  ConnId conn = 0;
  ASSERT_EQ(c->Connect(1, &sink, &conn), CsError::kOk);
  EXPECT_EQ(c->ConnectionNode(conn), 1u);
  EXPECT_EQ(c->Call(conn, "trackstart",
                    [&](NodeServices& s) {
                      return s.votequorum().TrackStart(conn, 77, track_flags::kChanges);
                    }),
            CsError::kOk);
  ASSERT_GE(sink.log.size(), 2u);
  EXPECT_EQ(sink.log[0].rfind("nodelist ctx=77", 0), 0u) << sink.log[0];
  sink.log.clear();
  // Effects of a request are visible when it returns.
  EXPECT_EQ(c->Call(conn, "setexpected",
                    [](NodeServices& s) { return s.votequorum().SetExpected(5); }),
            CsError::kOk);
  EXPECT_EQ(c->Node(2).info.node_expected_votes, 5u);
  ASSERT_FALSE(sink.log.empty());
  EXPECT_EQ(sink.log[0], "expected 5");
  std::optional<CsError> reg;
  EXPECT_EQ(c->Call(conn, "qdevice_register",
                    [&](NodeServices& s) {
                      reg = s.votequorum().QdeviceRegister(conn, "dev");
                      return CsError::kOk;
                    }),
            CsError::kOk);
  EXPECT_FALSE(reg.has_value());  // the reply comes back through the ring
  EXPECT_EQ(sink.log.back(), "reg CS_OK");
  VoteInfo info;
  auto getinfo = [&info](NodeServices& s) { return s.votequorum().GetInfo(0, &info); };
  EXPECT_EQ(c->Call(conn, "getinfo", getinfo), CsError::kOk);
  EXPECT_EQ(info.node_id, 1u);
  EXPECT_EQ(info.qdevice_name, "dev");
  // Down node: the daemon is absent.
  ASSERT_TRUE(c->Crash(Ids({1})).ok());
  EXPECT_EQ(sink.log.back(), "disconnected");
  EXPECT_EQ(c->Call(conn, "getinfo", getinfo), CsError::kLibrary);
  ConnId other = 0;
  EXPECT_EQ(c->Connect(1, &sink, &other), CsError::kLibrary);
  EXPECT_EQ(c->NodeSetExpected(1, 3), CsError::kLibrary);
  EXPECT_EQ(c->Call(12345, "getinfo", getinfo), CsError::kBadHandle);
  c->Disconnect(conn);
  EXPECT_FALSE(c->ConnectionNode(conn).has_value());
}

TEST(Cluster, PausedNodeIsLostThenRejoins) {
  auto c = Make(3);
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  uint64_t t0 = c->now_ms();
  ASSERT_TRUE(c->Pause(Ids({3})).ok());
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_EQ(c->now_ms() - t0, 3650u + 4380u);
  EXPECT_EQ(c->Node(1).members, Ids({1, 2}));
  EXPECT_EQ(c->Node(3).members, Ids({1, 2, 3}));  // frozen
  ASSERT_TRUE(c->Resume(Ids({3})).ok());
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_EQ(c->Node(3).members, Ids({1, 2, 3}));
  EXPECT_EQ(c->Node(1).members, Ids({1, 2, 3}));
  EXPECT_GT(c->Node(3).ring.seq, c->Node(3).ring.seq - 1);
}

TEST(Cluster, LeaveIsFastAndClean) {
  auto c = Make(3, "  allow_downscale: 1\n");
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  uint64_t t0 = c->now_ms();
  ASSERT_TRUE(c->Leave(Ids({3})).ok());
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_EQ(c->now_ms() - t0, 50u);
  EXPECT_FALSE(c->IsUp(3));
  EXPECT_EQ(c->Node(1).members, Ids({1, 2}));
  EXPECT_TRUE(c->Node(1).quorate);
}

TEST(Cluster, Limits) {
  VotequorumConfig vq;
  for (NodeId i = 1; i <= 384; ++i) vq.nodelist.push_back({i, std::nullopt});
  std::unique_ptr<Cluster> c;
  ASSERT_TRUE(Cluster::FromVotequorumConfig(vq, {}, TotemConfig{}, {}, &c).ok());
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_TRUE(c->Node(384).quorate);
  EXPECT_EQ(c->Node(200).members.size(), 384u);
  vq.nodelist.push_back({385, std::nullopt});
  std::unique_ptr<Cluster> d;
  Status st = Cluster::FromVotequorumConfig(vq, {}, TotemConfig{}, {}, &d);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("384"), std::string::npos);
}

TEST(Cluster, BadRequestsAreErrors) {
  auto c = Make(3);
  EXPECT_FALSE(c->Up(Ids({9})).ok());
  ASSERT_TRUE(c->StartAll().ok());
  EXPECT_FALSE(c->Up(Ids({1})).ok());
  EXPECT_FALSE(c->Resume(Ids({1})).ok());
  EXPECT_FALSE(c->Crash(Ids({0})).ok());
}

TEST(Cluster, QdeviceStallsSyncUntilPollOrTimeout) {
  auto c = Make(3, "  device {\n    model: net\n    votes: 1\n  }\n");
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  ASSERT_TRUE(c->QdeviceOn(Ids({1, 2, 3})).ok());
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_EQ(c->Node(1).info.total_votes, 4u);
  EXPECT_TRUE(c->Node(1).qdevice_registered);
  // A polling device answers the new ring at once: the split costs only the totem time.
  uint64_t t0 = c->now_ms();
  ASSERT_TRUE(c->MoveToPartition(Ids({3}), 1).ok());
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_EQ(c->now_ms() - t0, 3650u + 4380u);
  EXPECT_TRUE(c->Node(1).quorate);
  EXPECT_TRUE(c->Node(3).quorate == false || c->Node(3).info.total_votes == 2u);
  // A silent but alive device makes the sync wait for sync_timeout (30 s).
  ASSERT_TRUE(c->QdeviceStop(Ids({1})).ok());
  t0 = c->now_ms();
  PartitionId p1 = 1;
  ASSERT_TRUE(c->JoinPartitions(0, std::span<const PartitionId>(&p1, 1)).ok());
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_EQ(c->now_ms() - t0, 50u + 30000u);
}

}  // namespace
}  // namespace quorumsim
