// Small command-line helpers shared by the check and what-if subcommands.
#ifndef QUORUMSIM_SIM_CHECK_ARGS_H_
#define QUORUMSIM_SIM_CHECK_ARGS_H_

#include <cstdint>
#include <string>

namespace quorumsim::check {

// Exit status for bad input (options, files, configuration).
inline constexpr int kExitBadInput = 2;

// Parses a decimal number within [lo, hi]; false (and a message naming the option and the
// value) otherwise.
bool ParseNumber(const std::string& option, const std::string& text, uint64_t lo, uint64_t hi,
                 uint64_t* out, std::string* error);

}  // namespace quorumsim::check

#endif  // QUORUMSIM_SIM_CHECK_ARGS_H_
