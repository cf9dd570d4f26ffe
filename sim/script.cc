// The quorumsim script interpreter: reads lines, dispatches commands to the cluster, settles
// it and prints status. The words of a line are in internal/script_lexer, `expect` in
// internal/expectations, vqsim's output format in internal/status_printer.
#include "sim/script.h"

#include <algorithm>
#include <istream>
#include <ostream>
#include <span>
#include <string_view>
#include <vector>

#include "sim/internal/expectations.h"
#include "sim/internal/script_lexer.h"
#include "sim/internal/status_printer.h"

namespace quorumsim {

using internal::IsCommand;
using internal::Lower;
using internal::NodeGroup;
using internal::Parse01;
using internal::ParseDuration;
using internal::ParseGroup;
using internal::ParseOnOff;
using internal::ParseU32;
using internal::ParseU64;
using internal::ScriptError;
using internal::Token;
using internal::Tokenize;

bool ScriptStartsWithUp(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    std::vector<Token> t = Tokenize(line);
    if (IsCommand(t)) return Lower(t[0].text) == "up";
  }
  return false;
}

struct ScriptRunner::Impl {
  Impl(Cluster& cluster, ScriptOptions options)
      : c(cluster), o(std::move(options)), sync(o.sync), status(cluster, o.out) {}
  Cluster& c;
  ScriptOptions o;
  int expect_failures = 0;
  std::string file;
  int line_no = 0;
  bool started = false;           // the first command has come (or the end)
  std::vector<std::string> held;  // lines before it, echoed once the cluster is up
  bool autofence = false;
  bool assert_on = false;
  bool sync;
  bool assert_failed = false;
  uint64_t timeout_ms = 250;  // accepted for vqsim compatibility; settling is exact
  internal::StatusPrinter status;

  std::ostream& out() { return *o.out; }
  std::ostream& err() { return *o.err; }

  // --- Arguments -------------------------------------------------------------------------

  void CheckNodes(const std::vector<NodeId>& ids, size_t col) {
    for (NodeId id : ids) {
      if (!c.HasNode(id)) {
        throw ScriptError{col, "unknown node id " + std::to_string(id) +
                                   " (not in the configuration's nodelist)"};
      }
    }
  }

  // A node list "[P:]id[,id...]" of configured nodes.
  NodeGroup Group(const Token& t) {
    NodeGroup g = ParseGroup(t);
    CheckNodes(g.ids, t.col);
    return g;
  }

  // One configured node id (no partition, no list).
  NodeId Node(const Token& t) {
    NodeId id = ParseU32(t.text, t.col, "a node id");
    CheckNodes({id}, t.col);
    return id;
  }

  // The node lists in args[from, to), flattened (partitions ignored).
  std::vector<NodeId> Nodes(const std::vector<Token>& args, size_t from, size_t to = SIZE_MAX) {
    std::vector<NodeId> ids;
    for (size_t i = from; i < args.size() && i < to; ++i) {
      NodeGroup g = Group(args[i]);
      ids.insert(ids.end(), g.ids.begin(), g.ids.end());
    }
    return ids;
  }

  // At least `min` tokens (the command included), and at most `max` when given.
  void Arity(const std::vector<Token>& t, size_t min, const std::string& usage,
             size_t max = SIZE_MAX) {
    if (t.size() < min) {
      size_t col = t.back().col + t.back().text.size();
      throw ScriptError{col, "missing argument; usage: " + usage};
    }
    if (t.size() > max) {
      throw ScriptError{t[max].col, "unexpected argument '" + t[max].text + "'; usage: " + usage};
    }
  }

  void Check(const Status& st, size_t col) {
    if (!st.ok()) throw ScriptError{col, st.message()};
  }

  // Nodes that are running, with a vqsim-style error for the others.
  std::vector<NodeId> RunningOnly(const std::vector<NodeId>& ids) {
    std::vector<NodeId> ok;
    for (NodeId id : ids) {
      if (c.IsUp(id)) {
        ok.push_back(id);
      } else {
        err() << "ERR: nodeid " << id << " is not up\n";
      }
    }
    return ok;
  }

  // --- After a command -------------------------------------------------------------------

  void Show() {
    status.PrintNodes(/*only_changed=*/false);
    status.PrintSetting("autofence", autofence);
  }

