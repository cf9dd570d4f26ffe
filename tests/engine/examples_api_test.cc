// Worked examples EX-47 .. EX-51 (library API, configuration errors, 8-bit threshold).
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "engine/engine.h"
#include "tests/engine/test_util.h"

namespace quorumsim::testing {
namespace {

constexpr ConnId kConn = 5;

TEST(Api, Ex47QdeviceCallSequence) {
  VotequorumConfig c = NodelistN(3);
  c.device_model = "net";
  RingDriver d;
  StartCluster(d, c, {1, 2, 3});
  const RingId cur = d.engine(1).ring_id();
  ASSERT_EQ(FormatRingId(cur), "1.8");
  const RingId stale{1, 4};
  auto on = [&](NodeId id, auto f) { return d.Call(id, f); };

  EXPECT_EQ(on(1, [&](Engine& e) { return e.QdevicePoll("QD", true, cur); }), CsError::kNotExist);
  EXPECT_EQ(on(1, [](Engine& e) { return e.QdeviceMasterWins("QD", true); }), CsError::kNotExist);
  EXPECT_EQ(on(1, [](Engine& e) { return e.QdeviceUnregister("QD"); }), CsError::kNotExist);
  EXPECT_EQ(on(1, [](Engine& e) { return e.QdeviceUpdate("QD", "QD2"); }), CsError::kNotExist);
  EXPECT_EQ(on(1, [](Engine& e) { return e.QdeviceRegister(kConn, ""); }), CsError::kInvalidParam);
  EXPECT_EQ(on(1, [](Engine& e) { return e.QdeviceRegister(kConn, std::string(299, 'x')); }),
            CsError::kInvalidParam);

  EXPECT_EQ(on(1, [](Engine& e) { return e.QdeviceRegister(kConn, "QD"); }), std::nullopt);
  EXPECT_EQ(d.register_reply(1, kConn), CsError::kOk);
  EXPECT_EQ(on(1, [](Engine& e) { return e.QdeviceRegister(kConn, "QD"); }), CsError::kOk);
  EXPECT_EQ(on(1, [](Engine& e) { return e.QdeviceRegister(kConn, "OTHER"); }), CsError::kExist);
  EXPECT_EQ(on(1, [&](Engine& e) { return e.QdevicePoll("QD", true, stale); }), CsError::kMessageError);
  EXPECT_EQ(on(1, [&](Engine& e) { return e.QdevicePoll("WRONG", true, stale); }), CsError::kMessageError);
  EXPECT_EQ(on(1, [&](Engine& e) { return e.QdevicePoll("WRONG", true, cur); }), CsError::kInvalidParam);
  EXPECT_EQ(on(1, [&](Engine& e) { return e.QdevicePoll("QD", true, cur); }), CsError::kOk);
  EXPECT_EQ(on(1, [](Engine& e) { return e.QdeviceMasterWins("XX", true); }), CsError::kInvalidParam);
  EXPECT_EQ(on(1, [](Engine& e) { return e.QdeviceUnregister("XX"); }), CsError::kInvalidParam);

  EXPECT_EQ(on(2, [](Engine& e) { return e.QdeviceRegister(kConn, "OTHER"); }), std::nullopt);
  EXPECT_EQ(d.register_reply(2, kConn), CsError::kExist);
  EXPECT_EQ(on(2, [](Engine& e) { return e.QdeviceRegister(kConn, "QD"); }), std::nullopt);
  EXPECT_EQ(d.register_reply(2, kConn), CsError::kOk);

  EXPECT_EQ(on(1, [](Engine& e) { return e.QdeviceUpdate("QD", "QD2"); }), CsError::kOk);
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(d.engine(id).qdevice_name(), "QD2") << id;
  EXPECT_EQ(on(1, [&](Engine& e) { return e.QdevicePoll("QD", true, cur); }), CsError::kInvalidParam);
  EXPECT_EQ(on(1, [&](Engine& e) { return e.QdevicePoll("QD2", true, cur); }), CsError::kOk);
  EXPECT_EQ(on(1, [](Engine& e) { return e.QdeviceUnregister("QD2"); }), CsError::kOk);
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(d.engine(id).qdevice_name(), "QD2") << id;  // node 2 still has it
}

TEST(Api, Ex48Tracking) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1, 2});
  constexpr ConnId kExtra = 7;
  auto extra = [&] {
    std::vector<std::string> out;
    for (const auto& cb : d.all_callbacks(1)) {
      if (cb.conn == kExtra) out.push_back(std::to_string(cb.context) + " " + cb.text);
    }
    return out;
  };
  Engine& e = d.engine(1);
  EXPECT_EQ(e.TrackStart(kExtra, 77, track_flags::kCurrent), CsError::kOk);
  EXPECT_EQ(extra(), (std::vector<std::string>{"77 NODELIST ring=1.8 nodes=1,2",
                                               "77 QUORUM quorate=1 nodes=2:M,1:M"}));
  EXPECT_EQ(e.TrackStop(kExtra), CsError::kNotExist);  // CURRENT alone does not register
  d.ClearLogs();
  EXPECT_EQ(e.TrackStart(kExtra, 78, track_flags::kChangesOnly), CsError::kOk);
  EXPECT_TRUE(extra().empty());
  EXPECT_EQ(e.TrackStart(kExtra, 79, track_flags::kCurrent), CsError::kExist);
  EXPECT_EQ(extra(), (std::vector<std::string>{"79 NODELIST ring=1.8 nodes=1,2",
                                               "79 QUORUM quorate=1 nodes=2:M,1:M"}));
  d.ClearLogs();
  d.Configure(3, NodelistN(3));
  Join(d, 3, {1, 2});
  EXPECT_EQ(extra(), (std::vector<std::string>{"78 NODELIST ring=1.c nodes=1,2,3",
                                               "78 QUORUM quorate=1 nodes=2:M,3:M,1:M"}));
  EXPECT_EQ(d.engine(1).TrackStop(kExtra), CsError::kOk);
  EXPECT_EQ(d.engine(1).TrackStart(kExtra, 80, 0), CsError::kOk);
  d.ClearLogs();
  d.Crash({3});
  EXPECT_TRUE(extra().empty());
}

