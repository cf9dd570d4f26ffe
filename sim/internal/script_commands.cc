#include "sim/internal/script_commands.h"

#include <algorithm>
#include <ostream>
#include <set>
#include <sstream>

#include "sim/internal/expectations.h"

namespace quorumsim::internal {

// ---------------- Interp ----------------------------------------------------------------

void Interp::Check(const Status& st, size_t col) {
  if (!st.ok()) throw ScriptError{col, st.message()};
}

std::vector<NodeId> Interp::RunningOnly(const std::vector<NodeId>& ids) {
  std::vector<NodeId> running;
  for (NodeId id : ids) {
    if (c.IsUp(id)) {
      running.push_back(id);
    } else {
      err() << "ERR: nodeid " << id << " is not up\n";
    }
  }
  return running;
}

void Interp::PrintCall(NodeId node, const std::string& what, CsError rc) {
  out() << node << ": " << what << " -> " << CsErrorName(rc) << '\n';
}

void Interp::Show() {
  status.PrintNodes(/*only_changed=*/false);
  status.PrintSetting("autofence", autofence);
}

void Interp::Quit(const std::vector<NodeId>& ids, const char* why) {
  for (NodeId id : ids) {
    status.PrintQuit(c.Node(id).partition, id, why);
    status.Forget(id);
  }
}

// If some node is quorate, crashes every running inquorate one (vqsim's autofence).
void Interp::Autofence() {
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
    (void)(o.settle ? o.settle() : c.Settle());
  }
}

