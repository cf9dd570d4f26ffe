// One test per configuration option (spec §4): what each key changes, observed through
// getinfo, the timers the engine arms and the store it reads.
#include <gtest/gtest.h>

#include "engine/engine.h"
#include "engine/memory_ev_store.h"
#include "tests/engine/test_util.h"

namespace quorumsim::testing {
namespace {

bool Has(const std::vector<std::string>& events, const std::string& e) {
  return std::find(events.begin(), events.end(), e) != events.end();
}

TEST(ConfigOption, NodelistQuorumVotes) {
  RingDriver d;
  StartCluster(d, NodelistVotes({{1, 4}, {2, 1}}), {1, 2});
  EXPECT_EQ(d.Info(1).node_votes, 4u);
  EXPECT_EQ(d.Info(2).node_votes, 1u);
  EXPECT_EQ(State(d, 1), "Q 3/5/5/5 [Quorate]");
}

TEST(ConfigOption, QuorumVotesWithoutNodelistEntry) {
  VotequorumConfig c;
  c.expected_votes = 5;
  c.votes = 3;
  RingDriver d;
  d.Configure(1, c);
  ASSERT_TRUE(d.Start(1).ok());
  EXPECT_EQ(d.Info(1).node_votes, 3u);
  EXPECT_EQ(State(d, 1), "Q 3/3/5/5 [Quorate]");
}

TEST(ConfigOption, QuorumVotesIgnoredWithNodelistEntry) {
  VotequorumConfig c = NodelistN(3);
  c.votes = 7;
  RingDriver d;
  d.Configure(1, c);
  ASSERT_TRUE(d.Start(1).ok());
  EXPECT_EQ(d.Info(1).node_votes, 1u);
}

TEST(ConfigOption, ExpectedVotes) {
  VotequorumConfig c = NodelistN(2);
  c.expected_votes = 7;
  RingDriver d;
  d.Configure(1, c);
  ASSERT_TRUE(d.Start(1).ok());
  EXPECT_EQ(State(d, 1), "- 4/1/7/7 []");
}

TEST(ConfigOption, TwoNodeImpliesWaitForAll) {
  VotequorumConfig c = NodelistN(2);
  c.two_node = 1;
  RingDriver d;
  d.Configure(1, c);
  ASSERT_TRUE(d.Start(1).ok());
  EXPECT_EQ(d.Info(1).flags, info_flags::kTwoNode | info_flags::kWaitForAll);
  EXPECT_TRUE(d.engine(1).wait_for_all_status());
}

TEST(ConfigOption, WaitForAllSetsTheLatchAndFlag) {
  VotequorumConfig c = NodelistN(1);
  c.wait_for_all = 1;
  RingDriver d;
  d.Configure(1, c);
  ASSERT_TRUE(d.Start(1).ok());
  // One node, one expected vote: total == expected releases the latch at once.
  EXPECT_EQ(State(d, 1), "Q 1/1/1/1 [Quorate WaitForAll]");
  EXPECT_FALSE(d.engine(1).wait_for_all_status());
}

TEST(ConfigOption, LastManStandingWindow) {
  VotequorumConfig c = NodelistN(4);
  c.last_man_standing = 1;
  c.last_man_standing_window = 2000;
  RingDriver d;
  StartCluster(d, c, {1, 2, 3, 4});
  d.Crash({4});
  d.AdvanceTo(1999);
  EXPECT_EQ(State(d, 1), "Q 3/3/4/4 [Quorate LastManStanding]");
  d.AdvanceTo(2000);
  EXPECT_EQ(State(d, 1), "Q 2/3/3/3 [Quorate LastManStanding]");
}

TEST(ConfigOption, AutoTieBreakerFlag) {
  VotequorumConfig c = NodelistN(2);
  c.auto_tie_breaker = 1;
  RingDriver d;
  d.Configure(1, c);
  ASSERT_TRUE(d.Start(1).ok());
  EXPECT_EQ(d.Info(1).flags, info_flags::kAutoTieBreaker);
}

TEST(ConfigOption, AutoTieBreakerNodeIgnoredWithoutAutoTieBreaker) {
  VotequorumConfig c = NodelistN(4);
  c.auto_tie_breaker_node = "1";
  RingDriver d;
  StartCluster(d, c, {1, 2});
  EXPECT_EQ(State(d, 1), "- 3/2/4/4 []");
}

TEST(ConfigOption, AllowDownscaleForcesTracking) {
  VotequorumConfig c = NodelistN(3);
  c.allow_downscale = 1;
  RingDriver d;
  d.Configure(1, c);
  ASSERT_TRUE(d.Start(1).ok());
  EXPECT_EQ(d.Info(1).flags, info_flags::kAllowDownscale);
  EXPECT_EQ(d.store(1).loads(), 1);
  EXPECT_TRUE(d.store(1).exists());
  EXPECT_EQ(d.engine(1).ev_tracking_barrier(), 3u);
}

TEST(ConfigOption, ExpectedVotesTrackingUsesStoredBarrier) {
  VotequorumConfig c = NodelistN(3);
  c.expected_votes_tracking = 1;
  MemoryEvStore store(6);
  RecordingOutput out;
  Engine e(1, c, &out, &store);
  ASSERT_TRUE(e.Start().ok());
  VoteInfo i;
  ASSERT_EQ(e.GetInfo(0, &i), CsError::kOk);
  EXPECT_EQ(i.node_expected_votes, 6u);
  EXPECT_EQ(i.quorum, 4u);
  EXPECT_EQ(store.saves(), 0);  // the persistence defect: nothing is ever written back
}

class FailingStore : public ExpectedVotesStore {
 public:
  Status Load(uint32_t*) override { return Status::IoError("disk on fire"); }
  Status Save(uint32_t) override { return Status::IoError("disk on fire"); }
};

TEST(ConfigOption, TrackingStoreFailureRefusesStart) {
  VotequorumConfig c = NodelistN(3);
  c.expected_votes_tracking = 1;
  FailingStore store;
  RecordingOutput out;
  Engine e(1, c, &out, &store);
  const Status st = e.Start();
  EXPECT_EQ(st.code(), Status::Code::kInvalidConfig);
  EXPECT_NE(st.message().find("quorum.expected_votes_tracking=1"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("disk on fire"), std::string::npos) << st.message();
}

TEST(ConfigOption, DeviceModelGivesAutomaticVotes) {
  VotequorumConfig c = NodelistN(4);
  c.device_model = "net";
  RingDriver d;
  d.Configure(1, c);
  ASSERT_TRUE(d.Start(1).ok());
  EXPECT_EQ(d.Info(1).qdevice_votes, 3u);
  EXPECT_EQ(d.Info(1).node_expected_votes, 7u);
}

TEST(ConfigOption, EmptyDeviceModelMeansNoDevice) {
  VotequorumConfig c = NodelistN(4);
  c.device_model = "";
  c.device_votes = 5;
  RingDriver d;
  d.Configure(1, c);
  ASSERT_TRUE(d.Start(1).ok());
  EXPECT_EQ(d.Info(1).qdevice_votes, 0u);
}

TEST(ConfigOption, DeviceVotesExplicit) {
  VotequorumConfig c = NodelistN(3);
  c.device_model = "net";
  c.device_votes = 1;
  RingDriver d;
  d.Configure(1, c);
  ASSERT_TRUE(d.Start(1).ok());
  EXPECT_EQ(d.Info(1).qdevice_votes, 1u);
  EXPECT_EQ(d.Info(1).node_expected_votes, 3u);
}

TEST(ConfigOption, DeviceTimeoutArmsPollTimer) {
  VotequorumConfig c = NodelistN(1);
  c.device_model = "net";
  c.device_timeout = 4000;
  RecordingOutput out;
  Engine e(1, c, &out);
  ASSERT_TRUE(e.Start().ok());
  const RingId ring{1, 4};
  const NodeId me[] = {1};
  e.SyncInit(ring, me);
  e.SyncProcess();
  for (const Message& m : out.broadcasts) e.Deliver(1, m);
  out.broadcasts.clear();
  e.SyncActivate();
  ASSERT_EQ(e.QdeviceRegister(9, "QD"), std::nullopt);
  for (const Message& m : out.broadcasts) e.Deliver(1, m);
  out.events.clear();
  ASSERT_EQ(e.QdevicePoll("QD", true, ring), CsError::kOk);
  EXPECT_TRUE(Has(out.events, "ARM 1 4000"));
}

TEST(ConfigOption, DeviceSyncTimeoutArmsSyncWait) {
  VotequorumConfig c = NodelistN(1);
  c.device_model = "net";
  c.device_sync_timeout = 7000;
  RecordingOutput out;
  Engine e(1, c, &out);
  ASSERT_TRUE(e.Start().ok());
  auto ring_change = [&](RingId ring) {
    const NodeId me[] = {1};
    e.SyncInit(ring, me);
    const bool done = e.SyncProcess();
    auto msgs = std::move(out.broadcasts);
    out.broadcasts.clear();
    for (const Message& m : msgs) e.Deliver(1, m);
    return done;
  };
  ASSERT_TRUE(ring_change({1, 4}));
  e.SyncActivate();
  ASSERT_EQ(e.QdeviceRegister(9, "QD"), std::nullopt);
  for (const Message& m : std::vector<Message>(out.broadcasts)) e.Deliver(1, m);
  ASSERT_EQ(e.QdevicePoll("QD", true, {1, 4}), CsError::kOk);
  out.events.clear();
  EXPECT_FALSE(ring_change({1, 8}));  // waits for a poll quoting ring 1.8
  EXPECT_TRUE(Has(out.events, "ARM 1 7000"));
  EXPECT_FALSE(e.SyncProcess());
  ASSERT_EQ(e.QdevicePoll("QD", true, {1, 8}), CsError::kOk);
  EXPECT_TRUE(e.SyncProcess());
}

TEST(ConfigOption, CancelWaitForAll) {
  VotequorumConfig c = NodelistN(3);
  c.wait_for_all = 1;
  RingDriver d;
  StartCluster(d, c, {1});
  EXPECT_EQ(State(d, 1), "- 2/1/3/3 [WaitForAll]");
  EXPECT_TRUE(d.engine(1).wait_for_all_status());
  d.CancelWaitForAll(1);
  // One vote of three is still no majority, and that inquorate verdict re-arms the latch.
  EXPECT_EQ(State(d, 1), "- 2/1/3/3 [WaitForAll]");
  EXPECT_TRUE(d.engine(1).wait_for_all_status());
  d.Configure(2, c);
  Join(d, 2, {1});
  EXPECT_EQ(State(d, 1), "- 2/2/3/3 [WaitForAll]");
  d.CancelWaitForAll(2);
  EXPECT_EQ(State(d, 1), "Q 2/2/3/3 [Quorate WaitForAll]");
  EXPECT_FALSE(d.engine(1).wait_for_all_status());
}

TEST(ConfigOption, ByteKeysOutOfRangeAreRefused) {
  const char* keys[] = {"quorum.two_node", "quorum.wait_for_all", "quorum.last_man_standing",
                        "quorum.auto_tie_breaker", "quorum.allow_downscale",
                        "quorum.expected_votes_tracking"};
  for (int k = 0; k < 6; ++k) {
    VotequorumConfig c = NodelistN(2);
    std::optional<uint32_t>* fields[] = {&c.two_node, &c.wait_for_all, &c.last_man_standing,
                                         &c.auto_tie_breaker, &c.allow_downscale,
                                         &c.expected_votes_tracking};
    *fields[k] = 256;
    RecordingOutput out;
    Engine e(1, c, &out);
    const Status st = e.Start();
    EXPECT_EQ(st.code(), Status::Code::kInvalidConfig) << keys[k];
    EXPECT_NE(st.message().find(std::string(keys[k]) + "=256"), std::string::npos) << st.message();
  }
}

TEST(ConfigOption, RuntimeReloadChangesVotes) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1, 2, 3});
  VotequorumConfig c = NodelistVotes({{1, 2}, {2, 1}, {3, 1}});
  d.ClearLogs();
  ASSERT_TRUE(d.Call(1, [&](Engine& e) { return e.Reload(c); }).ok());
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 3/4/4/4 [Quorate]") << id;
  EXPECT_EQ(d.trace().front(), "1: NODEINFO id=1 votes=2 exp=4 flags=0x1");
}

TEST(ConfigOption, RuntimeTwoNodeWithDeviceDisablesDevice) {
  VotequorumConfig c = NodelistN(2);
  c.device_model = "net";
  RingDriver d;
  StartCluster(d, c, {1, 2});
  c.two_node = 1;
  ASSERT_TRUE(d.Call(1, [&](Engine& e) { return e.Reload(c); }).ok());
  EXPECT_EQ(d.Call(1, [](Engine& e) { return e.QdeviceRegister(9, "QD"); }), CsError::kAccess);
}

TEST(ConfigOption, RuntimeReloadRefusesOutOfRangeValues) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1});
  VotequorumConfig c = NodelistN(3);
  c.two_node = 1000;
  const Status st = d.Call(1, [&](Engine& e) { return e.Reload(c); });
  EXPECT_EQ(st.code(), Status::Code::kInvalidConfig);
  EXPECT_NE(st.message().find("quorum.two_node=1000"), std::string::npos);
}

}  // namespace
}  // namespace quorumsim::testing
