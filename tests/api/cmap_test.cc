// libcmap on simulated nodes, one test per function (check_api_coverage.sh), and the
// runtime keys following the cluster.
#include <corosync/cmap.h>
#include <gtest/gtest.h>
#include <poll.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "api/cpp/binding.hpp"
#include "tests/api/test_util.h"

namespace quorumsim::api::testing {
namespace {

class CmapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = StartCluster(3);
    ASSERT_NE(cluster_, nullptr);
    ScopedBinding bind(*cluster_, 1);
    ASSERT_EQ(cmap_initialize(&h_), CS_OK);
  }
  void TearDown() override { (void)cmap_finalize(h_); }
  std::unique_ptr<Cluster> cluster_;
  cmap_handle_t h_ = 0;
};

std::vector<std::string>& Changes() {
  static std::vector<std::string> changes;
  return changes;
}
void OnChange(cmap_handle_t, cmap_track_handle_t, int32_t event, const char* key,
              cmap_notify_value nv, cmap_notify_value ov, void* user) {
  std::string line = std::string(static_cast<const char*>(user)) + " " + std::to_string(event) +
                     " " + key;
  if (nv.type == CMAP_VALUETYPE_STRING) line += " new=" + std::string(static_cast<const char*>(nv.data));
  if (ov.type == CMAP_VALUETYPE_STRING) line += " old=" + std::string(static_cast<const char*>(ov.data));
  Changes().push_back(line);
}

TEST_F(CmapTest, cmap_initialize) {
  cmap_handle_t other = 0;
  EXPECT_EQ(cmap_initialize(nullptr), CS_ERR_INVALID_PARAM);
  {
    ScopedBinding bind(*cluster_, 2);
    ASSERT_EQ(cmap_initialize(&other), CS_OK);
  }
  uint32_t id = 0;
  ASSERT_EQ(cmap_get_uint32(other, "runtime.votequorum.this_node_id", &id), CS_OK);
  EXPECT_EQ(id, 2u);
  EXPECT_EQ(cmap_finalize(other), CS_OK);
  ASSERT_TRUE(cluster_->Crash(std::vector<NodeId>{3}).ok());
  ScopedBinding bind(*cluster_, 3);
  EXPECT_EQ(cmap_initialize(&other), CS_ERR_LIBRARY);  // no daemon on a crashed node
}

TEST_F(CmapTest, cmap_initialize_map) {
  cmap_handle_t other = 0;
  ScopedBinding bind(*cluster_, 1);
  ASSERT_EQ(cmap_initialize_map(&other, CMAP_MAP_ICMAP), CS_OK);
  EXPECT_EQ(cmap_finalize(other), CS_OK);
  EXPECT_EQ(cmap_initialize_map(&other, CMAP_MAP_STATS), CS_ERR_NOT_SUPPORTED);
}

TEST_F(CmapTest, cmap_finalize) {
  EXPECT_EQ(cmap_finalize(h_), CS_OK);
  EXPECT_EQ(cmap_finalize(h_), CS_ERR_BAD_HANDLE);
  uint32_t v;
  EXPECT_EQ(cmap_get_uint32(h_, "runtime.votequorum.this_node_id", &v), CS_ERR_BAD_HANDLE);
}

