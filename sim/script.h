// The quorumsim script interpreter: corosync-vqsim's command language plus extensions.
//
// Each command runs on the simulated cluster and then in virtual time until the cluster
// settles; status lines are printed in vqsim's format. See `quorumsim -h` (HelpText()).
#ifndef QUORUMSIM_SIM_SCRIPT_H_
#define QUORUMSIM_SIM_SCRIPT_H_

#include <cstdint>
#include <iosfwd>
#include <string>

#include "sim/cluster.h"

namespace quorumsim {

struct ScriptOptions {
  std::ostream* out = nullptr;  // status lines (vqsim's -o)
  std::ostream* err = nullptr;  // errors and failed expectations
  bool sync = true;             // false: vqsim's -n
  bool interactive = false;     // prompt "vqsim> " and no echo (a terminal)
  bool prompt = true;           // print "#vqsim> <line>" before each line when not interactive
};

// Exit codes of Run.
inline constexpr int kScriptOk = 0;
inline constexpr int kScriptFailed = 1;    // script error or failed expectation(s)
inline constexpr int kScriptAssert = 2;    // "assert on" and the cluster did not settle

class ScriptRunner {
 public:
  ScriptRunner(Cluster* cluster, ScriptOptions options);
  // Runs every line of `in` (named `name` in messages); returns an exit code.
  int Run(std::istream& in, const std::string& name);
  int expectation_failures() const { return expect_failures_; }

 private:
  struct Impl;
  Cluster* cluster_;
  ScriptOptions options_;
  int expect_failures_ = 0;
};

// The text `quorumsim -h` prints.
std::string HelpText();

}  // namespace quorumsim

#endif  // QUORUMSIM_SIM_SCRIPT_H_
