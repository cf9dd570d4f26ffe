// The QUORUMSIM_SCENARIO player: checked up front by the quorumsim interpreter, played
// with the cluster lock released during waits, and `exit` stops every node.
#include "api/src/scenario_player.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "tests/api/test_util.h"

namespace quorumsim::api {
namespace {

std::string WriteFile(const std::string& name, const std::string& text) {
  const char* dir = std::getenv("TEST_TMPDIR");
  std::string path = std::string(dir == nullptr ? "/tmp" : dir) + "/" + name;
  std::ofstream(path) << text;
  return path;
}

class ScenarioPlayerTest : public ::testing::Test {
 protected:
  void SetUp() override { conf_ = WriteFile("three.conf", testing::ConfText(3)); }

  Status Load(const std::string& text, std::unique_ptr<ScenarioPlayer>* player) {
    return ScenarioPlayer::Load(WriteFile("s.vq", text), conf_, 10, player);
  }

  std::string conf_;
};

TEST_F(ScenarioPlayerTest, LoadReportsTheInterpretersErrors) {
  std::unique_ptr<ScenarioPlayer> player;
  Status st = Load("# c\nsplit 1:3\nfrobnicate\n", &player);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("s.vq:3:1: error: unknown command 'frobnicate'"), std::string::npos)
      << st.ToString();
  st = Load("wait 1s\nsplit 1:7\n", &player);
  EXPECT_NE(st.message().find("s.vq:2:7: error: unknown node id 7"), std::string::npos) << st.ToString();
  // Nothing after `exit` runs, so nothing after it is checked (as in quorumsim).
  EXPECT_TRUE(Load("exit\nfrobnicate\n", &player).ok());
}

TEST_F(ScenarioPlayerTest, StartsWithUp) {
  std::unique_ptr<ScenarioPlayer> player;
  ASSERT_TRUE(Load("# c\nup 1,2\n", &player).ok());
  EXPECT_TRUE(player->StartsWithUp());
  ASSERT_TRUE(Load("show\nup 3\n", &player).ok());
  EXPECT_FALSE(player->StartsWithUp());
}

TEST_F(ScenarioPlayerTest, PlaysWithTheLockFreeDuringWaitsAndExitStopsTheCluster) {
  std::unique_ptr<ScenarioPlayer> player;
  // At speed 10 the wait is 300ms of real time.
  ASSERT_TRUE(Load("split 1:3\nwait 3s\njoin 0 1\nexit\n", &player).ok());
  std::shared_ptr<ClusterHost> host = ClusterHost::Owning(testing::StartCluster(3));
  ScenarioPlayer::Start(std::move(player), host);

  bool saw_split = false;
  bool all_down = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!all_down && std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard<std::recursive_mutex> lock(host->mu());
      Cluster& c = host->cluster();
      saw_split = saw_split || c.Node(3).members == std::vector<NodeId>{3};
      all_down = !c.IsUp(1) && !c.IsUp(2) && !c.IsUp(3);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(saw_split);
  EXPECT_TRUE(all_down);
  // The player's thread lets go of the host when it ends.
  while (host.use_count() > 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(host.use_count(), 1);
}

}  // namespace
}  // namespace quorumsim::api
