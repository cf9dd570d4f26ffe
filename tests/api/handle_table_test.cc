// The handle table (api/src/handle_table.h) against a std::map model: handles found while
// live, absent once removed or never issued, through growth and removals in every order
// (a fixed-seed generator picks them, so the run is the same each time).
#include "api/src/handle_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <vector>

namespace quorumsim::api {
namespace {

TEST(HandleTableTest, MatchesAMapThroughGrowthAndRemovals) {
  HandleTable& table = HandleTable::Get();
  std::map<votequorum_handle_t, Instance*> model;
  std::vector<votequorum_handle_t> removed;
  std::mt19937 gen(20261201);
  auto check = [&] {
    for (const auto& [handle, instance] : model) {
      std::shared_ptr<Instance> found = table.Find(handle);
      ASSERT_NE(found, nullptr) << handle;
      ASSERT_EQ(found.get(), instance);
      ASSERT_EQ(found->handle, handle);
    }
    for (size_t i = removed.size() > 500 ? removed.size() - 500 : 0; i < removed.size(); ++i) {
      ASSERT_EQ(table.Find(removed[i]), nullptr);
    }
    EXPECT_EQ(table.Find(0), nullptr);
    EXPECT_EQ(table.Find(0xdeadbeefULL), nullptr);
  };
  auto insert = [&] {
    auto instance = std::make_shared<Instance>();
    Instance* raw = instance.get();
    const votequorum_handle_t handle = table.Insert(std::move(instance));
    model[handle] = raw;
    return handle;
  };
  auto remove = [&](votequorum_handle_t handle) {
    std::shared_ptr<Instance> instance = table.Remove(handle);
    ASSERT_EQ(instance.get(), model.at(handle));
    ASSERT_EQ(table.Remove(handle), nullptr);  // a second finalize
    removed.push_back(handle);
    model.erase(handle);
  };
  // Long-lived handles hold a block of slots; the others come and go (between a few and a
  // few hundred live) while thousands are issued, so later handles wrap around onto the
  // block, are pushed along it, and removals leave gaps at every position of those runs.
  std::vector<votequorum_handle_t> churn;
  for (int i = 0; i < 64; ++i) insert();
  for (int phase = 0; phase < 40; ++phase) {
    const size_t target = phase % 2 == 0 ? 300 : 5;
    while (churn.size() != target) {
      if (churn.size() < target ? gen() % 4 != 0 : gen() % 4 == 0) {
        churn.push_back(insert());
      } else if (!churn.empty()) {
        const size_t i = gen() % churn.size();
        remove(churn[i]);
        churn.erase(churn.begin() + static_cast<long>(i));
      }
      if (gen() % 32 == 0) check();
    }
    check();
  }
  // Everything goes, in random order.
  std::vector<votequorum_handle_t> rest;
  for (const auto& entry : model) rest.push_back(entry.first);
  std::shuffle(rest.begin(), rest.end(), gen);
  for (votequorum_handle_t handle : rest) {
    remove(handle);
    if (gen() % 8 == 0) check();
  }
  check();
}

}  // namespace
}  // namespace quorumsim::api