  // If some node is quorate, crashes every running inquorate one (vqsim's autofence).
  void Autofence() {
    std::vector<NodeView> run = status.Running();
    auto quorate = [](const NodeView& v) { return v.reported && v.quorate; };
    if (std::none_of(run.begin(), run.end(), quorate)) return;
    std::vector<NodeId> fence;
    for (const NodeView& v : run) {
      if (v.run_state == NodeRunState::kUp && !quorate(v)) {
        fence.push_back(v.node_id);
        // Unlike Quit, keeps the node's last printed line (the behaviour before the split).
        status.PrintQuit(v.partition, v.node_id, "autofenced");
      }
    }
    if (!fence.empty()) {
      Check(c.Crash(fence), 1);
      (void)c.Settle();
    }
  }

  // After a command: settle, autofence, print.
  void Finish(bool membership) {
    Status st = c.Settle();
    if (!st.ok()) {
      err() << "ERR: Partition(s) not stable within timeout (" << st.message() << ")\n";
      if (assert_on) {
        assert_failed = true;
        return;
      }
    }
    if (membership && autofence) Autofence();
    if (sync) {
      Show();
    } else {
      status.PrintNodes(/*only_changed=*/true);
    }
  }

  void Quit(const std::vector<NodeId>& ids, const char* why) {
    for (NodeId id : ids) {
      status.PrintQuit(c.Node(id).partition, id, why);
      status.Forget(id);
    }
  }

  // --- Commands --------------------------------------------------------------------------

  void Up(const std::vector<Token>& t) {
    Arity(t, 2, "up [P:]ID[,ID...] ...");
    for (size_t i = 1; i < t.size(); ++i) {
      NodeGroup g = Group(t[i]);
      for (NodeId id : g.ids) {
        if (c.IsUp(id)) {
          err() << "ERR: nodeid " << id << " already exists in partition " << c.Node(id).partition << "\n";
          continue;
        }
        PartitionId p = g.partition.value_or(c.Node(id).partition);
        if (g.partition) Check(c.MoveToPartition(std::vector<NodeId>{id}, p), t[i].col);
        status.Place(id);
        Check(c.Up(std::vector<NodeId>{id}), t[i].col);
      }
    }
    Finish(true);
  }

  void Move(const std::string& cmd, const std::vector<Token>& t) {
    Arity(t, 2, cmd + " [P:]ID[,ID...] ...");
    for (size_t i = 1; i < t.size(); ++i) {
      NodeGroup g = Group(t[i]);
      PartitionId p = g.partition.value_or(0);
      for (NodeId id : g.ids) {
        if (c.Node(id).partition != p) status.Place(id);
      }
      Check(c.MoveToPartition(g.ids, p), t[i].col);
    }
    Finish(true);
  }

  void Join(const std::vector<Token>& t) {
    if (t.size() < 3) throw ScriptError{t[0].col, "join needs at least two partition numbers"};
    PartitionId into = ParseU32(t[1].text, t[1].col, "a partition number");
    std::vector<PartitionId> others;
    for (size_t i = 2; i < t.size(); ++i) {
      others.push_back(ParseU32(t[i].text, t[i].col, "a partition number"));
    }
    // The joining nodes arrive in `into` after its own, keeping their order among themselves.
    for (PartitionId p : others) {
      std::vector<NodeId> moving;
      for (NodeId id : c.node_ids()) {
        if (c.Node(id).partition == p && p != into) moving.push_back(id);
      }
      std::sort(moving.begin(), moving.end(),
                [this](NodeId a, NodeId b) { return status.Placement(a) < status.Placement(b); });
      for (NodeId id : moving) status.Place(id);
    }
    Check(c.JoinPartitions(into, others), t[1].col);
    Finish(true);
  }

  // restart, pause, resume or leave.
  void Lifecycle(const std::string& cmd, const std::vector<Token>& t) {
    Arity(t, 2, cmd + " ID[,ID...]");
    std::vector<NodeId> ids = Nodes(t, 1);
    Status st;
    if (cmd == "restart") {
      for (NodeId id : ids) {
        if (!c.IsUp(id)) status.Place(id);
      }
      st = c.Restart(ids);
    } else if (cmd == "pause") {
      st = c.Pause(ids);
    } else if (cmd == "resume") {
      st = c.Resume(ids);
    } else {
      st = c.Leave(ids);
      if (st.ok()) {
        (void)c.Settle();
        Quit(ids, "left");
      }
    }
    Check(st, t[1].col);
    Finish(true);
  }