TEST(Api, Ex49GetinfoVariants) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1, 2, 3});
  d.Crash({3});
  for (NodeId which : {0u, 1u}) {
    VoteInfo i;
    ASSERT_EQ(d.InfoStatus(1, which, &i), CsError::kOk);
    EXPECT_EQ(i.node_id, 1u);
    EXPECT_EQ(i.node_state, NodeState::kMember);
    EXPECT_EQ(i.node_votes, 1u);
    EXPECT_EQ(i.node_expected_votes, 3u);
    EXPECT_EQ(i.highest_expected, 3u);
    EXPECT_EQ(i.total_votes, 2u);
    EXPECT_EQ(i.quorum, 2u);
    EXPECT_EQ(i.flags, info_flags::kQuorate);
  }
  VoteInfo two;
  ASSERT_EQ(d.InfoStatus(1, 2, &two), CsError::kOk);
  EXPECT_EQ(two.node_id, 2u);
  EXPECT_EQ(two.node_state, NodeState::kMember);
  EXPECT_EQ(two.total_votes, 2u);
  EXPECT_EQ(two.quorum, 2u);
  VoteInfo three;
  ASSERT_EQ(d.InfoStatus(1, 3, &three), CsError::kOk);
  EXPECT_EQ(three.node_id, 3u);
  EXPECT_EQ(three.node_state, NodeState::kDead);
  EXPECT_EQ(three.node_votes, 1u);
  EXPECT_EQ(three.node_expected_votes, 3u);
  EXPECT_EQ(three.total_votes, 2u);
  EXPECT_EQ(three.quorum, 2u);
  EXPECT_EQ(three.flags, info_flags::kQuorate);  // the local verdict
  VoteInfo seven;
  EXPECT_EQ(d.InfoStatus(1, 7, &seven), CsError::kNotExist);
}

// EX-50: every start-up refusal, checked for the key and value it names.
struct ConfigErrorCase {
  const char* name;
  VotequorumConfig config;
  std::vector<std::string> mentions;
};

