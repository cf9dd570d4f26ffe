// Worked examples EX-01 .. EX-07 (default clusters) of the spec, §10.
#include <gtest/gtest.h>

#include "tests/engine/test_util.h"

namespace quorumsim::testing {
namespace {

TEST(DefaultClusters, Ex01ThreeNodesOneIsolated) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1, 2, 3});
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 2/3/3/3 [Quorate]") << id;
  d.Partition({{1, 2}, {3}});
  EXPECT_EQ(State(d, 1), "Q 2/2/3/3 [Quorate]");
  EXPECT_EQ(State(d, 2), "Q 2/2/3/3 [Quorate]");
  EXPECT_EQ(State(d, 3), "- 2/1/3/3 []");
}

TEST(DefaultClusters, Ex02ThreeNodesSuccessiveFailures) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1, 2, 3});
  d.Crash({3});
  EXPECT_EQ(State(d, 1), "Q 2/2/3/3 [Quorate]");
  EXPECT_EQ(State(d, 2), "Q 2/2/3/3 [Quorate]");
  d.Crash({2});
  EXPECT_EQ(State(d, 1), "- 2/1/3/3 []");
}

TEST(DefaultClusters, Ex03FourNodesEvenSplitThenThreeOne) {
  RingDriver d;
  StartCluster(d, NodelistN(4), {1, 2, 3, 4});
  for (NodeId id : {1, 2, 3, 4}) EXPECT_EQ(State(d, id), "Q 3/4/4/4 [Quorate]") << id;
  d.Partition({{1, 2}, {3, 4}});
  for (NodeId id : {1, 2, 3, 4}) EXPECT_EQ(State(d, id), "- 3/2/4/4 []") << id;
  d.Partition({{1, 2, 3}, {4}});
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 3/3/4/4 [Quorate]") << id;
  EXPECT_EQ(State(d, 4), "- 3/1/4/4 []");
}

TEST(DefaultClusters, Ex04FiveNodesSplitAndPartialStart) {
  {
    RingDriver d;
    StartCluster(d, NodelistN(5), {1, 2, 3, 4, 5});
    d.Partition({{1, 2, 3}, {4, 5}});
    for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 3/3/5/5 [Quorate]") << id;
    for (NodeId id : {4, 5}) EXPECT_EQ(State(d, id), "- 3/2/5/5 []") << id;
  }
  {
    RingDriver d;
    StartCluster(d, NodelistN(5), {1, 2, 3});
    for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 3/3/5/5 [Quorate]") << id;
  }
  {
    RingDriver d;
    StartCluster(d, NodelistN(5), {1, 2});
    for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "- 3/2/5/5 []") << id;
  }
}

TEST(DefaultClusters, Ex05WeightedVotes) {
  RingDriver d;
  StartCluster(d, NodelistVotes({{1, 3}, {2, 1}, {3, 1}}), {1, 2, 3});
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 3/5/5/5 [Quorate]") << id;
  d.Partition({{1}, {2, 3}});
  EXPECT_EQ(State(d, 1), "Q 3/3/5/5 [Quorate]");
  for (NodeId id : {2, 3}) EXPECT_EQ(State(d, id), "- 3/2/5/5 []") << id;
}

TEST(DefaultClusters, Ex06ExpectedVotesOverridesNodelist) {
  VotequorumConfig c = NodelistN(3);
  c.expected_votes = 5;
  RingDriver d;
  StartCluster(d, c, {1, 2, 3});
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 3/3/5/5 [Quorate]") << id;
  d.Crash({3});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "- 3/2/5/5 []") << id;
}

TEST(DefaultClusters, Ex07NoNodelistThirdNodeJoins) {
  VotequorumConfig c;
  c.expected_votes = 2;
  RingDriver d;
  StartCluster(d, c, {1, 2});
  EXPECT_EQ(State(d, 1), "Q 2/2/2/2 [Quorate]");
  EXPECT_EQ(State(d, 2), "Q 2/2/2/2 [Quorate]");
  d.Configure(3, c);
  d.ClearLogs();
  Join(d, 3, {1, 2});
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 2/3/3/3 [Quorate]") << id;
  EXPECT_EQ(d.callbacks(1), (std::vector<std::string>{"NODELIST ring=1.c nodes=1,2,3", "EXPECTED 3",
                                                      "QUORUM quorate=1 nodes=2:M,3:M,1:M"}));
}

}  // namespace
}  // namespace quorumsim::testing