  void Qdevice(const std::vector<Token>& t) {
    Arity(t, 2, "qdevice on|off|vote|stop|master_wins ...");
    std::string sub = Lower(t[1].text);
    if (sub == "on" || sub == "off" || sub == "stop") {
      Arity(t, 3, "qdevice " + sub + " [P:]ID[,ID...] ...");
      std::vector<NodeId> ids = RunningOnly(Nodes(t, 2));
      Status st = sub == "on" ? c.QdeviceOn(ids) : sub == "off" ? c.QdeviceOff(ids) : c.QdeviceStop(ids);
      Check(st, t[2].col);
    } else if (sub == "vote" || sub == "master_wins") {
      Arity(t, 4, "qdevice " + sub + " [P:]ID[,ID...] 0|1", 4);
      std::vector<NodeId> ids = RunningOnly(Nodes(t, 2, 3));
      bool on = Parse01(t[3]);
      Check(sub == "vote" ? c.QdeviceVote(ids, on) : c.QdeviceMasterWins(ids, on), t[2].col);
    } else {
      throw ScriptError{t[1].col, "expected on, off, vote, stop or master_wins after 'qdevice', got '" +
                                      t[1].text + "'"};
    }
    Finish(true);
  }

  void Expect(const std::vector<Token>& t) {
    Arity(t, 3, "expect NODE key=value ...");
    NodeId id = Node(t[1]);
    std::vector<std::string> unmet =
        internal::UnmetExpectations(c.Node(id), std::span<const Token>(t).subspan(2));
    if (!unmet.empty()) {
      ++expect_failures;
      internal::ReportUnmetExpectations(err(), file, line_no, id, unmet);
    }
  }

  // Returns false to stop (exit).
  bool Command(const std::vector<Token>& t) {
    std::string cmd = Lower(t[0].text);
    if (cmd == "exit" || cmd == "quit" || cmd == "q") return false;
    if (cmd == "show") {
      Show();
    } else if (cmd == "up") {
      Up(t);
    } else if (cmd == "down" || cmd == "crash") {
      Arity(t, 2, cmd + " ID[,ID...]");
      std::vector<NodeId> ids = RunningOnly(Nodes(t, 1));
      Quit(ids, cmd == "down" ? "on request" : "crashed");
      Check(c.Crash(ids), t[1].col);
      Finish(true);
    } else if (cmd == "move" || cmd == "split") {
      Move(cmd, t);
    } else if (cmd == "join") {
      Join(t);
    } else if (cmd == "restart" || cmd == "pause" || cmd == "resume" || cmd == "leave") {
      Lifecycle(cmd, t);
    } else if (cmd == "qdevice") {
      Qdevice(t);
    } else if (cmd == "autofence") {
      Arity(t, 2, "autofence on|off");
      autofence = ParseOnOff(t[1]);
      status.PrintSetting("autofence", autofence);
    } else if (cmd == "sync") {
      Arity(t, 2, "sync on|off");
      sync = ParseOnOff(t[1]);
      status.PrintSetting("sync", sync);
    } else if (cmd == "assert") {
      Arity(t, 2, "assert on|off");
      assert_on = ParseOnOff(t[1]);
    } else if (cmd == "timeout") {
      Arity(t, 2, "timeout N");
      timeout_ms = ParseU64(t[1].text, t[1].col, "a number of milliseconds");
    } else if (cmd == "wait") {
      Arity(t, 2, "wait DURATION", 2);
      uint64_t ms = ParseDuration(t[1]);
      if (o.wait) {
        o.wait(ms);
      } else {
        c.RunFor(ms);
      }
      Finish(false);
    } else if (cmd == "seed") {
      Arity(t, 2, "seed N");
      c.SetSeed(ParseU64(t[1].text, t[1].col, "a number"));
    } else if (cmd == "delay") {
      Arity(t, 2, "delay DURATION [JITTER]", 3);
      uint64_t d = ParseDuration(t[1]);
      uint64_t j = t.size() > 2 ? ParseDuration(t[2]) : 0;
      c.SetMessageDelay(d, j);
    } else if (cmd == "setexpected") {
      Arity(t, 3, "setexpected NODE N", 3);
      NodeId node = Node(t[1]);
      uint32_t n = ParseU32(t[2].text, t[2].col, "a number of votes");
      CsError rc = c.NodeSetExpected(node, n);
      out() << node << ": setexpected " << n << " -> " << CsErrorName(rc) << '\n';
      Finish(false);
    } else if (cmd == "setvotes") {
      Arity(t, 4, "setvotes NODE TARGET N", 4);
      NodeId node = Node(t[1]);
      NodeId target = ParseU32(t[2].text, t[2].col, "a node id");
      uint32_t n = ParseU32(t[3].text, t[3].col, "a number of votes");
      CsError rc = c.NodeSetVotes(node, target, n);
      out() << node << ": setvotes " << target << " " << n << " -> " << CsErrorName(rc) << '\n';
      Finish(false);
    } else if (cmd == "cancel_wait_for_all") {
      Arity(t, 2, "cancel_wait_for_all NODE");
      NodeId node = Node(t[1]);
      CsError rc = c.NodeCancelWaitForAll(node);
      out() << node << ": cancel_wait_for_all -> " << CsErrorName(rc) << '\n';
      Finish(false);
    } else if (cmd == "expect") {
      Expect(t);
    } else {
      throw ScriptError{t[0].col, "unknown command '" + t[0].text + "' (see quorumsim -h)"};
    }
    return true;
  }

