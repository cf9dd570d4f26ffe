#include "sim/check/args.h"

#include <cerrno>
#include <cstdlib>

namespace quorumsim::check {

bool ParseNumber(const std::string& option, const std::string& text, uint64_t lo, uint64_t hi,
                 uint64_t* out, std::string* error) {
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text[0] < '0' || text[0] > '9' || *end != '\0' || errno == ERANGE || v < lo ||
      v > hi) {
    *error = option + " needs a number from " + std::to_string(lo) + " to " + std::to_string(hi) +
             ", got '" + text + "'";
    return false;
  }
  *out = v;
  return true;
}

}  // namespace quorumsim::check