std::vector<ConfigErrorCase> Ex50Cases() {
  std::vector<ConfigErrorCase> cases;
  {
    VotequorumConfig c = Nodelist({2, 3});  // node 1 is not listed
    cases.push_back({"no nodelist entry and no expected_votes", c, {"quorum.expected_votes", "nodelist"}});
  }
  {
    VotequorumConfig c = NodelistN(2);
    c.two_node = 1;
    c.device_model = "net";
    cases.push_back({"two_node with device", c, {"quorum.two_node=1", "quorum.device.model=\"net\""}});
  }
  for (int which = 0; which < 3; ++which) {
    VotequorumConfig c = NodelistN(4);
    c.device_model = "net";
    std::string key;
    const char* names[] = {"device with last_man_standing", "device with auto_tie_breaker",
                           "device with allow_downscale"};
    if (which == 0) {
      c.last_man_standing = 1;
      key = "quorum.last_man_standing=1";
    } else if (which == 1) {
      c.auto_tie_breaker = 1;
      key = "quorum.auto_tie_breaker=1";
    } else {
      c.allow_downscale = 1;
      key = "quorum.allow_downscale=1";
    }
    cases.push_back({names[which], c, {key, "quorum.device.model=\"net\""}});
  }
  {
    VotequorumConfig c = NodelistN(3);
    c.device_model = "net";
    c.expected_votes = 3;
    cases.push_back({"device + expected_votes without device.votes", c,
                     {"quorum.device.votes", "quorum.expected_votes=3"}});
  }
  {
    VotequorumConfig c = NodelistN(3);
    c.device_model = "net";
    c.expected_votes = 3;
    c.device_votes = 2;
    cases.push_back({"device votes too high", c, {"quorum.device.votes=2", "quorum.expected_votes=3"}});
  }
  {
    VotequorumConfig c = NodelistVotes({{1, 2}, {2, 1}, {3, 1}});
    c.device_model = "net";
    cases.push_back({"unequal node votes without device.votes", c, {"quorum.device.votes", "quorum_votes"}});
  }
  {
    VotequorumConfig c = NodelistN(5);
    c.auto_tie_breaker = 1;
    c.last_man_standing = 1;
    cases.push_back({"ATB + LMS in an odd cluster", c,
                     {"quorum.auto_tie_breaker=1", "quorum.last_man_standing=1", "(5)"}});
  }
  return cases;
}

class Ex50StartupError : public ::testing::TestWithParam<int> {};

TEST_P(Ex50StartupError, RefusedNamingKeyAndValue) {
  const ConfigErrorCase tc = Ex50Cases()[GetParam()];
  RecordingOutput out;
  Engine e(1, tc.config, &out);
  const Status st = e.Start();
  ASSERT_EQ(st.code(), Status::Code::kInvalidConfig) << tc.name;
  for (const auto& m : tc.mentions) {
    EXPECT_NE(st.message().find(m), std::string::npos) << tc.name << ": " << st.message();
  }
  EXPECT_TRUE(out.events.empty()) << tc.name;  // corosync did not start: no NODEINFO, nothing
  VoteInfo i;
  EXPECT_EQ(e.GetInfo(0, &i), CsError::kLibrary);
}

INSTANTIATE_TEST_SUITE_P(Config, Ex50StartupError, ::testing::Range(0, static_cast<int>(Ex50Cases().size())),
                         [](const ::testing::TestParamInfo<int>& info) {
                           std::string n = Ex50Cases()[info.param].name;
                           for (char& ch : n) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n;
                         });

TEST(Config, Ex50DeviceWithExpectedVotesAndOneDeviceVoteIsAccepted) {
  VotequorumConfig c = NodelistN(3);
  c.device_model = "net";
  c.expected_votes = 3;
  c.device_votes = 1;
  RecordingOutput out;
  Engine e(1, c, &out);
  EXPECT_TRUE(e.Start().ok());
  EXPECT_EQ(out.broadcasts.size(), 1u);
}

