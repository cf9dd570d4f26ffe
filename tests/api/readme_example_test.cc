// The C++ example of README.md ("Using it from cluster software"), compiled and checked,
// so the example a user copies keeps working.
#include <corosync/votequorum.h>
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "api/cpp/binding.hpp"
#include "sim/cluster.h"

namespace {

// Stands for the user's cluster software: it only knows the votequorum API.
class MyLockManager {
 public:
  MyLockManager() {
    votequorum_callbacks_t cb = {};
    cb.votequorum_quorum_notify_fn = &MyLockManager::OnQuorum;
    cb.votequorum_nodelist_notify_fn = &MyLockManager::OnNodelist;
    EXPECT_EQ(votequorum_initialize(&handle_, &cb), CS_OK);
    EXPECT_EQ(votequorum_context_set(handle_, this), CS_OK);
    EXPECT_EQ(votequorum_trackstart(handle_, 0, CS_TRACK_CHANGES_ONLY), CS_OK);
  }
  ~MyLockManager() { votequorum_finalize(handle_); }
  void Poll() { EXPECT_EQ(votequorum_dispatch(handle_, CS_DISPATCH_ALL), CS_OK); }

  std::vector<char> events;  // 'N' nodelist, 'Q' quorate, 'q' inquorate
  std::vector<uint32_t> last_members;

 private:
  static MyLockManager* Self(votequorum_handle_t h) {
    void* ctx = nullptr;
    votequorum_context_get(h, &ctx);
    return static_cast<MyLockManager*>(ctx);
  }
  static void OnQuorum(votequorum_handle_t h, uint64_t, uint32_t quorate, uint32_t,
                       votequorum_node_t[]) {
    Self(h)->events.push_back(quorate ? 'Q' : 'q');
  }
  static void OnNodelist(votequorum_handle_t h, uint64_t, votequorum_ring_id_t, uint32_t n,
                         uint32_t ids[]) {
    Self(h)->events.push_back('N');
    Self(h)->last_members.assign(ids, ids + n);
  }
  votequorum_handle_t handle_ = 0;
};

TEST(ReadmeExample, LockManagerOnNodeOneSeesTheSplit) {
  std::unique_ptr<quorumsim::Cluster> cluster;
  ASSERT_TRUE(quorumsim::Cluster::FromConfFile("scenarios/three-node.conf", {}, &cluster).ok());
  ASSERT_TRUE(cluster->StartAll().ok());
  ASSERT_TRUE(cluster->Settle().ok());
  std::unique_ptr<MyLockManager> lm;
  {
    quorumsim::api::ScopedBinding on_node1(*cluster, 1);
    lm = std::make_unique<MyLockManager>();  // its votequorum_initialize talks to node 1
  }
  ASSERT_TRUE(cluster->Split({{1, 2}, {3}}).ok());
  ASSERT_TRUE(cluster->Settle().ok());
  lm->Poll();
  EXPECT_EQ(lm->events, (std::vector<char>{'N', 'Q'}));
  EXPECT_EQ(lm->last_members, (std::vector<uint32_t>{1, 2}));
}

}  // namespace
