#include "engine/internal/atb.h"

#include <cstdlib>
#include <string>

namespace quorumsim::internal {

AtbSetting ParseAtbNode(std::string_view text) {
  AtbSetting out;
  if (text == "lowest") out.mode = AtbMode::kLowest;
  if (text == "highest") out.mode = AtbMode::kHighest;

  // The C string functions define which prefixes count as numbers (leading blanks, a
  // sign, base 10), so use them on a terminated copy rather than re-deriving the rules.
  const std::string copy(text);
  if (std::atoi(copy.c_str()) != 0) {
    const char* p = copy.c_str();
    for (;;) {
      char* end = nullptr;
      const long num = std::strtol(p, &end, 10);
      p = end;
      if (num == 0) break;
      if (out.list.size() < static_cast<size_t>(kMaxNodes)) {
        out.list.push_back(static_cast<NodeId>(num));
      }
    }
    if (!out.list.empty()) out.mode = AtbMode::kList;
  }
  return out;
}

}  // namespace quorumsim::internal
