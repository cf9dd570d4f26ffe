#include "engine/internal/arithmetic.h"

#include <algorithm>

namespace quorumsim::internal {

uint32_t ComputeThreshold(const ThresholdInputs& in) {
  uint32_t max_expected = in.max_expected;
  // With allow_downscale a forced decrease never goes below the start-up expected votes.
  if (in.allow_downscale && in.allow_decrease && max_expected != 0) {
    max_expected = std::max(in.ev_barrier, max_expected);
  }
  const uint32_t highest = max_expected > 0 ? max_expected : in.highest_expected;
  uint32_t q = std::max(Majority(highest), Majority(in.total_votes));
  // The threshold is sticky upwards unless the caller may lower it.
  if (!in.allow_decrease) q = std::max(in.stored_quorum, q);
  // two_node wins over stickiness, but only while at most two voters are present.
  if (in.two_node && in.node_count <= 2) q = 1;
  return q;
}

}  // namespace quorumsim::internal