void Interp::Finish(bool membership) {
  Status st = o.settle ? o.settle() : c.Settle();
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

// ---------------- argument checks -------------------------------------------------------

namespace {

using Args = std::span<const Token>;

void CheckConfigured(const Cluster& c, NodeId id, size_t col) {
  if (!c.HasNode(id)) {
    throw ScriptError{col, "unknown node id " + std::to_string(id) +
                               " (not in the configuration's nodelist)"};
  }
}

PartitionId CheckPartition(PartitionId p, size_t col) {
  if (p >= kMaxPartitions) {
    throw ScriptError{col, "partition " + std::to_string(p) + " out of range: corosync-vqsim has " +
                               std::to_string(kMaxPartitions) + " partitions, 0 to " +
                               std::to_string(kMaxPartitions - 1)};
  }
  return p;
}

PartitionId Partition(const Token& t) {
  return CheckPartition(ParseU32(t.text, t.col, "a partition number"), t.col);
}

// The node lists of one command: every id configured, none named twice.
class NodeLists {
 public:
  explicit NodeLists(const Cluster& c) : c_(c) {}

  NodeGroup Group(const Token& t) {
    NodeGroup g = ParseGroup(t);
    if (g.partition) CheckPartition(*g.partition, t.col);
    for (NodeId id : g.ids) Add(id, t);
    return g;
  }
  NodeId Node(const Token& t) {
    NodeId id = ParseU32(t.text, t.col, "a node id");
    Add(id, t);
    return id;
  }

 private:
  void Add(NodeId id, const Token& t) {
    CheckConfigured(c_, id, t.col);
    if (!seen_.insert(id).second) {
      throw ScriptError{t.col, "node " + std::to_string(id) + " is named twice in one command"};
    }
  }
  const Cluster& c_;
  std::set<NodeId> seen_;
};

// Every id in args (node lists, partitions ignored).
std::vector<NodeId> AllIds(const Cluster& c, Args args) {
  NodeLists lists(c);
  std::vector<NodeId> ids;
  for (const Token& t : args) {
    NodeGroup g = lists.Group(t);
    ids.insert(ids.end(), g.ids.begin(), g.ids.end());
  }
  return ids;
}

// A single node id (no partition, no list): the node a library call is made on.
NodeId OneNode(const Cluster& c, const Token& t) {
  NodeId id = ParseU32(t.text, t.col, "a node id");
  CheckConfigured(c, id, t.col);
  return id;
}

// ---------------- commands --------------------------------------------------------------

// Each argument's node list with its column (for errors once the command runs).
struct GroupArg {
  NodeGroup group;
  size_t col;
};

std::vector<GroupArg> GroupArgs(const Cluster& c, Args args) {
  std::vector<GroupArg> items;
  NodeLists lists(c);
  for (const Token& t : args) items.push_back(GroupArg{lists.Group(t), t.col});
  return items;
}

Action Up(const Cluster& c, Args args) {
  return [items = GroupArgs(c, args)](Interp& s) {
    for (const GroupArg& item : items) {
      for (NodeId id : item.group.ids) {
        if (s.c.IsUp(id)) {
          s.err() << "ERR: nodeid " << id << " already exists in partition " << s.c.Node(id).partition << "\n";
          continue;
        }
        if (item.group.partition) {
          s.Check(s.c.MoveToPartition(std::vector<NodeId>{id}, *item.group.partition), item.col);
        }
        s.Check(s.c.Up(std::vector<NodeId>{id}), item.col);
      }
    }
    s.Finish(true);
  };
}

Action CrashNodes(const Cluster& c, Args args, const char* why) {
  std::vector<NodeId> ids = AllIds(c, args);
  size_t col = args[0].col;
  return [ids, col, why](Interp& s) {
    std::vector<NodeId> running = s.RunningOnly(ids);
    s.Quit(running, why);
    s.Check(s.c.Crash(running), col);
    s.Finish(true);
  };
}

Action Move(const Cluster& c, Args args) {
  return [items = GroupArgs(c, args)](Interp& s) {
    for (const GroupArg& item : items) {
      s.Check(s.c.MoveToPartition(item.group.ids, item.group.partition.value_or(0)), item.col);
    }
    s.Finish(true);
  };
}

Action Join(const Cluster&, Args args) {
  std::vector<PartitionId> parts;
  for (const Token& t : args) {
    PartitionId p = Partition(t);
    if (std::find(parts.begin(), parts.end(), p) != parts.end()) {
      throw ScriptError{t.col, "partition " + std::to_string(p) + " is named twice in one join"};
    }
    parts.push_back(p);
  }
  return [parts](Interp& s) {
    for (PartitionId p : parts) {
      bool empty = true;
      for (NodeId id : s.c.node_ids()) {
        NodeView v = s.c.Node(id);
        if (v.partition == p && v.run_state != NodeRunState::kDown) empty = false;
      }
      // vqsim accepts it; it is most likely a typo.
      if (empty) s.err() << s.file << ":" << s.line_no << ": warning: partition " << p << " has no running node\n";
    }
    std::vector<PartitionId> others(parts.begin() + 1, parts.end());
    s.Check(s.c.JoinPartitions(parts[0], others), 1);
    s.Finish(true);
  };
}

// restart, pause, resume, leave: whole-process faults on running (or down) nodes.
template <Status (Cluster::*Fault)(std::span<const NodeId>)>
Action Lifecycle(const Cluster& c, Args args) {
  std::vector<NodeId> ids = AllIds(c, args);
  size_t col = args[0].col;
  return [ids, col](Interp& s) {
    s.Check((s.c.*Fault)(ids), col);
    s.Finish(true);
  };
}

Action Leave(const Cluster& c, Args args) {
  std::vector<NodeId> ids = AllIds(c, args);
  size_t col = args[0].col;
  return [ids, col](Interp& s) {
    s.Check(s.c.Leave(ids), col);
    (void)(s.o.settle ? s.o.settle() : s.c.Settle());
    s.Quit(ids, "left");
    s.Finish(true);
  };
}

Action QdeviceVote(const Cluster& c, Args nodes, bool vote) {
  std::vector<NodeId> ids = AllIds(c, nodes);
  size_t col = nodes[0].col;
  return [ids, col, vote](Interp& s) {
    s.Check(s.c.QdeviceVote(s.RunningOnly(ids), vote), col);
    s.Finish(true);
  };
}

Action Expect(const Cluster& c, Args args) {
  NodeId id = OneNode(c, args[0]);
  std::vector<Token> kv(args.begin() + 1, args.end());
  // Parse the keys now so that a malformed one is a script error before anything runs.
  (void)UnmetExpectations(NodeView{}, kv);
  return [id, kv](Interp& s) {
    std::vector<std::string> unmet = UnmetExpectations(s.c.Node(id), kv);
    if (!unmet.empty()) {
      ++s.expect_failures;
      ReportUnmetExpectations(s.err(), s.file, s.line_no, id, unmet);
    }
  };
}

Action Wait(const Cluster&, Args args) {
  uint64_t ms = ParseDuration(args[0]);
  return [ms](Interp& s) {
    if (s.o.wait) {
      s.o.wait(ms);
    } else {
      s.c.RunFor(ms);
    }
    s.Finish(false);
  };
}

Action Setting(Args args, bool Interp::*field, const char* print_as) {
  bool on = ParseOnOff(args[0]);
  return [on, field, print_as](Interp& s) {
    s.*field = on;
    if (print_as != nullptr) s.status.PrintSetting(print_as, on);
  };
}

constexpr size_t kAny = SIZE_MAX;

const CommandSpec kCommands[] = {
    // corosync-vqsim's commands.
    {"up", "", 1, kAny, "NODES ...",
     "start nodes (in partition P if given); vqsim's order: a started node comes last in\n"
     "its partition's status lines",
     true, [](const Cluster& c, Args a) { return Up(c, a); }},
    {"down", "", 1, kAny, "NODES ...", "crash nodes (the process just goes away)", true,
     [](const Cluster& c, Args a) { return CrashNodes(c, a, "on request"); }},
    {"move", "split", 1, kAny, "NODES ...",
     "put nodes into partition P (default 0); a node that is down may be moved", true,
     [](const Cluster& c, Args a) { return Move(c, a); }},
    {"join", "", 2, kAny, "P1 P2 [P3 ...]",
     "merge partitions P2 ... into P1 (each named once; an empty one is a warning)", true,
     [](const Cluster& c, Args a) { return Join(c, a); }},
    {"qdevice on", "", 1, kAny, "NODES ...",
     "the node's device daemon registers (if needed) and polls casting its vote: at once,\n"
     "after every nodelist change and every quorum.device.timeout/2 (= qdevice vote NODES 1)",
     true, [](const Cluster& c, Args a) { return QdeviceVote(c, a, true); }},
    {"qdevice off", "", 1, kAny, "NODES ...",
     "the device stops polling and the script calls votequorum_qdevice_unregister;\n"
     "prints \"NODE: qdevice off -> CS_...\" (CS_ERR_NOT_EXIST when none is registered)",
     true,
     [](const Cluster& c, Args a) -> Action {
       std::vector<NodeId> ids = AllIds(c, a);
       return [ids](Interp& s) {
         for (NodeId id : ids) s.PrintCall(id, "qdevice off", s.c.NodeQdeviceOff(id));
         s.Finish(true);
       };
     }},
    {"autofence", "", 1, 1, "on|off",
     "after a membership change, if some node is quorate, crash every inquorate node\n"
     "(\"P:ID: Quit (autofenced)\")",
     true, [](const Cluster&, Args a) { return Setting(a, &Interp::autofence, "autofence"); }},
    {"timeout", "", 1, 1, "N", "accepted and ignored: every command runs until settled", true,
     [](const Cluster&, Args a) -> Action {
       uint64_t ms = ParseU64(a[0].text, a[0].col, "a number of milliseconds");
       return [ms](Interp& s) { s.timeout_ms = ms; };
     }},
    {"sync", "", 1, 1, "on|off", "print full status after commands (on) or only changed lines",
     true, [](const Cluster&, Args a) { return Setting(a, &Interp::sync, "sync"); }},
    {"assert", "", 1, 1, "on|off", "exit with status 2 if the cluster does not settle", true,
     [](const Cluster&, Args a) { return Setting(a, &Interp::assert_on, nullptr); }},
    {"show", "", 0, 0, "", "print every running node's status", true,
     [](const Cluster&, Args) -> Action { return [](Interp& s) { s.Show(); }; }},
    {"exit", "quit|q", 0, 0, "", "stop (also at the end of input)", true, nullptr},

    // Extensions.
    {"wait", "", 1, 1, "DURATION",
     "advance virtual time (1500ms, 12s, 2m, 1h; a plain number is ms), letting armed\n"
     "timers fire (last_man_standing_window, device timeouts, periodic device polls)",
     false, [](const Cluster& c, Args a) { return Wait(c, a); }},
    {"crash", "", 1, kAny, "NODES ...", "same as down", false,
     [](const Cluster& c, Args a) { return CrashNodes(c, a, "crashed"); }},
    {"restart", "", 1, kAny, "NODES ...",
     "crash if running, then start a fresh process in the node's partition (the\n"
     "expected_votes_tracking value survives)",
     false, [](const Cluster& c, Args a) { return Lifecycle<&Cluster::Restart>(c, a); }},
    {"pause", "", 1, kAny, "NODES ...",
     "stop the process (the others lose it after token + consensus)", false,
     [](const Cluster& c, Args a) { return Lifecycle<&Cluster::Pause>(c, a); }},
    {"resume", "", 1, kAny, "NODES ...", "continue it; overdue timers fire and it rejoins", false,
     [](const Cluster& c, Args a) { return Lifecycle<&Cluster::Resume>(c, a); }},
    {"leave", "", 1, kAny, "NODES ...",
     "clean shutdown: the node sends LEAVING and exits; the others re-form after join", false,
     [](const Cluster& c, Args a) { return Leave(c, a); }},
    {"setexpected", "", 2, 2, "NODE N",
     "NODE's application calls votequorum_setexpected(N); prints \"NODE: setexpected N -> CS_...\"",
     false,
     [](const Cluster& c, Args a) -> Action {
       NodeId node = OneNode(c, a[0]);
       uint32_t n = ParseU32(a[1].text, a[1].col, "a number of votes");
       return [node, n](Interp& s) {
         s.PrintCall(node, "setexpected " + std::to_string(n), s.c.NodeSetExpected(node, n));
         s.Finish(false);
       };
     }},
    {"setvotes", "", 3, 3, "NODE TARGET N",
     "NODE's application calls votequorum_setvotes(TARGET, N); prints\n"
     "\"NODE: setvotes TARGET N -> CS_...\"",
     false,
     [](const Cluster& c, Args a) -> Action {
       NodeId node = OneNode(c, a[0]);
       NodeId target = ParseU32(a[1].text, a[1].col, "a node id");
       uint32_t n = ParseU32(a[2].text, a[2].col, "a number of votes");
       return [node, target, n](Interp& s) {
         s.PrintCall(node, "setvotes " + std::to_string(target) + " " + std::to_string(n),
                     s.c.NodeSetVotes(node, target, n));
         s.Finish(false);
       };
     }},
    {"cancel_wait_for_all", "", 1, 1, "NODE",
     "writes quorum.cancel_wait_for_all on NODE; prints \"NODE: cancel_wait_for_all -> CS_...\"",
     false,
     [](const Cluster& c, Args a) -> Action {
       NodeId node = OneNode(c, a[0]);
       return [node](Interp& s) {
         s.PrintCall(node, "cancel_wait_for_all", s.c.NodeCancelWaitForAll(node));
         s.Finish(false);
       };
     }},
    {"qdevice vote", "", 2, 2, "NODES 0|1",
     "as qdevice on, the device's polls casting the vote (1) or not (0)", false,
     [](const Cluster& c, Args a) { return QdeviceVote(c, a.first(1), Parse01(a[1])); }},
    {"qdevice stop", "", 1, kAny, "NODES ...",
     "the device stops polling but stays registered (it times out)", false,
     [](const Cluster& c, Args a) -> Action {
       std::vector<NodeId> ids = AllIds(c, a);
       size_t col = a[0].col;
       return [ids, col](Interp& s) {
         s.Check(s.c.QdeviceStop(s.RunningOnly(ids)), col);
         s.Finish(true);
       };
     }},
    {"qdevice master_wins", "", 2, 2, "NODES 0|1",
     "the script calls votequorum_qdevice_master_wins at once; prints\n"
     "\"NODE: qdevice master_wins 0|1 -> CS_...\" (CS_ERR_NOT_EXIST when none is registered)",
     false,
     [](const Cluster& c, Args a) -> Action {
       std::vector<NodeId> ids = AllIds(c, a.first(1));
       bool allow = Parse01(a[1]);
       return [ids, allow](Interp& s) {
         for (NodeId id : ids) {
           s.PrintCall(id, std::string("qdevice master_wins ") + (allow ? "1" : "0"),
                       s.c.NodeQdeviceMasterWins(id, allow));
         }
         s.Finish(true);
       };
     }},
    {"seed", "", 1, 1, "N", "re-seed the message-delay jitter", false,
     [](const Cluster&, Args a) -> Action {
       uint64_t seed = ParseU64(a[0].text, a[0].col, "a number");
       return [seed](Interp& s) { s.c.SetSeed(seed); };
     }},
    {"delay", "", 1, 2, "DURATION [JITTER]",
     "every ring message takes DURATION (+ uniform 0..JITTER from the seed); the agreed\n"
     "order is kept",
     false,
     [](const Cluster&, Args a) -> Action {
       uint64_t d = ParseDuration(a[0]);
       uint64_t j = a.size() > 1 ? ParseDuration(a[1]) : 0;
       return [d, j](Interp& s) { s.c.SetMessageDelay(d, j); };
     }},
    {"expect", "", 2, kAny, "NODE key=value ...",
     "check NODE's state (keys below); a failed expectation prints file, line and each\n"
     "differing field (wanted vs got) and makes the exit status 1",
     false, [](const Cluster& c, Args a) { return Expect(c, a); }},
};

bool NameIs(const CommandSpec& spec, std::string_view word) {
  if (spec.name == word) return true;
  std::string_view rest = spec.aliases;
  while (!rest.empty()) {
    size_t bar = rest.find('|');
    if (rest.substr(0, bar) == word) return true;
    if (bar == std::string_view::npos) break;
    rest = rest.substr(bar + 1);
  }
  return false;
}

std::string Names(const CommandSpec& spec) {
  std::string names(spec.name);
  if (!spec.aliases.empty()) names += "|" + std::string(spec.aliases);
  return names;
}

std::string Usage(const CommandSpec& spec) {
  std::string u = Names(spec);
  if (!spec.usage.empty()) u += " " + std::string(spec.usage);
  return u;
}

}  // namespace

std::span<const CommandSpec> Commands() { return kCommands; }

const CommandSpec& FindCommand(std::span<const Token> tokens, size_t* name_words) {
  std::string first = Lower(tokens[0].text);
  bool has_subcommands = false;
  for (const CommandSpec& spec : kCommands) {
    size_t space = spec.name.find(' ');
    if (space == std::string_view::npos) {
      if (NameIs(spec, first)) {
        *name_words = 1;
        return spec;
      }
    } else if (spec.name.substr(0, space) == first) {
      has_subcommands = true;
      if (tokens.size() > 1 && spec.name.substr(space + 1) == Lower(tokens[1].text)) {
        *name_words = 2;
        return spec;
      }
    }
  }
  if (!has_subcommands) {
    // A corosync.conf given where a script was expected opens with "totem {" or the like.
    bool section = tokens.back().text.back() == '{';
    throw ScriptError{tokens[0].col, "unknown command '" + tokens[0].text + "' (see quorumsim -h)" +
                                         (section ? "; this looks like a corosync.conf section: give the "
                                                    "configuration with -c FILE"
                                                  : "")};
  }
  std::string subs;
  for (const CommandSpec& spec : kCommands) {
    if (spec.name.substr(0, spec.name.find(' ')) == first && spec.name.find(' ') != std::string_view::npos) {
      subs += (subs.empty() ? "" : ", ") + std::string(spec.name.substr(spec.name.find(' ') + 1));
    }
  }
  if (tokens.size() < 2) {
    throw ScriptError{tokens[0].col + tokens[0].text.size(), "missing subcommand after '" + first + "': expected " + subs};
  }
  throw ScriptError{tokens[1].col, "expected " + subs + " after '" + first + "', got '" + tokens[1].text + "'"};
}

Action ParseCommand(const Cluster& cluster, std::span<const Token> tokens) {
  size_t name_words = 1;
  const CommandSpec& spec = FindCommand(tokens, &name_words);
  std::span<const Token> args = tokens.subspan(name_words);
  if (args.size() < spec.min_args) {
    const Token& last = tokens.back();
    throw ScriptError{last.col + last.text.size(), "missing argument; usage: " + Usage(spec)};
  }
  if (args.size() > spec.max_args) {
    const Token& extra = args[spec.max_args];
    throw ScriptError{extra.col, "unexpected argument '" + extra.text + "'; usage: " + Usage(spec)};
  }
  if (spec.parse == nullptr) return nullptr;  // exit
  return spec.parse(cluster, args);
}

std::string CommandHelp(bool vqsim) {
  constexpr size_t kIndent = 26;
  constexpr size_t kWidth = 92;
  std::string text;
  for (const CommandSpec& spec : kCommands) {
    if (spec.vqsim != vqsim) continue;
    std::string line = "  " + Usage(spec);
    if (line.size() >= kIndent) {  // a long usage gets a line of its own
      text += line + "\n";
      line.clear();
    }
    line.resize(kIndent, ' ');
    std::string word;
    std::istringstream words{std::string(spec.help)};
    bool first = true;
    while (words >> word) {
      if (!first && line.size() + 1 + word.size() > kWidth) {
        text += line + "\n";
        line.assign(kIndent, ' ');
        first = true;
      }
      if (!first) line += ' ';
      line += word;
      first = false;
    }
    text += line + "\n";
  }
  return text;
}

std::string CommandMarkdown() {
  std::string md = "| Command | Meaning |\n|---|---|\n";
  for (int pass = 0; pass < 2; ++pass) {
    for (const CommandSpec& spec : kCommands) {
      if (spec.vqsim != (pass == 0)) continue;
      std::string help(spec.help);
      std::replace(help.begin(), help.end(), '\n', ' ');
      std::string usage = Usage(spec);
      std::string escaped;
      for (char ch : usage) {
        if (ch == '|') escaped += '\\';
        escaped += ch;
      }
      std::string cell;
      for (char ch : help) {
        if (ch == '|') cell += '\\';
        cell += ch;
      }
      md += "| `" + escaped + "` | " + (spec.vqsim ? "" : "(extension) ") + cell + " |\n";
    }
  }
  return md;
}

}  // namespace quorumsim::internal