TEST_F(CmapTest, cmap_fd_get) {
  int fd = -1;
  EXPECT_EQ(cmap_fd_get(h_, nullptr), CS_ERR_INVALID_PARAM);
  ASSERT_EQ(cmap_fd_get(h_, &fd), CS_OK);
  pollfd p{fd, POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, 0), 0);
  cmap_track_handle_t t;
  ASSERT_EQ(cmap_track_add(h_, "a.b.c", CMAP_TRACK_ADD, OnChange, const_cast<char*>("fd"), &t), CS_OK);
  ASSERT_EQ(cmap_set_uint8(h_, "a.b.c", 1), CS_OK);
  EXPECT_EQ(poll(&p, 1, 0), 1);
  ASSERT_EQ(cmap_dispatch(h_, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(poll(&p, 1, 0), 0);
  Changes().clear();
}

TEST_F(CmapTest, cmap_dispatch) {
  EXPECT_EQ(cmap_dispatch(h_, static_cast<cs_dispatch_flags_t>(9)), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(cmap_dispatch(h_, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(cmap_dispatch(h_, CS_DISPATCH_ONE_NONBLOCKING), CS_ERR_TRY_AGAIN);
  EXPECT_EQ(cmap_dispatch(h_ + 99, CS_DISPATCH_ALL), CS_ERR_BAD_HANDLE);
}

TEST_F(CmapTest, cmap_context_get) {
  const void* ctx = &ctx;
  EXPECT_EQ(cmap_context_get(h_, nullptr), CS_ERR_INVALID_PARAM);
  ASSERT_EQ(cmap_context_get(h_, &ctx), CS_OK);
  EXPECT_EQ(ctx, nullptr);
}

TEST_F(CmapTest, cmap_context_set) {
  int marker = 0;
  const void* ctx = nullptr;
  ASSERT_EQ(cmap_context_set(h_, &marker), CS_OK);
  ASSERT_EQ(cmap_context_get(h_, &ctx), CS_OK);
  EXPECT_EQ(ctx, &marker);
  EXPECT_EQ(cmap_context_set(h_ + 99, &marker), CS_ERR_BAD_HANDLE);
}

TEST_F(CmapTest, cmap_set) {
  EXPECT_EQ(cmap_set(h_, "test.bin", "\x01\x00\x02", 3, CMAP_VALUETYPE_BINARY), CS_OK);
  char buf[8];
  size_t len = sizeof buf;
  cmap_value_types_t type;
  ASSERT_EQ(cmap_get(h_, "test.bin", buf, &len, &type), CS_OK);
  EXPECT_EQ(len, 3u);
  EXPECT_EQ(type, CMAP_VALUETYPE_BINARY);
  EXPECT_EQ(cmap_set(h_, "test.u32", "abc", 3, CMAP_VALUETYPE_UINT32), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(cmap_set(h_, nullptr, "abc", 3, CMAP_VALUETYPE_STRING), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(cmap_set(h_, "nodelist.node.0.nodeid", "abcd", 4, CMAP_VALUETYPE_UINT32), CS_ERR_ACCESS);
  EXPECT_EQ(cmap_set(h_, "x", "abcd", 4, CMAP_VALUETYPE_UINT32), CS_ERR_NAME_TOO_LONG);
  std::string long_key(300, 'k');
  EXPECT_EQ(cmap_set(h_, long_key.c_str(), "abcd", 4, CMAP_VALUETYPE_UINT32), CS_ERR_NAME_TOO_LONG);
}

// One test each for the typed setters and getters: every width round-trips, and a getter
// of another type refuses.
#define QS_TYPED(suffix, ctype, value)                                       \
  TEST_F(CmapTest, cmap_set_##suffix) {                                      \
    ASSERT_EQ(cmap_set_##suffix(h_, "test." #suffix, value), CS_OK);         \
    ctype got{};                                                             \
    ASSERT_EQ(cmap_get_##suffix(h_, "test." #suffix, &got), CS_OK);          \
    EXPECT_EQ(got, value);                                                   \
  }                                                                          \
  TEST_F(CmapTest, cmap_get_##suffix) {                                      \
    ctype got{};                                                             \
    EXPECT_EQ(cmap_get_##suffix(h_, "test.none", &got), CS_ERR_NOT_EXIST);   \
    EXPECT_EQ(cmap_get_##suffix(h_, "totem.cluster_name", &got), CS_ERR_INVALID_PARAM); \
    EXPECT_EQ(cmap_get_##suffix(h_, "test.none", nullptr), CS_ERR_INVALID_PARAM); \
  }
QS_TYPED(int8, int8_t, int8_t{-5})
QS_TYPED(uint8, uint8_t, uint8_t{250})
QS_TYPED(int16, int16_t, int16_t{-3000})
QS_TYPED(uint16, uint16_t, uint16_t{60000})
QS_TYPED(int32, int32_t, int32_t{-70000})
QS_TYPED(uint32, uint32_t, uint32_t{4000000000u})
QS_TYPED(int64, int64_t, int64_t{-5000000000})
QS_TYPED(uint64, uint64_t, uint64_t{9000000000u})
QS_TYPED(float, float, 1.5f)
QS_TYPED(double, double, -2.25)
#undef QS_TYPED

TEST_F(CmapTest, cmap_set_string) {
  ASSERT_EQ(cmap_set_string(h_, "test.str", "hello"), CS_OK);
  char* s = nullptr;
  ASSERT_EQ(cmap_get_string(h_, "test.str", &s), CS_OK);
  EXPECT_STREQ(s, "hello");
  std::free(s);
  EXPECT_EQ(cmap_set_string(h_, "test.str", nullptr), CS_ERR_INVALID_PARAM);
}

TEST_F(CmapTest, cmap_get_string) {
  char* s = nullptr;
  ASSERT_EQ(cmap_get_string(h_, "totem.cluster_name", &s), CS_OK);
  EXPECT_STREQ(s, "apitest");
  std::free(s);
  EXPECT_EQ(cmap_get_string(h_, "runtime.votequorum.this_node_id", &s), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(cmap_get_string(h_, "no.such.key", &s), CS_ERR_NOT_EXIST);
}

TEST_F(CmapTest, cmap_get) {
  size_t len = 0;
  cmap_value_types_t type;
  ASSERT_EQ(cmap_get(h_, "totem.cluster_name", nullptr, &len, &type), CS_OK);
  EXPECT_EQ(len, 8u);  // "apitest" and its NUL
  EXPECT_EQ(type, CMAP_VALUETYPE_STRING);
  char small[2];
  len = sizeof small;
  EXPECT_EQ(cmap_get(h_, "totem.cluster_name", small, &len, &type), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(cmap_get(h_, "totem.cluster_name", small, nullptr, &type), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(cmap_get(h_, nullptr, nullptr, &len, &type), CS_ERR_INVALID_PARAM);
}

TEST_F(CmapTest, cmap_delete) {
  ASSERT_EQ(cmap_set_uint8(h_, "test.d", 1), CS_OK);
  EXPECT_EQ(cmap_delete(h_, "test.d"), CS_OK);
  EXPECT_EQ(cmap_delete(h_, "test.d"), CS_ERR_NOT_EXIST);
  EXPECT_EQ(cmap_delete(h_, "nodelist.local_node_pos"), CS_ERR_ACCESS);
}

TEST_F(CmapTest, cmap_inc) {
  ASSERT_EQ(cmap_set_uint8(h_, "test.i", 255), CS_OK);
  ASSERT_EQ(cmap_inc(h_, "test.i"), CS_OK);
  uint8_t v = 1;
  ASSERT_EQ(cmap_get_uint8(h_, "test.i", &v), CS_OK);
  EXPECT_EQ(v, 0u);  // wraps in its own width
  ASSERT_EQ(cmap_set_string(h_, "test.s", "x"), CS_OK);
  EXPECT_EQ(cmap_inc(h_, "test.s"), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(cmap_inc(h_, "totem.cluster_name"), CS_ERR_ACCESS);  // read-only comes first
  EXPECT_EQ(cmap_inc(h_, "test.none"), CS_ERR_NOT_EXIST);
}

TEST_F(CmapTest, cmap_dec) {
  ASSERT_EQ(cmap_set_int32(h_, "test.d", 0), CS_OK);
  ASSERT_EQ(cmap_dec(h_, "test.d"), CS_OK);
  int32_t v = 0;
  ASSERT_EQ(cmap_get_int32(h_, "test.d", &v), CS_OK);
  EXPECT_EQ(v, -1);
  EXPECT_EQ(cmap_dec(h_, "runtime.config.totem.token"), CS_ERR_ACCESS);
}

TEST_F(CmapTest, cmap_iter_init) {
  cmap_iter_handle_t it = 0;
  EXPECT_EQ(cmap_iter_init(h_, "nodelist.", nullptr), CS_ERR_INVALID_PARAM);
  ASSERT_EQ(cmap_iter_init(h_, nullptr, &it), CS_OK);  // no prefix: every key
  char key[CMAP_KEYNAME_MAXLEN + 1];
  int n = 0;
  while (cmap_iter_next(h_, it, key, nullptr, nullptr) == CS_OK) ++n;
  EXPECT_GT(n, 20);
  EXPECT_EQ(cmap_iter_finalize(h_, it), CS_OK);
}

TEST_F(CmapTest, cmap_iter_next) {
  cmap_iter_handle_t it = 0;
  ASSERT_EQ(cmap_iter_init(h_, "nodelist.node.", &it), CS_OK);
  char key[CMAP_KEYNAME_MAXLEN + 1];
  size_t len = 0;
  cmap_value_types_t type;
  std::vector<std::string> keys;
  while (cmap_iter_next(h_, it, key, &len, &type) == CS_OK) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "nodelist.node.0.nodeid", "nodelist.node.0.ring0_addr",
                      "nodelist.node.1.nodeid", "nodelist.node.1.ring0_addr",
                      "nodelist.node.2.nodeid", "nodelist.node.2.ring0_addr"}));
  EXPECT_EQ(cmap_iter_next(h_, it, key, &len, &type), CS_ERR_NO_SECTIONS);
  EXPECT_EQ(cmap_iter_next(h_, it + 99, key, &len, &type), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(cmap_iter_next(h_, it, nullptr, &len, &type), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(cmap_iter_finalize(h_, it), CS_OK);
}

TEST_F(CmapTest, cmap_iter_finalize) {
  cmap_iter_handle_t it = 0;
  ASSERT_EQ(cmap_iter_init(h_, "totem.", &it), CS_OK);
  EXPECT_EQ(cmap_iter_finalize(h_, it), CS_OK);
  EXPECT_EQ(cmap_iter_finalize(h_, it), CS_ERR_BAD_HANDLE);
}

// Runtime keys follow the cluster and tracking reports them as they change.
TEST_F(CmapTest, cmap_track_add) {
  Changes().clear();
  cmap_track_handle_t t = 0;
  ASSERT_EQ(cmap_track_add(h_, "runtime.members.", CMAP_TRACK_MODIFY | CMAP_TRACK_PREFIX,
                           OnChange, const_cast<char*>("m"), &t), CS_OK);
  ASSERT_TRUE(cluster_->Split({{1, 2}, {3}}).ok());
  ASSERT_TRUE(cluster_->Settle().ok());
  ASSERT_EQ(cmap_dispatch(h_, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(Changes(), (std::vector<std::string>{
                           "m 2 runtime.members.3.status new=left old=joined"}));
  Changes().clear();
  char* s = nullptr;
  ASSERT_EQ(cmap_get_string(h_, "runtime.members.3.status", &s), CS_OK);
  EXPECT_STREQ(s, "left");
  std::free(s);
  EXPECT_EQ(cmap_track_add(h_, "x.y.z", 0, OnChange, nullptr, &t), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(cmap_track_add(h_, "x.y.z", CMAP_TRACK_ADD, OnChange, nullptr, nullptr),
            CS_ERR_INVALID_PARAM);
}

TEST_F(CmapTest, cmap_track_delete) {
  Changes().clear();
  cmap_track_handle_t t = 0;
  ASSERT_EQ(cmap_track_add(h_, "test.t", CMAP_TRACK_ADD | CMAP_TRACK_DELETE, OnChange,
                           const_cast<char*>("t"), &t), CS_OK);
  ASSERT_EQ(cmap_set_string(h_, "test.t", "a"), CS_OK);
  ASSERT_EQ(cmap_delete(h_, "test.t"), CS_OK);
  ASSERT_EQ(cmap_dispatch(h_, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(Changes(), (std::vector<std::string>{"t 4 test.t new=a", "t 1 test.t old=a"}));
  // After track_delete nothing more arrives; like corosync's library, a change queued
  // before the delete but dispatched after it is dropped too.
  ASSERT_EQ(cmap_set_string(h_, "test.t", "b"), CS_OK);
  ASSERT_EQ(cmap_track_delete(h_, t), CS_OK);
  ASSERT_EQ(cmap_set_string(h_, "test.t", "c"), CS_OK);
  ASSERT_EQ(cmap_dispatch(h_, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(Changes().size(), 2u);
  EXPECT_EQ(cmap_track_delete(h_, t), CS_ERR_BAD_HANDLE);
  Changes().clear();
}

}  // namespace
}  // namespace quorumsim::api::testing

namespace quorumsim::api::testing {
namespace {

// `corosync-cmapctl -s quorum.cancel_wait_for_all u8 1` (pcs's "quorum unblock"): votequorum
// resets the key to 0 and the waiting partition becomes quorate.
TEST(CmapVotequorumTest, CancelWaitForAllThroughTheMap) {
  std::unique_ptr<Cluster> cluster;
  ASSERT_TRUE(Cluster::FromConfText(ConfText(3, "    wait_for_all: 1\n"), "wfa.conf",
                                    ClusterOptions{}, &cluster)
                  .ok());
  ASSERT_TRUE(cluster->Up(std::vector<NodeId>{1, 2}).ok());
  ASSERT_TRUE(cluster->Settle().ok());
  ASSERT_FALSE(cluster->Node(1).quorate);  // still waiting for node 3
  ScopedBinding bind(*cluster, 1);
  cmap_handle_t h = 0;
  ASSERT_EQ(cmap_initialize(&h), CS_OK);
  uint8_t status = 9;
  ASSERT_EQ(cmap_get_uint8(h, "runtime.votequorum.wait_for_all_status", &status), CS_OK);
  EXPECT_EQ(status, 1u);
  ASSERT_EQ(cmap_set_uint8(h, "quorum.cancel_wait_for_all", 1), CS_OK);
  ASSERT_TRUE(cluster->Settle().ok());
  EXPECT_TRUE(cluster->Node(1).quorate);
  EXPECT_TRUE(cluster->Node(2).quorate);
  uint8_t cancel = 9;
  ASSERT_EQ(cmap_get_uint8(h, "quorum.cancel_wait_for_all", &cancel), CS_OK);
  EXPECT_EQ(cancel, 0u);
  ASSERT_EQ(cmap_get_uint8(h, "runtime.votequorum.wait_for_all_status", &status), CS_OK);
  EXPECT_EQ(status, 0u);
  // votequorum's options that cannot change at run time are read-only.
  EXPECT_EQ(cmap_set_uint8(h, "quorum.wait_for_all", 0), CS_ERR_ACCESS);
  EXPECT_EQ(cmap_set_uint8(h, "quorum.auto_tie_breaker", 1), CS_ERR_ACCESS);
  EXPECT_EQ(cmap_finalize(h), CS_OK);
}

}  // namespace
}  // namespace quorumsim::api::testing