  // --- Lines -----------------------------------------------------------------------------

  // Starts the cluster as a script's start does: every configured node, settled and shown.
  bool StartAll() {
    for (NodeId id : c.node_ids()) status.Place(id);
    Status st = c.StartAll();
    if (!st.ok()) {
      err() << file << ": cannot start the cluster: " << st.message() << "\n";
      return false;
    }
    Finish(true);
    return true;
  }

  void Echo(const std::string& line) {
    if (o.interactive) {
      out() << "vqsim> " << std::flush;
    } else if (o.prompt) {
      out() << "#vqsim> " << line << '\n';
    }
  }

  // The first command has come (`up` says itself which nodes start) or the script ended.
  bool Start(bool first_is_up) {
    started = true;
    if (!first_is_up && !StartAll()) return false;
    for (const std::string& l : held) Echo(l);
    held.clear();
    return true;
  }
};

ScriptRunner::ScriptRunner(Cluster* cluster, ScriptOptions options)
    : impl_(std::make_unique<Impl>(*cluster, std::move(options))) {}

ScriptRunner::~ScriptRunner() = default;

int ScriptRunner::expectation_failures() const { return impl_->expect_failures; }

int ScriptRunner::RunLine(std::string_view line, const std::string& name, int lineno) {
  Impl& s = *impl_;
  s.file = name;
  std::vector<Token> t = Tokenize(line);
  if (!s.started) {
    if (!IsCommand(t)) {
      s.held.emplace_back(line);
      return kScriptOk;
    }
    if (!s.Start(Lower(t[0].text) == "up")) return kScriptFailed;
  }
  s.line_no = lineno;
  s.Echo(std::string(line));
  if (!IsCommand(t)) return kScriptOk;
  try {
    if (!s.Command(t)) return kScriptExit;
  } catch (const ScriptError& e) {
    s.err() << name << ":" << lineno << ":" << e.col << ": error: " << e.msg << "\n";
    return kScriptFailed;
  }
  return s.assert_failed ? kScriptAssert : kScriptOk;
}

int ScriptRunner::End(const std::string& name) {
  Impl& s = *impl_;
  s.file = name;
  if (!s.started && !s.Start(false)) return kScriptFailed;
  if (s.expect_failures > 0) {
    s.err() << name << ": " << s.expect_failures << " expectation(s) failed\n";
    return kScriptFailed;
  }
  return kScriptOk;
}

int ScriptRunner::Run(std::istream& in, const std::string& name) {
  std::string line;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    int rc = RunLine(line, name, lineno);
    if (rc == kScriptExit) break;
    if (rc != kScriptOk) return rc;
  }
  return End(name);
}

