// `quorumsim -h` and the README's language block: fixed text around the command lists
// generated from the command table (internal/script_commands.cc).
#include "sim/internal/script_commands.h"
#include "sim/script.h"

namespace quorumsim {

namespace {

constexpr char kUsage[] = R"(Usage: quorumsim [-c corosync.conf] [-o output] [-n] [-h] [-f script | script]
                 [--trace FILE|-] [--timeline FILE.svg] [--seed N] [--no-prompt]
       quorumsim check corosync.conf ...    split-brain and availability search
       quorumsim what-if corosync.conf ...  one change's effect on every node
       quorumsim timeline TRACE ...         draw a saved trace
       (each subcommand takes -h; see sim/CHECK.md)

Simulates a corosync 3.1 cluster running votequorum, in virtual time, with the command
language of corosync-vqsim plus extensions. Commands come from the script file given
with -f or as the last argument, or else from standard input (a pipe or a terminal).

Options
  -c FILE      corosync.conf to read; without -c, a script's "# config: FILE" header line
               (FILE relative to the script's directory), else /etc/corosync/corosync.conf
  -o FILE      write status output to FILE instead of standard output
  -n           no synchronous output (as vqsim's "sync off"): after a command, print only
               the status lines that changed
  -f FILE      read commands from FILE (same as giving FILE as the last argument)
  --trace FILE write every event as one JSON object per line, with virtual timestamps
               ("-": standard output, shared with the status lines unless -o sends them
               elsewhere); the event schema is sim/TRACE.md
  --timeline FILE.svg
               draw the run as a timeline: FILE.svg and a self-contained FILE.html
  --seed N     seed for message-delay jitter (default 0); same seed => same trace
  --no-prompt  do not print "#vqsim> <command>" lines
  -h           this text

Start-up, as corosync-vqsim: unless the script's first command is "up NODES" (then only
those start), every nodelist entry that has a ring0_addr starts in partition 0; entries
without one are configured (their votes count) but stay down until an "up" names them.

Output: after each command that changes the cluster, one line per running node, ordered
by partition, then by arrival in it, then "#autofence: on|off":
  P:ID: q=Q ring=[REP.SEQ] nodes=[ID ID ...]
P partition, Q the node's last quorum verdict, ring id in hex, nodes the ring members
(from the node's last internal quorum notification, as vqsim prints). "#vqsim> <line>"
echoes each input line (unless --no-prompt); errors and warnings go to standard error.

NODES is [P:]ID[,ID...]; P is a partition, 0 to 15. Commands are case-insensitive; '#'
starts a comment. A node named twice in one command, an unknown node id, a partition out
of range or a partition named twice in "join" is an error (file:line:column, exit 1).

vqsim commands
)";

constexpr char kExpectKeys[] = R"(
Keys of expect
  quorate=0|1  members=ID,ID,... (any order)  ring=REP.SEQ (hex) or REP.*
  votes  expected  highest  total  quorum  qdevice_votes (numbers, as votequorum_getinfo(0))
  flags=HEX (votequorum_info.flags)  state=up|down|paused
  rc=CS_... | none: the result of the last library call the script made on the node
  (setexpected, setvotes, cancel_wait_for_all, qdevice off, qdevice master_wins); it keeps
  its value across later commands, crashes and restarts; "none" if no call was ever made
  there. The simulated device daemon's own register and poll calls do not change it.
)";

constexpr char kTail[] = R"(
Settling: each command runs in virtual time until every membership change it caused has
completed on every live node (ring formed, sync done, messages delivered, notifications
sent). Timers that are merely armed (last_man_standing_window, qdevice timeout, periodic
polls) fire only with "wait" (or while a sync waits for a quorum device). A long wait
over devices that poll without changing anything skips the repeating polls.

Timing model (corosync.conf totem values, corosync 3.1 defaults):
  token timeout   = token (3000) + (nodes - 2) * token_coefficient (650) for >= 3 nodes
  consensus       = totem.consensus, default 1.2 * token timeout
  losing a node (crash, pause, split): token timeout + consensus
  merge, clean leave, start (a new node forms a ring on its own first, then merges),
  resume: join (50) each step
Ring id: (lowest member, 4 + highest sequence any member has seen); never goes back.
Quorum device: registers as "Qdevice"; it does not survive its node's crash or restart
(use "qdevice on" again).

Exit status: 0 ok; 1 script error (file:line:column) or failed expectations;
2 "assert on" and the cluster did not settle.
)";

}  // namespace

std::string HelpText() {
  return std::string(kUsage) + internal::CommandHelp(true) + "\nExtensions\n" +
         internal::CommandHelp(false) + kExpectKeys + kTail;
}

std::string LanguageMarkdown() {
  return "corosync-vqsim's commands run unchanged; the others are quorumsim's extensions. "
         "`NODES` is `[P:]ID[,ID...]` (P a partition, 0 to 15). Unless the first command is "
         "`up`, the nodelist entries that have a `ring0_addr` start in partition 0, as "
         "corosync-vqsim starts them.\n\n" +
         internal::CommandMarkdown() +
         "\n`expect` keys: `quorate members ring votes expected highest total quorum flags "
         "qdevice_votes state rc`. `rc` is the result of the last library call the script made "
         "on the node (sticky across crashes and restarts; `none` if none was made). "
         "See `bazel-bin/quorumsim -h` for the full text.\n";
}

}  // namespace quorumsim
