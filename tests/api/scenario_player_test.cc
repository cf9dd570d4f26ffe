// The QUORUMSIM_SCENARIO player: checked up front without running, setup commands settled
// before Start returns, the rest played in time on an owned thread, fork-safe.
#include "api/src/scenario_player.h"

#include <sys/wait.h>
#include <unistd.h>

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

using Clock = std::chrono::steady_clock;

std::string WriteFile(const std::string& name, const std::string& text) {
  const char* dir = std::getenv("TEST_TMPDIR");
  std::string path = std::string(dir == nullptr ? "/tmp" : dir) + "/" + name;
  std::ofstream(path) << text;
  return path;
}

std::unique_ptr<Cluster> NewCluster(int nodes, const std::string& quorum_extra = "") {
  std::unique_ptr<Cluster> cluster;
  Status st = Cluster::FromConfText(testing::ConfText(nodes, quorum_extra), "test.conf", ClusterOptions{}, &cluster);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return cluster;
}

// Polls `done` under the host's lock until it holds or `limit` passes.
template <typename F>
bool WaitFor(ClusterHost& host, F done, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    {
      std::lock_guard<std::recursive_mutex> lock(host.mu());
      if (done(host.cluster())) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

class ScenarioPlayerTest : public ::testing::Test {
 protected:
  Status Load(const std::string& text, const Cluster& cluster, std::unique_ptr<ScenarioPlayer>* player,
              double speed = 10) {
    return ScenarioPlayer::Load(WriteFile("s.vq", text), cluster, speed, player);
  }
};

TEST_F(ScenarioPlayerTest, LoadReportsTheInterpretersErrorsAsValues) {
  auto cluster = NewCluster(3);
  std::unique_ptr<ScenarioPlayer> player;
  Status st = Load("# c\nsplit 1:3\nfrobnicate\n", *cluster, &player);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("s.vq:3:1: error: unknown command 'frobnicate'"), std::string::npos)
      << st.ToString();
  st = Load("wait 1s\nsplit 1:7\n", *cluster, &player);
  EXPECT_NE(st.message().find("s.vq:2:7: error: unknown node id 7"), std::string::npos) << st.ToString();
  st = Load("crash 3,3\n", *cluster, &player);
  EXPECT_NE(st.message().find("s.vq:1:7: error: node 3 is named twice"), std::string::npos) << st.ToString();
  // Nothing after `exit` runs, so nothing after it is checked (as in quorumsim).
  EXPECT_TRUE(Load("exit\nfrobnicate\n", *cluster, &player).ok());
  // Loading runs nothing: the cluster is untouched.
  EXPECT_FALSE(cluster->IsUp(1));
}

TEST_F(ScenarioPlayerTest, LoadDoesNotRunTheScenario) {
  // Played at once this would simulate about 10^11 device polls.
  auto cluster = NewCluster(3, " device {\n  model: net\n  votes: 1\n }\n");
  std::unique_ptr<ScenarioPlayer> player;
  auto start = Clock::now();
  ASSERT_TRUE(Load("qdevice on 1,2,3\nwait 100000000h\n", *cluster, &player).ok());
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(cluster->now_ms(), 0u);
}

TEST_F(ScenarioPlayerTest, LoadRefusesADirectory) {
  auto cluster = NewCluster(3);
  std::unique_ptr<ScenarioPlayer> player;
  const char* dir = std::getenv("TEST_TMPDIR");
  Status st = ScenarioPlayer::Load(dir == nullptr ? "/tmp" : dir, *cluster, 1, &player);
  EXPECT_NE(st.message().find("Is a directory"), std::string::npos) << st.ToString();
}

TEST_F(ScenarioPlayerTest, SetupCommandsAreSettledBeforeStartReturns) {
  std::unique_ptr<ScenarioPlayer> player;
  auto host = ClusterHost::Owning(NewCluster(3));
  ASSERT_TRUE(Load("split 1:3\nwait 1h\nexit\n", host->cluster(), &player).ok());
  player->Start(host);
  {
    std::lock_guard<std::recursive_mutex> lock(host->mu());
    EXPECT_EQ(host->cluster().Node(3).members, std::vector<NodeId>{3});
    EXPECT_EQ(host->cluster().Node(1).members, (std::vector<NodeId>{1, 2}));
    EXPECT_TRUE(host->cluster().settled());
  }
  auto start = Clock::now();
  player->Stop();  // wakes the thread out of its hour-long wait and joins it
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  std::lock_guard<std::recursive_mutex> lock(host->mu());
  EXPECT_TRUE(host->cluster().IsUp(1));  // `exit` never ran
}

TEST_F(ScenarioPlayerTest, AMembershipChangeReachesTheClusterWhenTheRingForms) {
  std::unique_ptr<ScenarioPlayer> player;
  auto host = ClusterHost::Owning(NewCluster(3));
  // Speed 20: losing node 3 takes token + consensus = 3650 + 4380 ms of virtual time,
  // about 400 ms of wall-clock time.
  ASSERT_TRUE(Load("wait 100ms\nsplit 1:3\nwait 1s\nexit\n", host->cluster(), &player, 20).ok());
  // Virtual time when playing in time begins: the cluster's start-up, settled (the same
  // on a twin cluster; the player's thread starts advancing at once).
  uint64_t origin = 0;
  {
    auto twin = NewCluster(3);
    std::vector<NodeId> started;
    ASSERT_TRUE(StartScriptNodes(*twin, false, &started).ok());
    ASSERT_TRUE(twin->Settle().ok());
    origin = twin->now_ms();
  }
  auto start = Clock::now();
  player->Start(host);
  uint64_t formed_virtual = 0;
  ASSERT_TRUE(WaitFor(*host, [&](Cluster& c) {
    formed_virtual = c.now_ms();
    return c.Node(3).members == std::vector<NodeId>{3};
  }));
  auto elapsed = Clock::now() - start;
  // The split comes 100 ms into the play; its ring forms token + consensus later.
  EXPECT_GE(formed_virtual, origin + 100 + 3650 + 4380);
  // And never sooner on the wall clock, scaled by the speed (a loaded machine is only later).
  EXPECT_GE(elapsed, std::chrono::milliseconds((100 + 3650 + 4380) / 20 - 20));
  EXPECT_TRUE(WaitFor(*host, [](Cluster& c) { return !c.IsUp(1) && !c.IsUp(2) && !c.IsUp(3); }));
}

TEST_F(ScenarioPlayerTest, ExitStopsEveryNode) {
  std::unique_ptr<ScenarioPlayer> player;
  auto host = ClusterHost::Owning(NewCluster(3));
  ASSERT_TRUE(Load("split 1:3\nwait 3s\njoin 0 1\nexit\n", host->cluster(), &player).ok());
  player->Start(host);
  EXPECT_TRUE(WaitFor(*host, [](Cluster& c) { return !c.IsUp(1) && !c.IsUp(2) && !c.IsUp(3); }));
}

TEST_F(ScenarioPlayerTest, AChildForkedWhileTheScenarioPlaysCanUseItsCopy) {
  std::unique_ptr<ScenarioPlayer> player;
  auto host = ClusterHost::Owning(NewCluster(3));
  // Plenty of work under the lock while the test forks.
  ASSERT_TRUE(Load("wait 10ms\nsplit 1:3\njoin 0 1\nsplit 1:2\njoin 0 1\nwait 1h\n", host->cluster(), &player,
                   1000)
                  .ok());
  player->Start(host);
  for (int i = 0; i < 40; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // The child has no playback thread; the lock must be free.
      bool locked = false;
      for (int tries = 0; tries < 2000 && !locked; ++tries) {
        locked = host->mu().try_lock();
        if (!locked) usleep(1000);
      }
      if (!locked) _exit(2);
      bool up = host->cluster().IsUp(1);
      host->mu().unlock();
      _exit(up ? 0 : 3);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "fork " << i;
  }
  player->Stop();
}

}  // namespace
}  // namespace quorumsim::api