std::string HelpText() {
  return R"HELP(Usage: quorumsim [-c corosync.conf] [-o output] [-n] [-h] [-f script | script]
                 [--trace FILE] [--seed N] [--no-prompt]

Simulates a corosync 3.1 cluster running votequorum, in virtual time, with the command
language of corosync-vqsim plus extensions. Commands come from the script file given
with -f or as the last argument, or else from standard input (a pipe or a terminal).

Options
  -c FILE      corosync.conf to read (default /etc/corosync/corosync.conf); any path length
  -o FILE      write status output to FILE instead of standard output
  -n           no synchronous output (as vqsim's "sync off"): after a command, print only
               the status lines that changed
  -f FILE      read commands from FILE (same as giving FILE as the last argument)
  --trace FILE write every event as one JSON object per line, with virtual timestamps
  --seed N     seed for message-delay jitter (default 0); same seed => same trace
  --no-prompt  do not print "#vqsim> <command>" lines
  -h           this text

Start-up: every configured node starts up in partition 0, unless the script's first
command is "up NODES", in which case only those start. Nodes must be in the nodelist.

Output: after each command that changes the cluster, one line per running node, ordered
by partition, then "#autofence: on|off":
  P:ID: q=Q ring=[REP.SEQ] nodes=[ID ID ...]
P partition, Q the node's last quorum verdict, ring id in hex, nodes the ring members
(from the node's last internal quorum notification, as vqsim prints). "#vqsim> <line>"
echoes each input line (unless --no-prompt); errors go to standard error.

vqsim commands (case-insensitive; '#' starts a comment; NODES is [P:]ID[,ID...])
  up NODES ...           start nodes (placed in partition P if given)
  down ID[,ID...]        crash nodes (the process just goes away; all listed nodes)
  move|split NODES ...   put nodes into partition P (default 0); may move a down node
  join P1 P2 [P3...]     merge partitions P2... into P1
  qdevice on|off NODES   on: register a quorum device and poll casting its vote;
                         off: stop polling and unregister
  autofence on|off       after a membership change, if some node is quorate, crash every
                         inquorate node ("P:ID: Quit (autofenced)")
  timeout N            accepted and ignored: every command runs until settled
  sync on|off            print full status after commands (on) or only changed lines
  assert on|off          exit with status 2 if the cluster does not settle
  show                   print every running node's status
  exit | quit | q        stop (also at end of input)

Extensions
  wait DURATION          advance virtual time (e.g. 1500ms, 12s, 2m; plain number = ms),
                         letting armed timers fire (last_man_standing_window, qdevice
                         timeout and sync timeout, periodic qdevice polls)
  crash NODES            same as down
  restart NODES          crash if running, then start a fresh process in the node's
                         partition (the expected_votes_tracking value survives)
  pause NODES            stop the process (the others lose it after token + consensus)
  resume NODES           continue it; overdue timers fire and it rejoins
  leave NODES            clean shutdown: the node sends LEAVING, then exits; the others
                         re-form after the join timeout
  setexpected NODE N     NODE's application calls votequorum_setexpected(N);
                         prints "NODE: setexpected N -> CS_..."
  setvotes NODE TARGET N NODE's application calls votequorum_setvotes(TARGET, N);
                         prints "NODE: setvotes TARGET N -> CS_..."
  cancel_wait_for_all NODE   writes quorum.cancel_wait_for_all on NODE
  qdevice vote NODES 0|1 registers the device if needed; its polls cast the vote (1) or not
  qdevice stop NODES     device stays registered but stops polling (it times out)
  qdevice master_wins NODES 0|1   votequorum_qdevice_master_wins
  seed N                 re-seed the message-delay jitter
  delay DURATION [JITTER]  every ring message takes DURATION (+ uniform 0..JITTER from the
                         seed); the agreed order is kept
  expect NODE key=value ...   check NODE's state; keys:
                         quorate=0|1  members=ID,ID,... (any order)  ring=REP.SEQ (hex) or REP.*
                         votes  expected  highest  total  quorum  qdevice_votes (numbers,
                         as votequorum_getinfo(0))  flags=HEX (votequorum_info.flags)
                         rc=CS_... (the node's last setexpected/setvotes result)
                         state=up|down|paused
                         A failed expectation prints file, line and each differing field
                         (wanted vs got); all are checked; the exit status is then 1.

Settling: each command runs in virtual time until every membership change it caused has
completed on every live node (ring formed, sync done, messages delivered, notifications
sent). Timers that are merely armed (last_man_standing_window, qdevice timeout, periodic
polls) fire only with "wait" (or while a sync waits for a quorum device).

Timing model (corosync.conf totem values, corosync 3.1 defaults):
  token timeout   = token (3000) + (nodes - 2) * token_coefficient (650) for >= 3 nodes
  consensus       = totem.consensus, default 1.2 * token timeout
  losing a node (crash, pause, split): token timeout + consensus
  merge, clean leave, start (a new node forms a ring on its own first, then merges),
  resume: join (50) each step
Ring id: (lowest member, 4 + highest sequence any member has seen); never goes back.
Quorum device: registers as "Qdevice", polls at once after each nodelist notification
(with its ring id) and every quorum.device.timeout/2; it does not survive its node's
crash or restart (use "qdevice on" again).

Exit status: 0 ok; 1 script error (file:line:column) or failed expectations;
2 "assert on" and the cluster did not settle.
)HELP";
}

}  // namespace quorumsim
