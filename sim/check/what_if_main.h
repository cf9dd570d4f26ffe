// `quorumsim what-if corosync.conf [--state FILE] [--json] CHANGE...` (sim/CHECK.md).
#ifndef QUORUMSIM_SIM_CHECK_WHAT_IF_MAIN_H_
#define QUORUMSIM_SIM_CHECK_WHAT_IF_MAIN_H_

namespace quorumsim::check {

// argv[0] is "what-if". Exit status 0 (answered), 2 (bad input).
int WhatIfMain(int argc, char** argv);

}  // namespace quorumsim::check

#endif  // QUORUMSIM_SIM_CHECK_WHAT_IF_MAIN_H_
