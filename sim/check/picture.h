// A timeline picture (sim/timeline) of a scenario the check wrote: the scenario is run again
// exactly as `quorumsim --timeline FILE.svg SCENARIO` would run it.
#ifndef QUORUMSIM_SIM_CHECK_PICTURE_H_
#define QUORUMSIM_SIM_CHECK_PICTURE_H_

#include <string>

#include "sim/corosync_conf.h"

namespace quorumsim::check {

// Writes PATH.svg and PATH.html; false if the scenario does not run or a file cannot be
// written (a message is on stderr).
bool DrawScenario(const ClusterConfig& config, const std::string& scenario, const std::string& path,
                  const std::string& title);

}  // namespace quorumsim::check

#endif  // QUORUMSIM_SIM_CHECK_PICTURE_H_
