// The vote arithmetic of votequorum as pure functions (no engine state).
//
// All values are unsigned 32-bit and every division rounds down, as in corosync; the
// wrap-around of unsigned overflow is kept on purpose (it is what the daemon does).
#ifndef QUORUMSIM_ENGINE_INTERNAL_ARITHMETIC_H_
#define QUORUMSIM_ENGINE_INTERNAL_ARITHMETIC_H_

#include <cstdint>

namespace quorumsim::internal {

// A strict majority of x: floor(x/2)+1, computed as corosync does ((x+2)/2, 32-bit).
constexpr uint32_t Majority(uint32_t x) { return (x + 2u) / 2u; }

// Everything the threshold computation (corosync's calculate_quorum) looks at.
struct ThresholdInputs {
  uint32_t highest_expected = 0;  // max expected_votes over MEMBER records
  uint32_t total_votes = 0;       // MEMBER votes (+ device votes if we cast its vote)
  uint32_t node_count = 0;        // MEMBER records (+1 if we cast the device vote)
  uint32_t stored_quorum = 0;     // the current stored threshold (stickiness)
  bool allow_decrease = false;
  uint32_t max_expected = 0;      // 0 = no override
  bool allow_downscale = false;
  uint32_t ev_barrier = 0;        // floor applied with allow_downscale
  bool two_node = false;
};

// The new threshold, before it is stored (so possibly >= 256).
uint32_t ComputeThreshold(const ThresholdInputs& in);

// What the daemon keeps of a threshold: corosync's variable is 8 bits wide.
constexpr uint32_t StoreThreshold(uint32_t q, bool wraps_at_256) {
  return wraps_at_256 ? (q & 0xffu) : q;
}

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_ENGINE_INTERNAL_ARITHMETIC_H_
