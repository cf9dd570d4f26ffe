// Worked examples EX-37 .. EX-46 (quorum device, expected votes growth) of §10.
#include <gtest/gtest.h>

#include "tests/engine/test_util.h"

namespace quorumsim::testing {
namespace {

VotequorumConfig WithDevice(VotequorumConfig c, std::optional<uint32_t> votes = std::nullopt) {
  c.device_model = "net";
  c.device_votes = votes;
  return c;
}

constexpr const char* kRAC = "QdeviceRegistered QdeviceAlive QdeviceCastVote";

bool HasQuorumCallback(const std::vector<std::string>& log) {
  for (const auto& s : log) {
    if (s.rfind("QUORUM", 0) == 0) return true;
  }
  return false;
}

// EX-37's cluster, with every device registered and casting its vote.
void StartEx37(RingDriver& d) {
  StartCluster(d, WithDevice(NodelistN(3)), {1, 2, 3});
  for (NodeId id : {1, 2, 3}) {
    EXPECT_EQ(State(d, id), "Q 3/3/5/5 [Quorate]") << id;
    EXPECT_EQ(d.Info(id).qdevice_votes, 2u);
  }
  d.ClearLogs();
  for (NodeId id : {1, 2, 3}) ASSERT_EQ(d.QdeviceStart(id, "QD", true), CsError::kOk) << id;
  for (NodeId id : {1, 2, 3}) {
    EXPECT_EQ(State(d, id), std::string("Q 3/5/5/5 [Quorate ") + kRAC + "]") << id;
    EXPECT_FALSE(HasQuorumCallback(d.callbacks(id))) << id;  // verdict unchanged
  }
}

TEST(Qdevice, Ex37ThreeNodesAutomaticVotes) {
  RingDriver d;
  StartEx37(d);
  // The daemons on 2 and 3 stop casting (their side lost the device's favour), then split.
  ASSERT_EQ(d.QdeviceSetVote(2, false), CsError::kOk);
  ASSERT_EQ(d.QdeviceSetVote(3, false), CsError::kOk);
  d.Partition({{1}, {2, 3}});
  EXPECT_EQ(State(d, 1), std::string("Q 3/3/5/5 [Quorate ") + kRAC + "]");
  for (NodeId id : {2, 3}) EXPECT_EQ(State(d, id), "- 3/2/5/5 [QdeviceRegistered QdeviceAlive]") << id;
}

TEST(Qdevice, Ex38DeviceStopsPolling) {
  RingDriver d;
  StartEx37(d);
  ASSERT_EQ(d.QdeviceSetVote(2, false), CsError::kOk);
  ASSERT_EQ(d.QdeviceSetVote(3, false), CsError::kOk);
  d.Partition({{1}, {2, 3}});  // node 1's daemon polls here, at time 0, for the last time
  d.QdeviceStop(1);
  d.ClearLogs();
  d.AdvanceTo(9999);
  EXPECT_EQ(State(d, 1), std::string("Q 3/3/5/5 [Quorate ") + kRAC + "]");
  d.AdvanceTo(10000);
  EXPECT_EQ(State(d, 1), "- 3/1/5/5 [QdeviceRegistered]");
  EXPECT_EQ(d.callbacks(1), (std::vector<std::string>{"QUORUM quorate=0 nodes=2:D,3:D,1:M,0:0"}));
}

TEST(Qdevice, Ex39DeviceSilentAcrossMembershipChange) {
  RingDriver d;
  StartEx37(d);
  d.QdeviceStop(1);
  d.Crash({3});
  // The sync of ring {1,2} waited for node 1's device until the sync timeout.
  EXPECT_EQ(d.now(), 30000u);
  EXPECT_EQ(State(d, 1), "- 3/2/5/5 [QdeviceRegistered]");
  EXPECT_EQ(State(d, 2), std::string("Q 3/4/5/5 [Quorate ") + kRAC + "]");
}

TEST(Qdevice, Ex40TwoNodesAndDevice) {
  RingDriver d;
  StartCluster(d, WithDevice(NodelistN(2)), {1, 2});
  for (NodeId id : {1, 2}) ASSERT_EQ(d.QdeviceStart(id, "QD", true), CsError::kOk);
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), std::string("Q 2/3/3/3 [Quorate ") + kRAC + "]") << id;
  d.Crash({2});
  EXPECT_EQ(State(d, 1), std::string("Q 2/2/3/3 [Quorate ") + kRAC + "]");
  ASSERT_EQ(d.QdeviceSetVote(1, false), CsError::kOk);
  EXPECT_EQ(State(d, 1), "- 2/1/3/3 [QdeviceRegistered QdeviceAlive]");
}

TEST(Qdevice, Ex40UnregisterOnLastNode) {
  RingDriver d;
  StartCluster(d, WithDevice(NodelistN(3)), {1, 2, 3});
  for (NodeId id : {1, 2, 3}) ASSERT_EQ(d.QdeviceStart(id, "QD", true), CsError::kOk);
  d.Crash({2, 3});
  EXPECT_EQ(State(d, 1), std::string("Q 3/3/5/5 [Quorate ") + kRAC + "]");
  EXPECT_EQ(d.QdeviceUnregister(1), CsError::kOk);
  EXPECT_EQ(State(d, 1), "- 3/1/5/5 []");
  EXPECT_EQ(d.Info(1).qdevice_votes, 2u);
}

