// Worked examples EX-08 .. EX-14 (two_node and wait_for_all) of the spec, §10.
#include <gtest/gtest.h>

#include "tests/engine/test_util.h"

namespace quorumsim::testing {
namespace {

VotequorumConfig TwoNode() {
  VotequorumConfig c = NodelistN(2);
  c.two_node = 1;
  return c;
}

TEST(TwoNode, Ex08ClassicPair) {
  RingDriver d;
  d.Configure(1, TwoNode());
  d.Configure(2, TwoNode());
  ASSERT_TRUE(d.Start(1).ok());
  EXPECT_EQ(State(d, 1), "- 1/1/2/2 [2Node WaitForAll]");
  Join(d, 2, {1});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 1/2/2/2 [2Node Quorate WaitForAll]") << id;
  d.Crash({2});
  EXPECT_EQ(State(d, 1), "Q 1/1/2/2 [2Node Quorate WaitForAll]");
  Join(d, 2, {1});
  EXPECT_EQ(State(d, 2), "Q 1/2/2/2 [2Node Quorate WaitForAll]");
  d.Partition({{1}, {2}});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 1/1/2/2 [2Node Quorate WaitForAll]") << id;
}

TEST(TwoNode, Ex09WaitForAllExplicitlyOff) {
  VotequorumConfig c = TwoNode();
  c.wait_for_all = 0;
  RingDriver d;
  d.Configure(1, c);
  ASSERT_TRUE(d.Start(1).ok());
  EXPECT_EQ(State(d, 1), "Q 1/1/2/2 [2Node Quorate]");
}

TEST(TwoNode, Ex10TwoNodeInThreeNodeNodelist) {
  VotequorumConfig c = NodelistN(3);
  c.two_node = 1;
  RingDriver d;
  StartCluster(d, c, {1, 2, 3});
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 2/3/3/3 [2Node Quorate WaitForAll]") << id;
  d.Crash({3});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 1/2/3/3 [2Node Quorate WaitForAll]") << id;
  d.Partition({{1}, {2}});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 1/1/3/3 [2Node Quorate WaitForAll]") << id;
}

TEST(TwoNode, Ex11TwoNodeWithAutoTieBreaker) {
  VotequorumConfig c = TwoNode();
  c.auto_tie_breaker = 1;
  RingDriver d;
  d.Configure(1, c);
  d.Configure(2, c);
  ASSERT_TRUE(d.Start(1).ok());
  EXPECT_EQ(State(d, 1), "- 2/1/2/2 [WaitForAll AutoTieBreaker]");
  Join(d, 2, {1});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 2/2/2/2 [Quorate WaitForAll AutoTieBreaker]") << id;
  d.Partition({{1}, {2}});
  EXPECT_EQ(State(d, 1), "Q 2/1/2/2 [Quorate WaitForAll AutoTieBreaker]");
  EXPECT_EQ(State(d, 2), "- 2/1/2/2 [WaitForAll AutoTieBreaker]");
}

VotequorumConfig Wfa3() {
  VotequorumConfig c = NodelistN(3);
  c.wait_for_all = 1;
  return c;
}

TEST(WaitForAll, Ex12StartupFailuresAndRearming) {
  RingDriver d;
  StartCluster(d, Wfa3(), {1, 2});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "- 2/2/3/3 [WaitForAll]") << id;
  d.Configure(3, Wfa3());
  Join(d, 3, {1, 2});
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 2/3/3/3 [Quorate WaitForAll]") << id;
  d.Crash({3});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 2/2/3/3 [Quorate WaitForAll]") << id;
  d.Crash({2});
  EXPECT_EQ(State(d, 1), "- 2/1/3/3 [WaitForAll]");
  EXPECT_TRUE(d.engine(1).wait_for_all_status());  // the latch re-armed
  Join(d, 2, {1});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "- 2/2/3/3 [WaitForAll]") << id;
  Join(d, 3, {1, 2});
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 2/3/3/3 [Quorate WaitForAll]") << id;
}

TEST(WaitForAll, Ex13CancelWaitForAll) {
  RingDriver d;
  StartCluster(d, Wfa3(), {1, 2});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "- 2/2/3/3 [WaitForAll]") << id;
  d.ClearLogs();
  d.CancelWaitForAll(1);
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 2/2/3/3 [Quorate WaitForAll]") << id;
  // A flip outside sync: one quorum callback and one quorum-service notification.
  EXPECT_EQ(d.callbacks(2), (std::vector<std::string>{"QUORUM quorate=1 nodes=1:M,2:M"}));
  EXPECT_EQ(d.notifications(2), (std::vector<std::string>{"NOTIFY quorate=1 ring=1.8 nodes=1,2"}));
}

TEST(WaitForAll, Ex14UnreachableExpectedVotes) {
  VotequorumConfig c = Wfa3();
  c.expected_votes = 4;
  RingDriver d;
  StartCluster(d, c, {1, 2, 3});
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "- 3/3/4/4 [WaitForAll]") << id;
}

}  // namespace
}  // namespace quorumsim::testing
