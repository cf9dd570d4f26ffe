// Why a split-brain happens: each quorum option that is on is switched off in turn and the
// same scenario is replayed on the real engine; the options whose removal makes the
// split-brain go away are its causes. No vote arithmetic is done here.
//
// two_node and a quorum device with master_wins let both halves stay quorate by design:
// votequorum leaves the decision to fencing. Every other cause (last_man_standing,
// auto_tie_breaker, allow_downscale, quorum.expected_votes below the nodelist's votes) is a
// configuration hazard, as are votes adding up to 256 or more (tried by switching the 8-bit
// threshold quirk off). quorum.device.votes is not tried: its value follows the device's
// algorithm (1 for ffsplit), so removing it is no fix.
#ifndef QUORUMSIM_SIM_CHECK_CLASSIFY_H_
#define QUORUMSIM_SIM_CHECK_CLASSIFY_H_

#include <string>
#include <vector>

#include "sim/check/explore.h"

namespace quorumsim::check {

struct Cause {
  std::string option;  // the corosync.conf key (or "qdevice master_wins")
  bool by_design = false;
  std::string why;     // one sentence
};

struct Classification {
  std::vector<Cause> causes;  // options whose removal removes the split-brain
  // True when every cause is by design (the cluster relies on fencing); false for a
  // configuration hazard (also when no single option explains it).
  bool relies_on_fencing = false;
  std::string Key() const;   // identity for grouping findings
  std::string Label() const; // "relies on fencing: two_node" / "configuration hazard: ..."
};

Classification Classify(const Model& model, const Reached& state);

// The options Classify would try for this model (for the report).
std::vector<Cause> CandidateCauses(const Model& model);

}  // namespace quorumsim::check

#endif  // QUORUMSIM_SIM_CHECK_CLASSIFY_H_
