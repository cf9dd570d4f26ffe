// Worked examples EX-27 .. EX-30 (allow_downscale, expected_votes_tracking) of §10.
#include <gtest/gtest.h>

#include "tests/engine/test_util.h"

namespace quorumsim::testing {
namespace {

VotequorumConfig Ad(NodeId n) {
  VotequorumConfig c = NodelistN(n);
  c.allow_downscale = 1;
  return c;
}

constexpr const char* kAdQ = "[Quorate AllowDownscale]";

TEST(AllowDownscale, Ex27CleanShutdowns) {
  RingDriver d;
  StartCluster(d, Ad(5), {1, 2, 3, 4, 5});
  for (NodeId id : {1, 2, 3, 4, 5}) EXPECT_EQ(State(d, id), std::string("Q 3/5/5/5 ") + kAdQ) << id;
  d.CleanShutdown(5);
  for (NodeId id : {1, 2, 3, 4}) EXPECT_EQ(State(d, id), std::string("Q 3/4/4/4 ") + kAdQ) << id;
  d.CleanShutdown(4);
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), std::string("Q 3/3/3/3 ") + kAdQ) << id;
}

TEST(AllowDownscale, Ex27CrashChangesNothing) {
  RingDriver d;
  StartCluster(d, Ad(5), {1, 2, 3, 4, 5});
  d.Crash({5});
  for (NodeId id : {1, 2, 3, 4}) EXPECT_EQ(State(d, id), std::string("Q 3/4/5/5 ") + kAdQ) << id;
}

TEST(AllowDownscale, Ex27LeavingRecordIsReported) {
  RingDriver d;
  StartCluster(d, Ad(3), {1, 2, 3});
  d.engine(3).Shutdown();
  // Before the ring changes the record is LEAVING; getinfo shows state 3.
  d.Call(1, [](Engine&) { return 0; });  // deliver the LEAVING announcement
  VoteInfo i;
  ASSERT_EQ(d.InfoStatus(1, 3, &i), CsError::kOk);
  EXPECT_EQ(i.node_state, NodeState::kLeaving);
}

TEST(AllowDownscale, Ex28GrowAndShrink) {
  RingDriver d;
  StartCluster(d, Ad(3), {1, 2, 3});
  EXPECT_EQ(State(d, 1), std::string("Q 2/3/3/3 ") + kAdQ);
  d.Configure(4, Ad(5));
  d.Configure(5, Ad(5));
  ASSERT_TRUE(d.Start(4).ok());
  ASSERT_TRUE(d.Start(5).ok());
  d.FormRing({1, 2, 3, 4, 5});
  EXPECT_EQ(State(d, 1), std::string("Q 3/5/5/5 ") + kAdQ);
  d.CleanShutdown(5);
  EXPECT_EQ(State(d, 1), std::string("Q 3/4/4/4 ") + kAdQ);
  d.CleanShutdown(4);
  EXPECT_EQ(State(d, 1), std::string("Q 2/3/3/3 ") + kAdQ);
}

TEST(ExpectedVotesTracking, Ex29TrackingIgnoresExpectedVotes) {
  VotequorumConfig base = NodelistN(5);
  base.expected_votes = 3;
  {
    RingDriver d;
    StartCluster(d, base, {1, 2});
    EXPECT_EQ(State(d, 1), "Q 2/2/3/3 [Quorate]");
  }
  {
    VotequorumConfig c = base;
    c.expected_votes_tracking = 1;
    RingDriver d;
    StartCluster(d, c, {1, 2});
    EXPECT_EQ(State(d, 1), "- 3/2/5/5 []");
  }
  {
    VotequorumConfig c = base;
    c.allow_downscale = 1;
    RingDriver d;
    StartCluster(d, c, {1, 2});
    EXPECT_EQ(State(d, 1), "- 3/2/5/5 [AllowDownscale]");
  }
}

VotequorumConfig Evt3() {
  VotequorumConfig c = NodelistN(3);
  c.expected_votes_tracking = 1;
  return c;
}

void RunEx30Steps(RingDriver& d) {
  StartCluster(d, Evt3(), {1, 2, 3});
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 2/3/3/3 [Quorate]") << id;
  EXPECT_EQ(d.SetExpected(1, 5), CsError::kOk);
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 3/3/5/5 [Quorate]") << id;
  d.ClearLogs();
  EXPECT_EQ(d.SetExpected(1, 4), CsError::kOk);
  // The callback announces the requested value, but the barrier keeps 5.
  for (NodeId id : {2, 3}) EXPECT_EQ(d.callbacks(id), (std::vector<std::string>{"EXPECTED 4"})) << id;
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "Q 3/3/5/5 [Quorate]") << id;
  d.Crash({1, 2, 3});
  ASSERT_TRUE(d.Start(1).ok());
  ASSERT_TRUE(d.Start(2).ok());
  d.FormRing({1, 2});
}

TEST(ExpectedVotesTracking, Ex30PersistenceDefect) {
  RingDriver d;
  RunEx30Steps(d);
  // The stored barrier was never updated after creation (still 0): nodelist sum is used.
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 2/2/3/3 [Quorate]") << id;
  EXPECT_EQ(d.store(1).value(), 0u);
  EXPECT_EQ(d.store(1).saves(), 0);
}

TEST(ExpectedVotesTracking, Ex30IntendedPersistenceWhenQuirkOff) {
  Quirks q;
  q.ev_tracking_never_persisted = false;
  RingDriver d(q);
  RunEx30Steps(d);
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "- 3/2/5/5 []") << id;
  EXPECT_EQ(d.store(1).value(), 5u);
}

}  // namespace
}  // namespace quorumsim::testing
