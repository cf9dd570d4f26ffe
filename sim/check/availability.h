// Availability figures, each measured on the engine by replaying crash sequences:
// the smallest sets of simultaneous faults after which no partition is quorate, how many
// node failures one after another the cluster survives in the best and the worst order,
// and how many nodes must come back after a full outage (wait_for_all's effect).
#ifndef QUORUMSIM_SIM_CHECK_AVAILABILITY_H_
#define QUORUMSIM_SIM_CHECK_AVAILABILITY_H_

#include <string>
#include <vector>

#include "engine/status.h"
#include "sim/check/model.h"

namespace quorumsim::check {

// A scenario proving one figure: lines after the start lines, ending in `expect` lines.
struct Proof {
  std::vector<std::string> lines;
  std::string what;
};

struct LossSet {
  std::vector<NodeId> nodes;  // crashed at once (one representative per symmetry)
  bool device = false;        // the quorum device lost as well
  Proof proof;
};

struct Availability {
  size_t loss_size = 0;             // faults in the smallest losing sets (device counts 1)
  std::vector<LossSet> loss_sets;   // every smallest set, up to symmetry
  int survive_best = 0;             // node failures survived, one after another
  int survive_worst = 0;
  Proof best_order, worst_order;    // the orders (ending where quorum is lost)
  bool wait_for_all = false;        // wait_for_all is in effect
  int restart_needed = 0;           // nodes back after a full outage before quorum (0: never)
  int restart_needed_without_wfa = 0;  // the same with wait_for_all off
  Proof restart_proof;              // with wait_for_all: fewer nodes back stay inquorate
};

Status MeasureAvailability(const Model& model, Availability* out);

}  // namespace quorumsim::check

#endif  // QUORUMSIM_SIM_CHECK_AVAILABILITY_H_
