// The fault steps the checker explores from a settled state, each as scenario lines.
//
// Steps: split the network into any partitions, join two partitions, crash / restart /
// leave a node, lose the quorum device or bring it back, and wait past the timed windows
// (last_man_standing_window, quorum.device.timeout). Steps that differ only by renaming
// interchangeable nodes (equal Snapshot labels) are generated once.
//
// The quorum device is modelled as an arbiter (corosync-qnetd): while it is alive it gives
// its vote to the nodes of exactly one partition, and every step that changes partitions
// says which one (all choices are explored). A node's device daemon restarts with it.
#ifndef QUORUMSIM_SIM_CHECK_MOVES_H_
#define QUORUMSIM_SIM_CHECK_MOVES_H_

#include <random>
#include <string>
#include <vector>

#include "sim/check/model.h"
#include "sim/check/replay.h"

namespace quorumsim::check {

struct Move {
  std::vector<std::string> lines;  // run before the device is brought in line
  std::string what;                // short description, e.g. "split 0:1,2 1:3"
  bool device_alive = false;       // device state after the step
  PartitionId device_target = 0;
};

// Every distinct step from `s` (without splits when `splits` is false).
std::vector<Move> GenerateMoves(const Model& model, const Snapshot& s, bool splits = true);

// The split that puts groups[i] into partition i (every node must be in one group); with a
// live device, its vote goes to groups[device_group].
Move MakeSplit(const Model& model, const Snapshot& s, const std::vector<std::vector<NodeId>>& groups,
               size_t device_group);

// One step drawn from `rng` (splits into 2 to 4 random groups), for clusters too large to
// enumerate.
Move RandomMove(const Model& model, const Snapshot& s, std::mt19937_64& rng);

// Runs the step on `replay` (which holds the state `s`), then the lines that make the
// device daemons follow the arbiter's choice; appends every line run to `lines`.
Status ApplyMove(const Model& model, const Move& move, Replay& replay,
                 std::vector<std::string>* lines);

// The lines that make every running node's device cast its vote as (alive, target) says.
std::vector<std::string> DeviceFixLines(const Model& model, Cluster& cluster, bool alive,
                                        PartitionId target);

}  // namespace quorumsim::check

#endif  // QUORUMSIM_SIM_CHECK_MOVES_H_