// EX-41: devices on all four nodes, `casting` says which of them cast a vote.
void RunEx41(RingDriver& d, bool master_wins, const std::vector<bool>& casting) {
  StartCluster(d, WithDevice(NodelistN(4), 1), {1, 2, 3, 4});
  for (NodeId id : {1, 2, 3, 4}) {
    ASSERT_EQ(d.QdeviceStart(id, "QD", casting[id - 1]), CsError::kOk);
    ASSERT_EQ(d.Call(id, [&](Engine& e) { return e.QdeviceMasterWins("QD", master_wins); }), CsError::kOk);
  }
  d.Partition({{1}, {2, 3, 4}});
}

TEST(Qdevice, Ex41MasterWinsEverywhereOnlyNode1Casts) {
  RingDriver d;
  RunEx41(d, true, {true, false, false, false});
  EXPECT_EQ(State(d, 1), std::string("Q 3/2/5/5 [Quorate ") + kRAC + " QdeviceMasterWins]");
  for (NodeId id : {2, 3, 4}) {
    EXPECT_EQ(State(d, id), "Q 3/3/5/5 [Quorate QdeviceRegistered QdeviceAlive QdeviceMasterWins]") << id;
  }
}

TEST(Qdevice, Ex41NoMasterWinsOnlyNode1Casts) {
  RingDriver d;
  RunEx41(d, false, {true, false, false, false});
  EXPECT_EQ(State(d, 1), std::string("- 3/2/5/5 [") + kRAC + "]");
  for (NodeId id : {2, 3, 4}) EXPECT_EQ(State(d, id), "Q 3/3/5/5 [Quorate QdeviceRegistered QdeviceAlive]") << id;
}

TEST(Qdevice, Ex41MasterWinsButNode1DoesNotCast) {
  RingDriver d;
  RunEx41(d, true, {false, true, true, true});
  EXPECT_EQ(State(d, 1), "- 3/1/5/5 [QdeviceRegistered QdeviceAlive QdeviceMasterWins]");
  for (NodeId id : {2, 3, 4}) {
    EXPECT_EQ(State(d, id), std::string("Q 3/4/5/5 [Quorate ") + kRAC + " QdeviceMasterWins]") << id;
  }
}

TEST(Qdevice, Ex42ExplicitDeviceVotesWithNodelist) {
  RingDriver d;
  const VotequorumConfig c = WithDevice(NodelistN(4), 1);
  StartCluster(d, c, {1, 2, 3});
  for (NodeId id : {1, 2, 3}) {
    EXPECT_EQ(State(d, id), "Q 3/3/4/4 [Quorate]") << id;
    EXPECT_EQ(d.Info(id).qdevice_votes, 1u);
  }
  d.Configure(4, c);
  Join(d, 4, {1, 2, 3});
  for (NodeId id : {1, 2, 3, 4}) EXPECT_EQ(State(d, id), "Q 3/4/5/5 [Quorate]") << id;
}

TEST(Qdevice, Ex43WaitForAllWithDevice) {
  VotequorumConfig c = WithDevice(NodelistN(2));
  c.wait_for_all = 1;
  RingDriver d;
  StartCluster(d, c, {1, 2});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "- 2/2/3/3 [WaitForAll]") << id;
  ASSERT_EQ(d.QdeviceStart(1, "QD", true), CsError::kOk);
  EXPECT_EQ(State(d, 1), std::string("Q 2/3/3/3 [Quorate WaitForAll ") + kRAC + "]");
  EXPECT_EQ(State(d, 2), "- 2/2/3/3 [WaitForAll]");
  ASSERT_EQ(d.QdeviceStart(2, "QD", true), CsError::kOk);
  for (NodeId id : {1, 2}) {
    EXPECT_EQ(State(d, id), std::string("Q 2/3/3/3 [Quorate WaitForAll ") + kRAC + "]") << id;
  }
}

TEST(Qdevice, Ex44ConfiguredUnregisteredDeviceAndSetExpected) {
  VotequorumConfig c;
  c.expected_votes = 3;
  c = WithDevice(c, 1);
  RingDriver d;
  d.Configure(1, c);
  ASSERT_TRUE(d.Start(1).ok());
  EXPECT_EQ(State(d, 1), "- 2/1/3/3 []");
  EXPECT_EQ(d.Info(1).qdevice_votes, 1u);
  d.ClearLogs();
  EXPECT_EQ(d.SetExpected(1, 1), CsError::kOk);
  EXPECT_EQ(d.callbacks(1), (std::vector<std::string>{"EXPECTED 1", "EXPECTED 2"}));
  EXPECT_EQ(State(d, 1), "- 2/1/2/2 []");
}

TEST(Qdevice, Ex45RegisteredWithoutConfiguration) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1, 2, 3});
  ASSERT_EQ(d.QdeviceStart(1, "QD", true), CsError::kOk);
  EXPECT_EQ(State(d, 1), std::string("Q 2/3/3/3 [Quorate ") + kRAC + "]");
  EXPECT_EQ(d.Info(1).qdevice_votes, 0u);
  for (NodeId id : {2, 3}) EXPECT_EQ(State(d, id), "Q 2/3/3/3 [Quorate]") << id;
}

TEST(ExpectedVotes, Ex46NodeWithLargerConfigurationJoins) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1, 2, 3});
  d.Configure(4, NodelistN(5));
  Join(d, 4, {1, 2, 3});
  for (NodeId id : {1, 2, 3, 4}) EXPECT_EQ(State(d, id), "Q 3/4/4/4 [Quorate]") << id;
}

}  // namespace
}  // namespace quorumsim::testing
