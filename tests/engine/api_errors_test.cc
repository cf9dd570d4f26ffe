// One test per error code the engine's library side returns (spec §6).
#include <gtest/gtest.h>

#include "engine/engine.h"
#include "tests/engine/test_util.h"

namespace quorumsim::testing {
namespace {

TEST(ApiError, OkFromGetinfo) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1});
  VoteInfo i;
  EXPECT_EQ(d.InfoStatus(1, 0, &i), CsError::kOk);
  EXPECT_EQ(i.node_id, 1u);
}

TEST(ApiError, LibraryBeforeStartAndAfterFailedStart) {
  RecordingOutput out;
  Engine e(1, NodelistN(3), &out);
  VoteInfo i;
  EXPECT_EQ(e.GetInfo(0, &i), CsError::kLibrary);
  EXPECT_EQ(e.SetExpected(3), CsError::kLibrary);
  Engine bad(1, VotequorumConfig{}, &out);
  EXPECT_FALSE(bad.Start().ok());
  EXPECT_EQ(bad.GetInfo(0, &i), CsError::kLibrary);
  EXPECT_EQ(bad.TrackStart(1, 0, track_flags::kChanges), CsError::kLibrary);
}

TEST(ApiError, InvalidParamFromSetExpected) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1, 2});
  EXPECT_EQ(d.SetExpected(1, 0), CsError::kInvalidParam);  // below the present votes
  EXPECT_EQ(d.SetExpected(1, 1), CsError::kInvalidParam);
  EXPECT_EQ(d.SetExpected(1, 4), CsError::kInvalidParam);  // quorate: threshold 3 > 2 votes
}

TEST(ApiError, InvalidParamFromSetVotes) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1, 2});
  EXPECT_EQ(d.SetVotes(1, 2, 0), CsError::kInvalidParam);
  EXPECT_EQ(d.Info(1, 2).node_votes, 1u);  // restored after the refusal
}

TEST(ApiError, NameNotFoundFromSetVotes) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1});
  EXPECT_EQ(d.SetVotes(1, 42, 1), CsError::kNameNotFound);
}

TEST(ApiError, NotExistFromGetinfoTrackstopAndQdevice) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1});
  VoteInfo i;
  EXPECT_EQ(d.InfoStatus(1, 2, &i), CsError::kNotExist);
  EXPECT_EQ(d.engine(1).TrackStop(99), CsError::kNotExist);
  EXPECT_EQ(d.engine(1).QdeviceUnregister("QD"), CsError::kNotExist);
}

TEST(ApiError, ExistFromTrackstartAndQdeviceRegister) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1});
  EXPECT_EQ(d.engine(1).TrackStart(kTrackConn, 0, track_flags::kChanges), CsError::kExist);
  ASSERT_EQ(d.QdeviceStart(1, "QD", true), CsError::kOk);
  EXPECT_EQ(d.Call(1, [](Engine& e) { return e.QdeviceRegister(9, "OTHER"); }), CsError::kExist);
}

TEST(ApiError, TryAgainWhileRegistrationPending) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1});
  Engine& e = d.engine(1);
  EXPECT_EQ(e.QdeviceRegister(9, "QD"), std::nullopt);  // not delivered yet
  EXPECT_EQ(e.QdeviceRegister(10, "QD"), CsError::kTryAgain);
  d.Call(1, [](Engine&) { return 0; });
  EXPECT_EQ(d.register_reply(1, 9), CsError::kOk);
  EXPECT_EQ(d.register_reply(1, 10), std::nullopt);
}

TEST(ApiError, AccessWhenDeviceDisabledByConfiguration) {
  VotequorumConfig c = NodelistN(2);
  c.device_model = "net";
  RingDriver d;
  StartCluster(d, c, {1, 2});
  c.two_node = 1;  // incompatible at runtime: device operations are switched off
  ASSERT_TRUE(d.Call(1, [&](Engine& e) { return e.Reload(c); }).ok());
  Engine& e = d.engine(1);
  EXPECT_EQ(e.QdeviceRegister(9, "QD"), CsError::kAccess);
  EXPECT_EQ(e.QdevicePoll("QD", true, e.ring_id()), CsError::kAccess);
  EXPECT_EQ(e.QdeviceMasterWins("QD", true), CsError::kAccess);
  EXPECT_EQ(e.QdeviceUnregister("QD"), CsError::kNotExist);  // unregister has no such check
}

TEST(ApiError, MessageErrorFromPollWithStaleRing) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1});
  ASSERT_EQ(d.QdeviceStart(1, "QD", true), CsError::kOk);
  EXPECT_EQ(d.engine(1).QdevicePoll("QD", true, RingId{1, 0}), CsError::kMessageError);
  EXPECT_EQ(d.engine(1).QdevicePoll("QD", true, RingId{2, d.engine(1).ring_id().seq}),
            CsError::kMessageError);  // the representative is compared too
}

TEST(ApiError, InvalidParamFromQdeviceNames) {
  RingDriver d;
  StartCluster(d, NodelistN(3), {1});
  Engine& e = d.engine(1);
  EXPECT_EQ(e.QdeviceRegister(9, std::string(255, 'a')), CsError::kInvalidParam);
  EXPECT_EQ(d.Call(1, [](Engine& en) { return en.QdeviceRegister(9, std::string(254, 'a')); }), std::nullopt);
  EXPECT_EQ(d.register_reply(1, 9), CsError::kOk);
  EXPECT_EQ(e.QdeviceUpdate("nope", "x"), CsError::kInvalidParam);
}

}  // namespace
}  // namespace quorumsim::testing