TEST(Api, StartNotifiesQuorumServiceWhenAlreadyQuorate) {
  VotequorumConfig c = NodelistN(1);
  RecordingOutput out;
  Engine e(1, c, &out);
  ASSERT_TRUE(e.Start().ok());
  // Empty member list and a zero ring id, before the node's NODEINFO goes out.
  EXPECT_EQ(out.events, (std::vector<std::string>{"NOTIFY quorate=1 ring=0.0 n=0",
                                                  "BCAST NODEINFO id=1 votes=1 exp=1 flags=0x9"}));
}

TEST(Api, StartDoesNotNotifyWhenInquorate) {
  RecordingOutput out;
  Engine e(1, NodelistN(3), &out);
  ASSERT_TRUE(e.Start().ok());
  EXPECT_EQ(out.events, (std::vector<std::string>{"BCAST NODEINFO id=1 votes=1 exp=3 flags=0x8"}));
}

TEST(Api, NewestTrackerIsNotifiedFirst) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1});
  ASSERT_EQ(d.engine(1).TrackStart(20, 2, track_flags::kChangesOnly), CsError::kOk);
  ASSERT_EQ(d.engine(1).TrackStart(30, 3, track_flags::kChangesOnly), CsError::kOk);
  d.ClearLogs();
  d.Configure(2, NodelistN(3));
  Join(d, 2, {1});
  std::vector<ConnId> order;
  for (const auto& cb : d.all_callbacks(1)) {
    if (cb.text.rfind("NODELIST", 0) == 0) order.push_back(cb.conn);
  }
  // corosync adds trackers at the head of its list.
  EXPECT_EQ(order, (std::vector<ConnId>{30, 20, kTrackConn}));
}

TEST(Api, ConnectionClosedStopsTracking) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1});
  d.engine(1).ConnectionClosed(kTrackConn);
  EXPECT_EQ(d.engine(1).TrackStop(kTrackConn), CsError::kNotExist);
  d.ClearLogs();
  d.Configure(2, NodelistN(3));
  Join(d, 2, {1});
  EXPECT_TRUE(d.callbacks(1).empty());
}

struct Ex51Row {
  uint32_t votes;
  std::string all_up, alone, pair;
};

TEST(Threshold, Ex51EightBitThreshold) {
  for (const Ex51Row& row : {Ex51Row{100, "Q 151/300/300/300 [Quorate]", "- 151/100/300/300 []",
                                     "Q 151/200/300/300 [Quorate]"},
                             Ex51Row{200, "Q 45/600/600/600 [Quorate]", "Q 45/200/600/600 [Quorate]",
                                     "Q 45/400/600/600 [Quorate]"}}) {
    RingDriver d;
    StartCluster(d, NodelistVotes({{1, row.votes}, {2, row.votes}, {3, row.votes}}), {1, 2, 3});
    for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), row.all_up) << row.votes << " " << id;
    d.Partition({{1}, {2, 3}});
    EXPECT_EQ(State(d, 1), row.alone) << row.votes;
    for (NodeId id : {2, 3}) EXPECT_EQ(State(d, id), row.pair) << row.votes << " " << id;
  }
  VotequorumConfig c = NodelistN(3);
  c.expected_votes = 600;
  RingDriver d;
  StartCluster(d, c, {1, 2, 3});
  for (NodeId id : {1, 2, 3}) EXPECT_EQ(State(d, id), "- 45/3/600/600 []") << id;
}

TEST(Threshold, Ex51WithoutTheWrapQuirk) {
  Quirks q;
  q.quorum_threshold_wraps_at_256 = false;
  RingDriver d(q);
  StartCluster(d, NodelistVotes({{1, 200}, {2, 200}, {3, 200}}), {1, 2, 3});
  EXPECT_EQ(State(d, 1), "Q 301/600/600/600 [Quorate]");
  d.Partition({{1}, {2, 3}});
  EXPECT_EQ(State(d, 1), "- 301/200/600/600 []");
  EXPECT_EQ(State(d, 2), "Q 301/400/600/600 [Quorate]");
}

}  // namespace
}  // namespace quorumsim::testing
