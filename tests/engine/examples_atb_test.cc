// Worked examples EX-21 .. EX-26 (auto_tie_breaker) of the spec, §10.
#include <gtest/gtest.h>

#include "tests/engine/test_util.h"

namespace quorumsim::testing {
namespace {

VotequorumConfig Atb(NodeId n, std::optional<std::string> node = std::nullopt) {
  VotequorumConfig c = NodelistN(n);
  c.auto_tie_breaker = 1;
  c.auto_tie_breaker_node = std::move(node);
  return c;
}

constexpr const char* kQ = "Q 3/2/4/4 [Quorate AutoTieBreaker]";
constexpr const char* kNq = "- 3/2/4/4 [AutoTieBreaker]";

TEST(AutoTieBreaker, Ex21Lowest) {
  RingDriver d;
  StartCluster(d, Atb(4), {1, 2, 3, 4});
  d.Partition({{1, 2}, {3, 4}});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), kQ) << id;
  for (NodeId id : {3, 4}) EXPECT_EQ(State(d, id), kNq) << id;
}

TEST(AutoTieBreaker, Ex21Highest) {
  RingDriver d;
  StartCluster(d, Atb(4, "highest"), {1, 2, 3, 4});
  d.Partition({{1, 2}, {3, 4}});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), kNq) << id;
  for (NodeId id : {3, 4}) EXPECT_EQ(State(d, id), kQ) << id;
}

TEST(AutoTieBreaker, Ex22ListSplitOneTwoThreeFour) {
  RingDriver d;
  StartCluster(d, Atb(4, "3 1"), {1, 2, 3, 4});
  d.Partition({{1, 2}, {3, 4}});
  for (NodeId id : {3, 4}) EXPECT_EQ(State(d, id), kQ) << id;
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), kNq) << id;
}

TEST(AutoTieBreaker, Ex22ListSplitOneThreeTwoFour) {
  RingDriver d;
  StartCluster(d, Atb(4, "3 1"), {1, 2, 3, 4});
  d.Partition({{1, 3}, {2, 4}});
  for (NodeId id : {1, 3}) EXPECT_EQ(State(d, id), kQ) << id;
  for (NodeId id : {2, 4}) EXPECT_EQ(State(d, id), kNq) << id;
}

TEST(AutoTieBreaker, Ex22ListAfterFailureOfFirstListedNode) {
  RingDriver d;
  StartCluster(d, Atb(4, "3 1"), {1, 2, 3, 4});
  d.Crash({3});
  for (NodeId id : {1, 2, 4}) EXPECT_EQ(State(d, id), "Q 3/3/4/4 [Quorate AutoTieBreaker]") << id;
  d.Partition({{1, 2}, {4}});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), kQ) << id;
  EXPECT_EQ(State(d, 4), "- 3/1/4/4 [AutoTieBreaker]");
}

TEST(AutoTieBreaker, Ex23OddClusterWithoutWfaDisablesAtb) {
  RingDriver d;
  StartCluster(d, Atb(5), {1, 2, 3, 4, 5});
  for (NodeId id : {1, 2, 3, 4, 5}) EXPECT_EQ(State(d, id), "Q 3/5/5/5 [Quorate]") << id;
}

TEST(AutoTieBreaker, Ex23OddClusterWithLmsRefusesToStart) {
  VotequorumConfig c = Atb(5);
  c.last_man_standing = 1;
  RingDriver d;
  d.Configure(1, c);
  const Status st = d.Start(1);
  EXPECT_EQ(st.code(), Status::Code::kInvalidConfig);
  EXPECT_NE(st.message().find("quorum.auto_tie_breaker=1"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("quorum.last_man_standing=1"), std::string::npos) << st.message();
  EXPECT_FALSE(d.is_up(1));
}

TEST(AutoTieBreaker, Ex23OddClusterWithWfa) {
  VotequorumConfig c = Atb(5);
  c.wait_for_all = 1;
  RingDriver d;
  StartCluster(d, c, {1, 2, 3, 4, 5});
  d.Partition({{1, 2}, {3, 4, 5}});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "- 3/2/5/5 [WaitForAll AutoTieBreaker]") << id;
  for (NodeId id : {3, 4, 5}) {
    EXPECT_EQ(State(d, id), "Q 3/3/5/5 [Quorate WaitForAll AutoTieBreaker]") << id;
  }
  d.FormRing({1, 2, 3, 4, 5});
  d.Crash({5});
  d.Partition({{1, 2}, {3, 4}});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), "Q 3/2/5/5 [Quorate WaitForAll AutoTieBreaker]") << id;
  for (NodeId id : {3, 4}) EXPECT_EQ(State(d, id), "- 3/2/5/5 [WaitForAll AutoTieBreaker]") << id;
}

TEST(AutoTieBreaker, Ex24NoHelpAfterPriorLoss) {
  RingDriver d;
  StartCluster(d, Atb(4), {1, 2, 3, 4});
  d.Crash({4});
  d.Partition({{1}, {2, 3}});
  EXPECT_EQ(State(d, 1), "- 3/1/4/4 [AutoTieBreaker]");
  for (NodeId id : {2, 3}) EXPECT_EQ(State(d, id), kNq) << id;
}

TEST(AutoTieBreaker, Ex25ColdStartListMode) {
  RingDriver d;
  StartCluster(d, Atb(4, "1"), {1, 2});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), kQ) << id;
}

TEST(AutoTieBreaker, Ex25ColdStartLowestNeedsHistory) {
  RingDriver d;
  StartCluster(d, Atb(4), {1, 2});
  for (NodeId id : {1, 2}) EXPECT_EQ(State(d, id), kNq) << id;
}

TEST(AutoTieBreaker, Ex26InvalidNodeStringDisablesAtb) {
  for (const char* word : {"first", "0 1"}) {
    RingDriver d;
    StartCluster(d, Atb(4, word), {1, 2, 3, 4});
    for (NodeId id : {1, 2, 3, 4}) EXPECT_EQ(State(d, id), "Q 3/4/4/4 [Quorate]") << word << " " << id;
    d.Partition({{1, 2}, {3, 4}});
    for (NodeId id : {1, 2, 3, 4}) EXPECT_EQ(State(d, id), "- 3/2/4/4 []") << word << " " << id;
  }
}

}  // namespace
}  // namespace quorumsim::testing
