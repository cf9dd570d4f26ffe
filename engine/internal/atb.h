// auto_tie_breaker modes and the parsing of quorum.auto_tie_breaker_node.
#ifndef QUORUMSIM_ENGINE_INTERNAL_ATB_H_
#define QUORUMSIM_ENGINE_INTERNAL_ATB_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/types.h"

namespace quorumsim::internal {

// Numeric values are those of runtime.votequorum.atb_type.
enum class AtbMode : uint8_t { kNone = 0, kLowest = 1, kHighest = 2, kList = 3 };

struct AtbSetting {
  AtbMode mode = AtbMode::kNone;
  std::vector<NodeId> list;  // only for kList, in the order written
};

// corosync's parse_atb_string: "lowest", "highest", or a whitespace separated id list
// that starts with a non-zero number and stops at the first 0 or non-number. Anything
// else yields kNone (corosync warns and disables the tie-breaker altogether).
AtbSetting ParseAtbNode(std::string_view text);

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_ENGINE_INTERNAL_ATB_H_
