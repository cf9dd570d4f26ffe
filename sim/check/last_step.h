// The last step of a search, done per group instead of per split.
//
// After the last step only one thing matters: is the end state a split-brain? When that step
// is a split, each new partition decides its quorum from its own members alone (a partition
// hears nothing from the others; the device's vote goes to one of them), so "two disjoint
// partitions quorate" can be decided by probing each group once: split it from the rest
// (with and without the device's vote) and see whether it is quorate. That takes one run per
// distinct group (about 2^n up to symmetry) instead of one per set partition (Bell(n)). Any
// pair of disjoint quorate groups is then confirmed by running the real split that separates
// both, which is what gets reported, so a wrong guess can never become a finding.
#ifndef QUORUMSIM_SIM_CHECK_LAST_STEP_H_
#define QUORUMSIM_SIM_CHECK_LAST_STEP_H_

#include <cstdint>
#include <vector>

#include "engine/status.h"
#include "sim/check/explore.h"

namespace quorumsim::check {

// Split-brains one split away from `parent` (at most `max_found`, each a confirmed run), and
// the number of runs it took.
Status SplitBrainsOneSplitAway(const Model& model, const Reached& parent, size_t max_found,
                               std::vector<Reached>* found, uint64_t* runs);

}  // namespace quorumsim::check

#endif  // QUORUMSIM_SIM_CHECK_LAST_STEP_H_
