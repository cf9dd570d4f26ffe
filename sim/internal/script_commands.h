// The script language as one table: every command's name, aliases, arity, usage, help
// text and parser. `quorumsim -h` and the README's language block are generated from it.
//
// A command runs in two steps. Its parser checks the words against the configuration
// alone (syntax, numbers, node ids in the nodelist, partitions, repeated ids) and returns
// an action; nothing has happened yet, so a whole script can be checked without running
// it (CheckScript). The action then runs on the interpreter's cluster.
#ifndef QUORUMSIM_SIM_INTERNAL_SCRIPT_COMMANDS_H_
#define QUORUMSIM_SIM_INTERNAL_SCRIPT_COMMANDS_H_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cluster.h"
#include "sim/internal/script_lexer.h"
#include "sim/internal/status_printer.h"
#include "sim/script.h"

namespace quorumsim::internal {

// corosync-vqsim keeps partitions 0 .. MAX_PARTITIONS-1 (16, vqsim.h).
inline constexpr PartitionId kMaxPartitions = 16;

// The state commands act on: the cluster, the settings vqsim's commands switch, the
// status output and the count of failed expectations.
class Interp {
 public:
  Interp(Cluster& cluster, const ScriptOptions& options)
      : c(cluster), o(options), sync(options.sync), status(cluster, options.out) {}

  Cluster& c;
  const ScriptOptions& o;
  bool sync;
  bool autofence = false;
  bool assert_on = false;
  bool assert_failed = false;
  uint64_t timeout_ms = 250;  // accepted for vqsim compatibility; settling is exact
  int expect_failures = 0;
  std::string file;
  int line_no = 0;
  StatusPrinter status;

  std::ostream& out() { return *o.out; }
  std::ostream& err() { return *o.err; }

  // After a command: settle (or let the caller's settle hook do it), autofence after a
  // membership change, print status (all of it, or what changed with sync off).
  void Finish(bool membership);
  void Show();
  // "P:ID: Quit (why)" for each node, which then starts afresh in the printer.
  void Quit(const std::vector<NodeId>& ids, const char* why);
  // The running nodes among `ids`; "ERR: nodeid N is not up" for the others (vqsim).
  std::vector<NodeId> RunningOnly(const std::vector<NodeId>& ids);
  // "NODE: WHAT -> CS_..." for a library call the script made.
  void PrintCall(NodeId node, const std::string& what, CsError rc);
  // A failed cluster call after the checks: an error at column `col`.
  void Check(const Status& st, size_t col);

 private:
  void Autofence();
};

using Action = std::function<void(Interp&)>;

struct CommandSpec {
  std::string_view name;     // lower case; two words for a subcommand ("qdevice vote")
  std::string_view aliases;  // other names, '|'-separated ("quit|q"), or empty
  size_t min_args;           // words after the name
  size_t max_args;           // SIZE_MAX: any number
  std::string_view usage;    // the words after the name, as help shows them
  std::string_view help;     // what it does; '\n' separates lines
  bool vqsim;                // part of corosync-vqsim's own language
  // Checks the arguments against the configuration and returns what to do. Throws
  // ScriptError (with a column) on a bad argument.
  Action (*parse)(const Cluster& cluster, std::span<const Token> args);
};

// Every command, in help order (vqsim's first).
std::span<const CommandSpec> Commands();

// The command that `tokens` (a line's words) names, or throws ScriptError. Sets
// *name_words to the number of words the name took (1 or 2).
const CommandSpec& FindCommand(std::span<const Token> tokens, size_t* name_words);

// Finds the command and parses its arguments (arity included): the action to run.
Action ParseCommand(const Cluster& cluster, std::span<const Token> tokens);

// The command list of `quorumsim -h`, and the README's Markdown table.
std::string CommandHelp(bool vqsim);
std::string CommandMarkdown();

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_SCRIPT_COMMANDS_H_
