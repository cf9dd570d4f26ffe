// The quorumsim script interpreter: corosync-vqsim's command language plus extensions.
//
// Each command runs on the simulated cluster and then in virtual time until the cluster
// settles; status lines are printed in vqsim's format. See `quorumsim -h` (HelpText()).
#ifndef QUORUMSIM_SIM_SCRIPT_H_
#define QUORUMSIM_SIM_SCRIPT_H_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cluster.h"

namespace quorumsim {

struct ScriptOptions {
  std::ostream* out = nullptr;  // status lines (vqsim's -o)
  std::ostream* err = nullptr;  // errors and failed expectations
  bool sync = true;             // false: vqsim's -n
  bool interactive = false;     // prompt "vqsim> " and no echo (a terminal)
  bool prompt = true;           // print "#vqsim> <line>" before each line when not interactive
  // Carries out `wait MS`; it must advance the cluster's virtual time by exactly MS.
  // Unset: cluster->RunFor(MS). A caller playing the script in real time sets it to sleep
  // (outside its own lock) between steps of RunFor.
  std::function<void(uint64_t ms)> wait;
};

// Exit codes of Run and End; also what RunLine returns.
inline constexpr int kScriptOk = 0;
inline constexpr int kScriptFailed = 1;    // script error or failed expectation(s)
inline constexpr int kScriptAssert = 2;    // "assert on" and the cluster did not settle
inline constexpr int kScriptExit = 3;      // RunLine only: `exit`, `quit` or `q`

class ScriptRunner {
 public:
  ScriptRunner(Cluster* cluster, ScriptOptions options);
  ~ScriptRunner();

  // Runs every line of `in` (named `name` in messages): RunLine for each, then End.
  // Returns an exit code.
  int Run(std::istream& in, const std::string& name);

  // Runs one line of a script (`lineno` counts from 1, for messages). Returns kScriptOk
  // to go on, kScriptExit when the line ends the script, or kScriptFailed (a script
  // error, already reported) / kScriptAssert. A failed expectation is reported at once
  // but counted for End. Comments before the first command are held back, because the
  // cluster starts (every node, unless that command is `up`) before they are echoed.
  int RunLine(std::string_view line, const std::string& name, int lineno);
  // The end of the script: starts the cluster if no command came, then returns
  // kScriptFailed if any expectation failed, else kScriptOk.
  int End(const std::string& name);

  int expectation_failures() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whether the first command among `lines` is `up` (then only the nodes it names start).
bool ScriptStartsWithUp(const std::vector<std::string>& lines);

// The text `quorumsim -h` prints.
std::string HelpText();

}  // namespace quorumsim

#endif  // QUORUMSIM_SIM_SCRIPT_H_
