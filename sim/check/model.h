// The checker's view of a configuration and of one settled cluster state: which nodes are
// interchangeable (symmetry classes), the fault steps the exploration may take, and a
// fingerprint that is the same for states that differ only by renaming interchangeable
// nodes or partitions.
#ifndef QUORUMSIM_SIM_CHECK_MODEL_H_
#define QUORUMSIM_SIM_CHECK_MODEL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/types.h"
#include "sim/cluster.h"
#include "sim/corosync_conf.h"

namespace quorumsim::check {

// What the checker needs to know about the configuration.
struct Model {
  ClusterConfig config;
  std::vector<NodeId> nodes;            // nodelist order
  std::map<NodeId, int> node_class;     // symmetry class of each node
  bool device = false;                  // quorum.device configured
  bool master_wins = false;             // devices call votequorum_qdevice_master_wins(1)
  bool lms = false;                     // last_man_standing on
  uint64_t wait_ms = 0;                 // a wait that crosses every timed window (0: none)
  // Lines that bring the cluster from its start to the configured running state (the
  // device daemons registering and voting, master_wins).
  std::vector<std::string> start_lines;
  Quirks quirks;                        // corosync 3.1's (classification varies them)
};

// Builds the model. Nodes are interchangeable when they have equal votes and ring0_addr
// presence, unless auto_tie_breaker (node ids decide ties) makes every node distinct.
Model MakeModel(const ClusterConfig& config, bool master_wins);

// One settled state, as read through the Cluster API.
struct Snapshot {
  std::vector<NodeView> views;        // Model::nodes order
  bool device_alive = false;          // the device daemons poll (not lost)
  PartitionId device_target = 0;      // which partition the device votes for
  std::string fingerprint;            // symmetry-reduced identity of the state
  // Per node: a label equal for nodes that are interchangeable in this state (symmetry
  // class and own state, and its partition's signature: nodes of two identical partitions
  // are interchangeable too).
  std::vector<std::string> labels;
};

Snapshot TakeSnapshot(const Model& model, Cluster& cluster, bool device_alive,
                      PartitionId device_target);

// "1,2,3".
std::string IdList(const std::vector<NodeId>& ids);

// The partitions that are quorate: partition -> running quorate nodes in it.
std::map<PartitionId, std::vector<NodeId>> QuoratePartitions(const Snapshot& s);

}  // namespace quorumsim::check

#endif  // QUORUMSIM_SIM_CHECK_MODEL_H_
