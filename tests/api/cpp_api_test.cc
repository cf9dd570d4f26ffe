// The C++ API (api/cpp/votequorum.hpp): the same operations as the C API, as values.
#include "api/cpp/votequorum.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/cpp/binding.hpp"
#include "tests/api/test_util.h"

namespace quorumsim::api::testing {
namespace {

namespace vq = quorumsim::votequorum;

TEST(CppApiTest, EveryOperation) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  ScopedBinding bind(*cluster, 1);

  std::vector<std::string> seen;
  vq::RingId ring;
  vq::Callbacks cb;
  cb.nodelist = [&](vq::Handle&, uint64_t ctx, vq::RingId r, std::span<const vq::NodeId> members) {
    ring = r;
    seen.push_back("nodelist " + std::to_string(ctx) + " " + std::to_string(members.size()));
  };
  cb.quorum = [&](vq::Handle& h, uint64_t ctx, bool quorate, std::span<const vq::Node> nodes) {
    seen.push_back("quorum " + std::to_string(ctx) + " " + std::to_string(quorate) + " " +
                   std::to_string(nodes.size()));
    EXPECT_TRUE(h.GetInfo().ok()) << "calls from inside a callback";
  };
  cb.expected_votes = [&](vq::Handle&, uint64_t ctx, uint32_t e) {
    seen.push_back("expected " + std::to_string(ctx) + " " + std::to_string(e));
  };
  vq::Result<vq::Handle> h = vq::Handle::Initialize(std::move(cb));
  ASSERT_TRUE(h.ok()) << vq::ErrorName(h.error());

  vq::Result<vq::NodeInfo> info = h->GetInfo(vq::LocalNode());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->node_id, vq::NodeId{1});
  EXPECT_EQ(info->state, vq::NodeState::kMember);
  EXPECT_EQ(info->quorum, 2u);
  EXPECT_TRUE(info->flags.has(vq::NodeInfoFlags::kQuorate));
  EXPECT_EQ(h->GetInfo(vq::NodeId{42}).error(), CS_ERR_NOT_EXIST);

  vq::Result<int> fd = h->FdGet();
  ASSERT_TRUE(fd.ok());
  EXPECT_GE(fd.value(), 0);

  EXPECT_EQ(h->ContextGet().value(), nullptr);
  int token = 0;
  EXPECT_TRUE(h->ContextSet(&token).ok());
  EXPECT_EQ(h->ContextGet().value(), &token);

  EXPECT_TRUE(h->TrackStart(7, vq::TrackFlags::kChanges).ok());
  EXPECT_TRUE(h->Dispatch(vq::DispatchFlags::kAll).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"nodelist 7 3", "quorum 7 1 3"}));
  EXPECT_EQ(ring.node_id, vq::NodeId{1});
  seen.clear();

  EXPECT_EQ(h->SetExpected(1).error(), CS_ERR_INVALID_PARAM);
  EXPECT_TRUE(h->SetExpected(4).ok());
  EXPECT_TRUE(h->SetVotes(vq::NodeId{1}, 2).ok());
  EXPECT_EQ(h->SetVotes(vq::NodeId{9}, 1).error(), CS_ERR_NAME_NOT_FOUND);
  EXPECT_TRUE(h->Dispatch(vq::DispatchFlags::kAll).ok());
  EXPECT_EQ(seen.front(), "expected 7 4");

  EXPECT_TRUE(h->QdeviceRegister("QD").ok());
  EXPECT_EQ(h->QdevicePoll("QD", true, vq::RingId{ring.node_id, ring.seq - 4}).error(),
            CS_ERR_MESSAGE_ERROR);
  EXPECT_TRUE(h->QdevicePoll("QD", true, ring).ok());
  EXPECT_TRUE(h->QdeviceMasterWins("QD", true).ok());
  EXPECT_TRUE(h->GetInfo()->flags.has(vq::NodeInfoFlags::kQdeviceMasterWins));
  EXPECT_TRUE(h->QdeviceUpdate("QD", "QD2").ok());
  EXPECT_EQ(h->GetInfo()->qdevice_name, "QD2");
  EXPECT_EQ(h->QdeviceUnregister("QD").error(), CS_ERR_INVALID_PARAM);
  EXPECT_TRUE(h->QdeviceUnregister("QD2").ok());
  EXPECT_EQ(h->QdeviceRegister("").error(), CS_ERR_INVALID_PARAM);

  EXPECT_TRUE(h->TrackStop().ok());
  EXPECT_EQ(h->TrackStop().error(), CS_ERR_NOT_EXIST);

  // RAII: moving keeps one live connection; Finalize twice is BAD_HANDLE as in C.
  vq::Handle moved = std::move(h.value());
  EXPECT_TRUE(moved.GetInfo().ok());
  EXPECT_TRUE(moved.Finalize().ok());
  EXPECT_EQ(moved.Finalize().error(), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(moved.GetInfo().error(), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(moved.Dispatch(vq::DispatchFlags::kAll).error(), CS_ERR_BAD_HANDLE);
}

TEST(CppApiTest, DestructorFinalizes) {
  auto cluster = StartCluster(2);
  ASSERT_NE(cluster, nullptr);
  ScopedBinding bind(*cluster, 2);
  votequorum_handle_t raw = 0;
  {
    vq::Result<vq::Handle> h = vq::Handle::Initialize();
    ASSERT_TRUE(h.ok());
    raw = h->raw();
    EXPECT_EQ(h->GetInfo()->node_id, vq::NodeId{2});
  }
  void* ctx;
  EXPECT_EQ(votequorum_context_get(raw, &ctx), CS_ERR_BAD_HANDLE);
  EXPECT_STREQ(vq::ErrorName(CS_ERR_MESSAGE_ERROR), "CS_ERR_MESSAGE_ERROR");
}

}  // namespace
}  // namespace quorumsim::api::testing
