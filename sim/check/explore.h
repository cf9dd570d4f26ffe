// Breadth-first exploration of fault sequences from the configured start state.
//
// Every state is reached by running scenario lines on a fresh cluster (Replay), so each
// state is exactly what its lines reproduce. States whose fingerprints match (equal up to
// renaming interchangeable nodes and partitions) are expanded once; breadth-first order
// makes the first sequence found for a state a shortest one. Clusters of up to
// kExhaustiveMaxNodes nodes are explored exhaustively; larger ones by seeded random walks
// within a budget.
#ifndef QUORUMSIM_SIM_CHECK_EXPLORE_H_
#define QUORUMSIM_SIM_CHECK_EXPLORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "engine/status.h"
#include "sim/check/model.h"

namespace quorumsim::check {

inline constexpr size_t kExhaustiveMaxNodes = 8;

struct Move;  // moves.h

struct ExploreOptions {
  int max_faults = 3;         // steps per sequence (K)
  uint64_t samples = 2000;    // random walks when the cluster is too large to enumerate
  uint64_t seed = 1;          // drives the random walks only
  size_t keep_split_brains = 64;  // split-brain states kept for classification
};

// A state reached by `steps` (each step's lines in `lines`, start lines not included).
struct Reached {
  std::vector<std::string> lines;  // every scenario line after the start lines
  std::vector<std::string> steps;  // one description per step
  Snapshot snap;
};

struct ExploreResult {
  bool exhaustive = true;
  uint64_t states = 0;        // distinct states seen (start included)
  uint64_t runs = 0;          // scenario replays from the start
  uint64_t steps = 0;         // fault steps simulated (each child state once per parent)
  uint64_t split_brain_states = 0;
  std::vector<Reached> split_brains;  // the first keep_split_brains, shortest first
};

// Whether two running nodes in different partitions are both quorate.
bool IsSplitBrain(const Snapshot& s);

Status Explore(const Model& model, const ExploreOptions& options, ExploreResult* out);

// Replays `parent` on a fresh cluster and runs one step: the child state.
Status RunStep(const Model& model, const Reached& parent, const Move& move, Reached* child);

// Runs start lines + `lines` on a fresh cluster and takes the snapshot.
Status RunLines(const Model& model, const ClusterConfig& config,
                const std::vector<std::string>& lines, bool device_alive,
                PartitionId device_target, Snapshot* out);

}  // namespace quorumsim::check

#endif  // QUORUMSIM_SIM_CHECK_EXPLORE_H_
