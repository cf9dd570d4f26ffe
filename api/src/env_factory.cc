// Step 4 of the binding resolution: what the environment asks for.
//
//   QUORUMSIM_BACKEND=corosync   the real corosync (QUORUMSIM_COROSYNC_LIB: library path)
//   QUORUMSIM_CONF=FILE          a simulated cluster built from that corosync.conf, once
//                                per process, started as quorumsim starts a script (the
//                                nodelist entries with a ring0_addr) and settled
//   QUORUMSIM_NODEID=N           the node this process is (default: the lowest id)
//   QUORUMSIM_SCENARIO=FILE      a scenario (without QUORUMSIM_CONF, its "# config:" line
//                                names the corosync.conf): its commands before the first `wait` run
//                                before the first votequorum_initialize returns, the rest
//                                in a background thread, in time (scenario_player.h)
//   QUORUMSIM_SPEED=X            divides those real-time waits (e.g. 10: ten times faster)
// Problems (unreadable file, unknown node) are reported once on stderr and make
// votequorum_initialize return CS_ERR_LIBRARY, as a missing daemon would.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>

#include "api/src/binding_stack.h"
#include "api/src/cluster_host.h"
#include "api/src/corosync_connection.h"
#include "api/src/scenario_player.h"
#include "api/src/sim_connection.h"
#include "sim/script.h"

namespace quorumsim::api {

namespace {

// Digits only, 1..UINT32_MAX: strtoul would accept a sign or blanks and wrap 4294967297
// to 1 when the result is narrowed to a node id.
std::optional<NodeId> ParseNodeId(const std::string& text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v == 0 || v > UINT32_MAX) return std::nullopt;
  return static_cast<NodeId>(v);
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

// Builds the environment's cluster; null (after a message) if it cannot.
std::shared_ptr<ConnectionFactory> BuildSimulated(const std::string& conf) {
  std::unique_ptr<Cluster> cluster;
  Status st = Cluster::FromConfFile(conf, ClusterOptions{}, &cluster);
  if (!st.ok()) {
    std::fprintf(stderr, "quorumsim: QUORUMSIM_CONF=%s: %s\n", conf.c_str(), st.ToString().c_str());
    return nullptr;
  }
  if (cluster->node_ids().empty()) {
    std::fprintf(stderr, "quorumsim: QUORUMSIM_CONF=%s has no nodelist\n", conf.c_str());
    return nullptr;
  }
  NodeId node = cluster->node_ids().front();
  for (NodeId id : cluster->node_ids()) node = std::min(node, id);
  std::string wanted = Env("QUORUMSIM_NODEID");
  if (!wanted.empty()) {
    std::optional<NodeId> id = ParseNodeId(wanted);
    if (!id) {
      std::fprintf(stderr,
                   "quorumsim: QUORUMSIM_NODEID='%s' is not a node id (expected decimal digits "
                   "only, 1..4294967295)\n", wanted.c_str());
      return nullptr;
    }
    if (!cluster->HasNode(*id)) {
      std::string ids;
      for (NodeId n : cluster->node_ids()) ids += (ids.empty() ? "" : ", ") + std::to_string(n);
      std::fprintf(stderr, "quorumsim: QUORUMSIM_NODEID=%s is not a node of %s (its nodes: %s)\n",
                   wanted.c_str(), conf.c_str(), ids.c_str());
      return nullptr;
    }
    node = *id;
  }

  std::string scenario = Env("QUORUMSIM_SCENARIO");
  double speed = 1.0;
  std::string speed_text = Env("QUORUMSIM_SPEED");
  if (!speed_text.empty()) {
    char* end = nullptr;
    speed = std::strtod(speed_text.c_str(), &end);
    if (end == speed_text.c_str() || *end != '\0' || !(speed > 0)) {
      std::fprintf(stderr, "quorumsim: QUORUMSIM_SPEED=%s is not a positive number\n",
                   speed_text.c_str());
      return nullptr;
    }
  }
  std::unique_ptr<ScenarioPlayer> player;
  if (!scenario.empty()) {
    st = ScenarioPlayer::Load(scenario, *cluster, speed, &player);
    if (!st.ok()) {
      std::fprintf(stderr, "quorumsim: QUORUMSIM_SCENARIO=%s: %s\n", scenario.c_str(),
                   st.ToString().c_str());
      return nullptr;
    }
  }

  std::shared_ptr<ClusterHost> host = ClusterHost::Owning(std::move(cluster));
  if (player != nullptr) {
    // The scenario starts the cluster as the quorumsim command does and runs its setup
    // commands before this returns. The player lives as long as the process.
    player->Start(host);
    (void)player.release();
  } else {
    std::lock_guard<std::recursive_mutex> lock(host->mu());
    std::vector<NodeId> started;
    (void)StartScriptNodes(host->cluster(), /*first_is_up=*/false, &started);
    (void)host->cluster().Settle();
  }
  {
    // Initialize on a node the scenario's setup stopped fails as without a daemon; say why.
    std::lock_guard<std::recursive_mutex> lock(host->mu());
    if (host->alive() && !host->cluster().IsUp(node)) {
      std::fprintf(stderr, "quorumsim: node %u (QUORUMSIM_NODEID) is not running%s: its "
                   "library calls fail with CS_ERR_LIBRARY as without a corosync daemon\n",
                   node, scenario.empty() ? "" : " after the scenario's setup");
    }
  }
  return MakeSimFactory(host, node);
}

std::shared_ptr<ConnectionFactory> Build() {
  std::string backend = Env("QUORUMSIM_BACKEND");
  if (backend == "corosync") return MakeCorosyncFactory("");
  if (!backend.empty() && backend != "sim" && backend != "simulator") {
    std::fprintf(stderr, "quorumsim: QUORUMSIM_BACKEND=%s: expected corosync or sim\n",
                 backend.c_str());
    return nullptr;
  }
  std::string conf = Env("QUORUMSIM_CONF");
  if (conf.empty()) {
    // As the quorumsim command does: a scenario names its configuration in a "# config:"
    // line.
    const std::string scenario = Env("QUORUMSIM_SCENARIO");
    if (scenario.empty()) return nullptr;
    std::optional<std::string> header = ScriptConfigHeader(scenario);
    if (!header) {
      std::fprintf(stderr,
                   "quorumsim: QUORUMSIM_SCENARIO=%s is set but QUORUMSIM_CONF is not, and the "
                   "scenario has no \"# config: FILE\" line naming its corosync.conf\n",
                   scenario.c_str());
      return nullptr;
    }
    conf = *header;
  }
  return BuildSimulated(conf);
}

}  // namespace

std::shared_ptr<ConnectionFactory> EnvironmentFactory() {
  // Decided once per process: one program is one node of one cluster.
  static std::once_flag once;
  static std::shared_ptr<ConnectionFactory>* factory = nullptr;
  std::call_once(once, [] { factory = new std::shared_ptr<ConnectionFactory>(Build()); });
  return *factory;
}

}  // namespace quorumsim::api
