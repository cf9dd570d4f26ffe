// Worked examples EX-15 .. EX-20 (last_man_standing) of the spec, §10.
#include <gtest/gtest.h>

#include "tests/engine/test_util.h"

namespace quorumsim::testing {
namespace {

VotequorumConfig Lms(NodeId n) {
  VotequorumConfig c = NodelistN(n);
  c.last_man_standing = 1;
  return c;
}

constexpr const char* kLms = "[Quorate LastManStanding]";

TEST(LastManStanding, Ex15Cascade) {
  RingDriver d;
  StartCluster(d, Lms(5), {1, 2, 3, 4, 5});
  d.Crash({4, 5});
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), std::string("Q 3/3/5/5 ") + kLms) << id;
  d.AdvanceTo(9999);
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), std::string("Q 3/3/5/5 ") + kLms) << id;
  d.AdvanceTo(10000);
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), std::string("Q 2/3/3/3 ") + kLms) << id;
  d.Crash({3});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), std::string("Q 2/2/3/3 ") + kLms) << id;
  d.AdvanceTo(20000);
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), std::string("Q 2/2/2/2 ") + kLms) << id;
  d.Crash({2});
  EXPECT_EQ(State(d, 1), "- 2/1/2/2 [LastManStanding]");
  d.AdvanceTo(30000);
  EXPECT_EQ(State(d, 1), "- 2/1/2/2 [LastManStanding]");
}

TEST(LastManStanding, Ex16SecondFailureInsideWindow) {
  RingDriver d;
  StartCluster(d, Lms(5), {1, 2, 3, 4, 5});
  d.Crash({4, 5});
  d.AdvanceTo(5000);
  d.Crash({3});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "- 3/2/5/5 [LastManStanding]") << id;
  d.AdvanceTo(25000);
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "- 3/2/5/5 [LastManStanding]") << id;
}

TEST(LastManStanding, Ex17RejoinAfterLowering) {
  RingDriver d;
  StartCluster(d, Lms(5), {1, 2, 3, 4, 5});
  d.Crash({4, 5});
  d.AdvanceTo(10000);
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), std::string("Q 2/3/3/3 ") + kLms) << id;
  d.ClearLogs();
  Join(d, 4, {1, 2, 3});
  for (NodeId id : {1, 2, 3, 4}) EXPECT_EQ(State(d, id), std::string("Q 3/4/4/4 ") + kLms) << id;
  EXPECT_EQ(d.callbacks(1),
            (std::vector<std::string>{"NODELIST ring=1.10 nodes=1,2,3,4", "EXPECTED 4",
                                      "QUORUM quorate=1 nodes=2:M,3:M,4:M,5:D,1:M"}));
}

TEST(LastManStanding, Ex18AsymmetricVerdictsAfterLateRejoin) {
  RingDriver d;
  StartCluster(d, Lms(5), {1, 2, 3, 4, 5});
  d.Crash({4, 5});
  d.AdvanceTo(10000);
  d.Crash({3});
  d.AdvanceTo(20000);
  d.Crash({2});
  d.AdvanceTo(30000);
  EXPECT_EQ(State(d, 1), "- 2/1/2/2 [LastManStanding]");
  Join(d, 2, {1});  // node 2 restarts with its configuration (expected 5)
  EXPECT_EQ(State(d, 1), "Q 2/2/2/2 [Quorate LastManStanding]");
  EXPECT_EQ(State(d, 2), "- 3/2/5/5 [LastManStanding]");
}

VotequorumConfig LmsAtb4() {
  VotequorumConfig c = Lms(4);
  c.auto_tie_breaker = 1;
  return c;
}

TEST(LastManStanding, Ex19WithAutoTieBreakerDownToOne) {
  const std::string flags = "[Quorate LastManStanding AutoTieBreaker]";
  RingDriver d;
  StartCluster(d, LmsAtb4(), {1, 2, 3, 4});
  d.Crash({4});
  d.Advance(10000);
  d.Crash({3});
  d.Advance(10000);
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 2/2/2/2 " + flags) << id;
  d.Crash({2});
  EXPECT_EQ(State(d, 1), "Q 2/1/2/2 " + flags);
  d.Advance(10000);
  EXPECT_EQ(State(d, 1), "Q 1/1/1/1 " + flags);
}

TEST(LastManStanding, Ex19VariantLowestNodeFails) {
  RingDriver d;
  StartCluster(d, LmsAtb4(), {1, 2, 3, 4});
  d.Crash({4});
  d.Advance(10000);
  d.Crash({3});
  d.Advance(10000);
  d.Crash({1});
  d.Advance(10000);
  EXPECT_EQ(State(d, 2), "- 2/1/2/2 [LastManStanding AutoTieBreaker]");
}

TEST(LastManStanding, Ex20DisabledByWeightedNode) {
  VotequorumConfig c = NodelistVotes({{1, 2}, {2, 1}, {3, 1}, {4, 1}});
  c.last_man_standing = 1;
  RingDriver d;
  StartCluster(d, c, {1, 2, 3, 4});
  for (NodeId id : {1, 2, 3, 4}) EXPECT_EQ(State(d, id), "Q 3/5/5/5 [Quorate]") << id;
}

}  // namespace
}  // namespace quorumsim::testing
