// `quorumsim check corosync.conf [options]`: searches fault sequences for split-brain and
// measures availability (see sim/CHECK.md). Exit status 0: no hazard, 1: hazard, 2: bad input.
#ifndef QUORUMSIM_SIM_CHECK_CHECK_MAIN_H_
#define QUORUMSIM_SIM_CHECK_CHECK_MAIN_H_

namespace quorumsim::check {

// argv[0] is "check".
int CheckMain(int argc, char** argv);

}  // namespace quorumsim::check

#endif  // QUORUMSIM_SIM_CHECK_CHECK_MAIN_H_
