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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cluster.h"

namespace quorumsim {

struct ScriptOptions {
  std::ostream* out = nullptr;  // status lines (vqsim's -o)
  std::ostream* err = nullptr;  // errors, warnings and failed expectations
  bool sync = true;             // false: vqsim's -n
  bool interactive = false;     // prompt "vqsim> ", no echo, and go on after a script error (a terminal)
  bool prompt = true;           // print "#vqsim> <line>" before each line when not interactive
  // Carries out `wait MS`; it must advance the cluster's virtual time by exactly MS.
  // Unset: cluster->RunFor(MS). A caller playing the script in real time sets it to sleep
  // (outside its own lock) between steps of RunFor.
  std::function<void(uint64_t ms)> wait;
  // Lets the cluster settle after a command. Unset: cluster->Settle() (instantly, in
  // virtual time). A caller playing in real time advances virtual time at its pace.
  std::function<Status()> settle;
};

// Exit codes of Run and End; also the code of a LineResult.
inline constexpr int kScriptOk = 0;
inline constexpr int kScriptFailed = 1;    // script error or failed expectation(s)
inline constexpr int kScriptAssert = 2;    // "assert on" and the cluster did not settle
inline constexpr int kScriptExit = 3;      // RunLine only: `exit`, `quit` or `q`

// What one line did.
struct LineResult {
  int code = kScriptOk;  // kScriptOk, kScriptExit, kScriptFailed or kScriptAssert
  // With kScriptFailed: the script error, "FILE:LINE:COL: message" (also written to the
  // error stream). Ok otherwise.
  Status error;
};

class ScriptRunner {
 public:
  ScriptRunner(Cluster* cluster, ScriptOptions options);
  ~ScriptRunner();

  // Runs every line of `in` (named `name` in messages): RunLine for each, then End.
  // Returns an exit code.
  int Run(std::istream& in, const std::string& name);

  // Runs one line of a script (`lineno` counts from 1, for messages). A failed
  // expectation is reported at once but counted for End. Comments before the first
  // command are held back, because the cluster starts before they are echoed.
  LineResult RunLine(std::string_view line, const std::string& name, int lineno);
  // Starts the cluster as the first command would if it is not `up` (nothing when a
  // command has come already). For callers that run a script's lines in parts.
  bool StartIfNeeded(const std::string& name);
  // The end of the script: starts the cluster if no command came, then returns
  // kScriptFailed if any expectation failed, else kScriptOk.
  int End(const std::string& name);

  int expectation_failures() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Checks every line of a script against `cluster`'s configuration without running
// anything (commands, arguments, node ids, partitions); time linear in its size. The
// first error, as "NAME:LINE:COL: message".
Status CheckScript(std::istream& in, const std::string& name, const Cluster& cluster);

// Whether `line` holds the command `wait` (the end of a scenario's setup).
bool IsWaitCommand(std::string_view line);

// Whether the first command among `lines` is `up`.
bool ScriptStartsWithUp(const std::vector<std::string>& lines);

// Starts the nodes a script starts with, as corosync-vqsim does: when its first command
// is not `up`, every nodelist entry that has a ring0_addr (in vqsim's order); when it is
// `up`, none (that command says which). Returns the ids started.
Status StartScriptNodes(Cluster& cluster, bool first_is_up, std::vector<NodeId>* started);

// The text `quorumsim -h` prints.
std::string HelpText();
// The README's "Scenario language" block (Markdown), generated from the same table.
std::string LanguageMarkdown();

// A script's "# config: FILE" line among the comments that open it, resolved against the
// script's directory; nullopt when it has none (or cannot be read).
std::optional<std::string> ScriptConfigHeader(const std::string& script);

}  // namespace quorumsim

#endif  // QUORUMSIM_SIM_SCRIPT_H_
