// ConnTable (sim/internal/conn_table.h): closed slots are reused, ids are never repeated.
#include "sim/internal/conn_table.h"

#include <set>

#include "gtest/gtest.h"

namespace quorumsim::internal {
namespace {

TEST(ConnTable, OpenCloseCyclesReuseOneSlot) {
  ConnTable t;
  ConnId keep = t.Add(Conn{1, 0, nullptr, false});  // a long-lived connection
  std::set<ConnId> seen{keep};
  ConnId last = 0;
  for (int i = 0; i < 100000; ++i) {
    ConnId id = t.Add(Conn{2, 0, nullptr, false});
    ASSERT_TRUE(seen.insert(id).second) << "id " << id << " handed out twice";
    ASSERT_NE(t.Find(id), nullptr);
    t.Erase(id);
    EXPECT_EQ(t.Find(id), nullptr);
    last = id;
  }
  EXPECT_EQ(t.slot_count(), 2u);
  ASSERT_NE(t.Find(keep), nullptr);
  EXPECT_EQ(t.Find(keep)->node, 1u);
  // A stale id does not find the connection that now uses its slot.
  ConnId fresh = t.Add(Conn{3, 0, nullptr, false});
  EXPECT_NE(fresh, last);
  EXPECT_EQ(fresh & 0xffffffffu, last & 0xffffffffu);
  EXPECT_EQ(t.Find(last), nullptr);
  EXPECT_EQ(t.Find(fresh)->node, 3u);
  t.Erase(last);  // erasing a stale id changes nothing
  EXPECT_NE(t.Find(fresh), nullptr);
  EXPECT_EQ(t.Find(0), nullptr);
  EXPECT_EQ(t.Find(ConnId{99}), nullptr);
}

TEST(ConnTable, ForEachVisitsLiveConnectionsWithTheirIds) {
  ConnTable t;
  ConnId a = t.Add(Conn{1, 0, nullptr, false});
  ConnId b = t.Add(Conn{2, 0, nullptr, false});
  t.Erase(a);
  ConnId c = t.Add(Conn{3, 0, nullptr, false});
  std::set<ConnId> visited;
  t.ForEach([&](ConnId id, Conn& conn) {
    visited.insert(id);
    EXPECT_EQ(t.Find(id), &conn);
  });
  EXPECT_EQ(visited, (std::set<ConnId>{b, c}));
}

}  // namespace
}  // namespace quorumsim::internal
