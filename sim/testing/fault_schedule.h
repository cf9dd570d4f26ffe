// Random fault schedules for property-based tests of a simulated cluster.
//
// A FaultSchedule is a list of faults in the scenario language's own terms (split, join,
// crash, restart, leave, pause, resume, wait). It is rendered as a scenario script by
// ToScenario and executed by feeding exactly those lines to ScriptRunner::RunLine, so a
// schedule printed by a failing property replays what was tested:
//
//     bazel-bin/quorumsim -c CONF.conf FILE.vqsim
//
// GenFaultSchedule is a RapidCheck generator of schedules whose every step is valid in the
// state the earlier steps leave (resume only paused nodes, leave/pause only running ones).
// It shrinks by dropping and simplifying steps; the survivors are re-validated, so every
// shrunk schedule is valid too.
#ifndef QUORUMSIM_SIM_TESTING_FAULT_SCHEDULE_H_
#define QUORUMSIM_SIM_TESTING_FAULT_SCHEDULE_H_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <rapidcheck.h>

#include "engine/status.h"
#include "engine/types.h"
#include "sim/cluster.h"

namespace quorumsim::testing {

struct FaultStep {
  enum class Kind {
    kSplit,    // `split 0:A 1:B ...`: group i goes to partition i
    kJoinAll,  // `join 0 1 ... N-1`: every partition merged into partition 0
    kCrash,    // `crash N`
    kRestart,  // `restart N` (crash if running, then start)
    kLeave,    // `leave N` (clean shutdown)
    kPause,    // `pause N`
    kResume,   // `resume N`
    kWait,     // `wait Dms`: virtual time passes, timers fire
    kQdeviceStop,  // `qdevice stop N`: the node's device stops polling (it is lost later)
    kQdeviceOn,    // `qdevice on N`: the node's device (re)registers and polls
    kSetExpected,  // `setexpected N VALUE`
    kSetVotes,     // `setvotes N TARGET VALUE`
  };
  Kind kind = Kind::kWait;
  std::vector<std::vector<NodeId>> groups;  // kSplit only
  NodeId node = 0;                          // node faults and calls
  uint64_t wait_ms = 0;                     // kWait only
  uint32_t value = 0;                       // kSetExpected, kSetVotes
  NodeId target = 0;                        // kSetVotes

  bool operator==(const FaultStep&) const = default;
};

struct FaultSchedule {
  uint64_t seed = 0;        // `seed N` (message-delay jitter)
  uint64_t delay_ms = 0;    // `delay Dms Jms`, written when either is non-zero
  uint64_t jitter_ms = 0;
  std::vector<FaultStep> steps;

  bool operator==(const FaultSchedule&) const = default;
};

// One step as a scenario line. `partitions` = how many partitions `join` names (0..P-1,
// at least 2); ToScenario passes the most groups any earlier split used.
std::string StepLine(const FaultStep& step, size_t partitions);

// The schedule's commands, one line per element: `seed`, `delay` (if set), then the steps.
std::vector<std::string> ScenarioCommands(const FaultSchedule& schedule);

// The schedule as a scenario script: `# config: CONFIG_NAME`, comment lines (`title`, if
// any, then how to replay), then ScenarioCommands.
std::string ToScenario(const FaultSchedule& schedule, std::string_view config_name,
                       std::string_view title = "");

// Whether every step is valid where it stands, starting from every node up. Valid: split,
// join, wait, setexpected and setvotes always; crash a node that is up or paused; restart
// any node; leave, pause and the qdevice steps on a node that is up (not paused); resume a
// paused node; node ids among `node_ids`.
bool IsValid(const FaultSchedule& schedule, const std::vector<NodeId>& node_ids);

// Makes raw generated steps valid over `node_ids`: a node step that does not fit its
// node's state moves to an eligible node (chosen by the raw node's position) or is
// dropped, as is a split naming unknown nodes; at most `max_steps` are kept.
std::vector<FaultStep> RepairSteps(const std::vector<FaultStep>& raw, const std::vector<NodeId>& node_ids,
                                   size_t max_steps);

// Called after every command line has run (the cluster is settled); returns "" when the
// invariants hold, else a description of what is wrong (the run stops there).
using LineCheck = std::function<std::string(const Cluster& cluster, std::string_view line)>;

struct ScheduleRun {
  int exit_code = 0;                // first non-kScriptOk code of RunLine, else End's
  std::string scenario;             // the script that was run
  std::string output;               // status output (quorumsim's stdout)
  std::string errors;               // script errors (quorumsim's stderr)
  std::vector<std::string> trace;   // the cluster's JSON-lines trace
  std::string failed_line;          // the line after which `check` failed or the script stopped
  std::string failure;              // `check`'s message, "" if none
};

// Builds a cluster from `conf_text` (seed 0, as the quorumsim command uses), then runs
// ToScenario(schedule) through ScriptRunner::RunLine, calling `check` (if set) after each
// command. Error only when the configuration is rejected.
Status RunSchedule(std::string_view conf_text, std::string_view config_name,
                   const FaultSchedule& schedule, const LineCheck& check, ScheduleRun* out);

// RapidCheck generator: valid schedules of at most `max_steps` steps over `node_ids`, with a
// random seed and message delay/jitter.
rc::Gen<FaultSchedule> GenFaultSchedule(std::vector<NodeId> node_ids, size_t max_steps);

// RapidCheck's counterexample printing.
void showValue(const FaultStep& step, std::ostream& os);
void showValue(const FaultSchedule& schedule, std::ostream& os);

}  // namespace quorumsim::testing

#endif  // QUORUMSIM_SIM_TESTING_FAULT_SCHEDULE_H_
