// Worked examples EX-31 .. EX-36 (setexpected / setvotes) of the spec, §10.
#include <gtest/gtest.h>

#include "tests/engine/test_util.h"

namespace quorumsim::testing {
namespace {

TEST(SetExpected, Ex31ThreeNodesOneDown) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1, 2, 3});
  d.Crash({3});
  EXPECT_EQ(d.SetExpected(1, 1), CsError::kInvalidParam);
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 2/2/3/3 [Quorate]") << id;
  EXPECT_EQ(d.SetExpected(1, 4), CsError::kInvalidParam);
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 2/2/3/3 [Quorate]") << id;
  EXPECT_EQ(d.SetExpected(1, 2), CsError::kOk);
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 2/2/2/2 [Quorate]") << id;
  EXPECT_EQ(d.SetExpected(1, 3), CsError::kOk);
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 2/2/3/3 [Quorate]") << id;
}

TEST(SetExpected, Ex32ForcingQuorumInSurvivingMinority) {
  RingDriver d;
  StartCluster(d, NodelistN(5), {1, 2});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "- 3/2/5/5 []") << id;
  EXPECT_EQ(d.SetExpected(1, 1), CsError::kInvalidParam);
  d.ClearLogs();
  EXPECT_EQ(d.SetExpected(1, 2), CsError::kOk);
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 2/2/2/2 [Quorate]") << id;
  EXPECT_EQ(d.callbacks(2), (std::vector<std::string>{"EXPECTED 2", "QUORUM quorate=1 nodes=1:M,2:M"}));
  d.Configure(3, NodelistN(5));
  d.ClearLogs();
  Join(d, 3, {1, 2});
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 2/3/3/3 [Quorate]") << id;
  EXPECT_EQ(d.callbacks(1), (std::vector<std::string>{"NODELIST ring=1.c nodes=1,2,3", "EXPECTED 3",
                                                      "QUORUM quorate=1 nodes=2:M,3:M,1:M"}));
}

TEST(SetExpected, Ex33RaisingOnHealthyCluster) {
  RingDriver d;
  StartCluster(d, NodelistN(5), {1, 2, 3, 4, 5});
  EXPECT_EQ(State(d, 1), "Q 3/5/5/5 [Quorate]");
  EXPECT_EQ(d.SetExpected(1, 6), CsError::kOk);
  for (NodeId id : {1, 2, 3, 4, 5}) EXPECT_EQ(State(d, id), "Q 4/5/6/6 [Quorate]") << id;
  EXPECT_EQ(d.SetExpected(1, 9), CsError::kOk);
  for (NodeId id : {1, 2, 3, 4, 5}) EXPECT_EQ(State(d, id), "Q 5/5/9/9 [Quorate]") << id;
  EXPECT_EQ(d.SetExpected(1, 10), CsError::kInvalidParam);
  EXPECT_EQ(State(d, 1), "Q 5/5/9/9 [Quorate]");
}

TEST(SetVotes, Ex34Sequence) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1, 2, 3});
  d.ClearLogs();
  EXPECT_EQ(d.SetVotes(1, 1, 2), CsError::kOk);
  EXPECT_EQ(State(d, 1), "Q 3/4/4/4 [Quorate]");
  EXPECT_EQ(d.callbacks(2), (std::vector<std::string>{"EXPECTED 4"}));
  d.ClearLogs();
  EXPECT_EQ(d.SetVotes(1, 3, 0), CsError::kOk);
  EXPECT_EQ(State(d, 1), "Q 3/3/4/4 [Quorate]");
  EXPECT_TRUE(d.callbacks(2).empty());
  d.ClearLogs();
  EXPECT_EQ(d.SetVotes(1, 1, 5), CsError::kOk);
  EXPECT_EQ(State(d, 1), "Q 4/6/6/6 [Quorate]");
  EXPECT_EQ(d.callbacks(2), (std::vector<std::string>{"EXPECTED 6"}));
  d.ClearLogs();
  EXPECT_EQ(d.SetVotes(1, 1, 1), CsError::kInvalidParam);
  EXPECT_EQ(State(d, 1), "Q 4/6/6/6 [Quorate]");
  EXPECT_EQ(d.SetVotes(1, 9, 1), CsError::kNameNotFound);
  EXPECT_EQ(State(d, 1), "Q 4/6/6/6 [Quorate]");
  EXPECT_TRUE(d.callbacks(2).empty());
  // Node id 0 is the quorum device's record, even with no device configured.
  EXPECT_EQ(d.SetVotes(1, 0, 3), CsError::kOk);
  EXPECT_EQ(State(d, 1), "Q 5/6/9/9 [Quorate]");
  EXPECT_EQ(d.Info(1).qdevice_votes, 3u);
  EXPECT_EQ(d.callbacks(2), (std::vector<std::string>{"EXPECTED 9"}));
}

TEST(SetVotes, Ex35GuardAndDeadNodes) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1, 2, 3});
  d.Crash({3});
  EXPECT_EQ(State(d, 1), "Q 2/2/3/3 [Quorate]");
  EXPECT_EQ(d.SetVotes(1, 1, 0), CsError::kInvalidParam);
  EXPECT_EQ(d.SetVotes(1, 3, 3), CsError::kOk);
  EXPECT_EQ(State(d, 1), "Q 2/2/3/3 [Quorate]");
  VoteInfo dead;
  ASSERT_EQ(d.InfoStatus(1, 3, &dead), CsError::kOk);
  EXPECT_EQ(dead.node_votes, 3u);  // the DEAD record itself changed
  Join(d, 3, {1, 2});
  EXPECT_EQ(State(d, 1), "Q 2/3/3/3 [Quorate]");
  ASSERT_EQ(d.InfoStatus(1, 3, &dead), CsError::kOk);
  EXPECT_EQ(dead.node_votes, 1u);  // restored by node 3's own NODEINFO
}

TEST(SetVotes, Ex36TwoNodeAndTheApi) {
  VotequorumConfig c = NodelistN(2);
  c.two_node = 1;
  RingDriver d;
  StartCluster(d, c, {1, 2});
  EXPECT_EQ(State(d, 1), "Q 1/2/2/2 [2Node Quorate WaitForAll]");
  EXPECT_EQ(d.SetVotes(1, 1, 3), CsError::kInvalidParam);
  EXPECT_EQ(d.SetVotes(1, 1, 2), CsError::kOk);
  EXPECT_EQ(State(d, 1), "Q 1/3/3/3 [2Node Quorate WaitForAll]");
  EXPECT_EQ(d.SetExpected(1, 5), CsError::kOk);
  EXPECT_EQ(State(d, 1), "Q 1/3/5/5 [2Node Quorate WaitForAll]");
}

}  // namespace
}  // namespace quorumsim::testing
