// The quorumsim script interpreter.
#include "sim/script.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <istream>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string_view>
#include <vector>

namespace quorumsim {

namespace {

struct Token {
  std::string text;
  size_t col = 1;  // 1-based column in the line
};

std::vector<Token> Tokenize(const std::string& line) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i >= line.size()) break;
    size_t b = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    out.push_back(Token{line.substr(b, i - b), b + 1});
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Thrown inside one command; caught by the line loop (never crosses the API).
struct ScriptError {
  size_t col;
  std::string msg;
};

uint64_t ParseU64(std::string_view s, size_t col, const std::string& what, int base = 10) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
    throw ScriptError{col, "expected " + what + ", got '" + std::string(s) + "'"};
  }
  return v;
}

uint32_t ParseU32(std::string_view s, size_t col, const std::string& what, int base = 10) {
  uint64_t v = ParseU64(s, col, what, base);
  if (v > UINT32_MAX) throw ScriptError{col, what + " out of range: '" + std::string(s) + "'"};
  return static_cast<uint32_t>(v);
}

// "1500ms", "12s", "2m", "1h", or a plain number of milliseconds.
uint64_t ParseDuration(const Token& t) {
  std::string_view s = t.text;
  size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  std::string_view num = s.substr(0, i);
  std::string unit = Lower(std::string(s.substr(i)));
  uint64_t mult = 0;
  if (unit.empty() || unit == "ms") {
    mult = 1;
  } else if (unit == "s") {
    mult = 1000;
  } else if (unit == "m" || unit == "min") {
    mult = 60000;
  } else if (unit == "h") {
    mult = 3600000;
  } else {
    throw ScriptError{t.col, "expected a duration such as 1500ms, 12s or 2m, got '" + t.text + "'"};
  }
  uint64_t v = ParseU64(num, t.col, "a duration such as 1500ms, 12s or 2m");
  if (v > (UINT64_MAX / 4) / mult) throw ScriptError{t.col, "duration too large: '" + t.text + "'"};
  return v * mult;
}

bool ParseOnOff(const Token& t) {
  std::string v = Lower(t.text);
  if (v == "on") return true;
  if (v == "off") return false;
  throw ScriptError{t.col, "expected 'on' or 'off', got '" + t.text + "'"};
}

bool Parse01(const Token& t) {
  if (t.text == "1") return true;
  if (t.text == "0") return false;
  std::string v = Lower(t.text);
  if (v == "on") return true;
  if (v == "off") return false;
  throw ScriptError{t.col, "expected 0 or 1, got '" + t.text + "'"};
}

struct NodeGroup {
  std::optional<PartitionId> partition;
  std::vector<NodeId> ids;
};

// "[P:]id[,id...]"
NodeGroup ParseGroup(const Token& t) {
  NodeGroup g;
  std::string_view s = t.text;
  size_t col = t.col;
  size_t colon = s.find(':');
  if (colon != std::string_view::npos) {
    g.partition = ParseU32(s.substr(0, colon), col, "a partition number");
    col += colon + 1;
    s = s.substr(colon + 1);
  }
  size_t pos = 0;
  while (true) {
    size_t comma = s.find(',', pos);
    std::string_view item = s.substr(pos, comma == std::string_view::npos ? s.npos : comma - pos);
    NodeId id = ParseU32(item, col + pos, "a node id");
    if (id == 0) throw ScriptError{col + pos, "node id 0 is reserved"};
    g.ids.push_back(id);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return g;
}

std::string JoinIds(const std::vector<NodeId>& ids, char sep) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s += sep;
    s += std::to_string(ids[i]);
  }
  return s;
}

std::string Hex(uint32_t v) {
  std::ostringstream ss;
  ss << "0x" << std::hex << v;
  return ss.str();
}

// True for a line holding a command (not blank, not a comment).
bool IsCommand(const std::vector<Token>& t) { return !t.empty() && t[0].text[0] != '#'; }

}  // namespace

bool ScriptStartsWithUp(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    std::vector<Token> t = Tokenize(line);
    if (IsCommand(t)) return Lower(t[0].text) == "up";
  }
  return false;
}

struct ScriptRunner::Impl {
  Impl(Cluster& cluster, ScriptOptions options) : c(cluster), o(std::move(options)), sync(o.sync) {}
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
  // Last printed line per node (for sync off: print what changed, as notifications).
  std::map<NodeId, std::string> last_line;

  std::ostream& out() { return *o.out; }
  std::ostream& err() { return *o.err; }

  void CheckNodes(const std::vector<NodeId>& ids, size_t col) {
    for (NodeId id : ids) {
      if (!c.HasNode(id)) {
        throw ScriptError{col, "unknown node id " + std::to_string(id) +
                                   " (not in the configuration's nodelist)"};
      }
    }
  }

  std::vector<NodeId> Nodes(const std::vector<Token>& args, size_t from, size_t to = SIZE_MAX) {
    std::vector<NodeId> ids;
    for (size_t i = from; i < args.size() && i < to; ++i) {
      NodeGroup g = ParseGroup(args[i]);
      CheckNodes(g.ids, args[i].col);
      ids.insert(ids.end(), g.ids.begin(), g.ids.end());
    }
    return ids;
  }

  void Need(const std::vector<Token>& t, size_t n, const std::string& usage) {
    if (t.size() < n) {
      size_t col = t.back().col + t.back().text.size();
      throw ScriptError{col, "missing argument; usage: " + usage};
    }
  }
  void NoMore(const std::vector<Token>& t, size_t n, const std::string& usage) {
    if (t.size() > n) throw ScriptError{t[n].col, "unexpected argument '" + t[n].text + "'; usage: " + usage};
  }

  void Check(const Status& st, size_t col) {
    if (!st.ok()) throw ScriptError{col, st.message()};
  }

  std::string StatusLine(const NodeView& v) {
    std::string s = std::to_string(v.partition) + ":" + std::to_string(v.node_id) + ": ";
    if (!v.reported) return s + "q=UNINITIALIZED";
    s += "q=" + std::to_string(v.quorate ? 1 : 0) + " ring=[" + FormatRingId(v.ring) + "] nodes=[" +
         JoinIds(v.members, ' ') + "]";
    return s;
  }

  // Running nodes in vqsim's order: by partition, then by arrival in the partition.
  std::vector<NodeView> Running() {
    std::vector<std::pair<std::pair<PartitionId, size_t>, NodeView>> v;
    const auto& ids = c.node_ids();
    std::vector<NodeId> sorted(ids.begin(), ids.end());
    for (NodeId id : sorted) {
      NodeView nv = c.Node(id);
      if (nv.run_state == NodeRunState::kDown) continue;
      v.push_back({{nv.partition, 0}, std::move(nv)});
    }
    std::stable_sort(v.begin(), v.end(), [this](const auto& a, const auto& b) {
      if (a.second.partition != b.second.partition) return a.second.partition < b.second.partition;
      return Placement(a.second.node_id) < Placement(b.second.node_id);
    });
    std::vector<NodeView> out;
    for (auto& p : v) out.push_back(std::move(p.second));
    return out;
  }

  std::map<NodeId, uint64_t> placement;
  uint64_t placement_counter = 0;
  uint64_t Placement(NodeId id) {
    auto it = placement.find(id);
    return it == placement.end() ? 0 : it->second;
  }
  void Place(NodeId id) { placement[id] = ++placement_counter; }

  void Show() {
    for (const NodeView& v : Running()) {
      std::string l = StatusLine(v);
      out() << l << '\n';
      last_line[v.node_id] = l;
    }
    out() << "#autofence: " << (autofence ? "on" : "off") << '\n';
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
    if (membership && autofence) {
      std::vector<NodeView> run = Running();
      bool any_quorate = false;
      for (const auto& v : run) any_quorate = any_quorate || (v.reported && v.quorate);
      if (any_quorate) {
        std::vector<NodeId> fence;
        for (const auto& v : run) {
          if (v.run_state == NodeRunState::kUp && !(v.reported && v.quorate)) {
            fence.push_back(v.node_id);
            out() << v.partition << ":" << v.node_id << ": Quit (autofenced)\n";
          }
        }
        if (!fence.empty()) {
          Check(c.Crash(fence), 1);
          (void)c.Settle();
        }
      }
    }
    if (sync) {
      Show();
    } else {
      for (const NodeView& v : Running()) {
        std::string l = StatusLine(v);
        auto it = last_line.find(v.node_id);
        if (it == last_line.end() || it->second != l) out() << l << '\n';
        last_line[v.node_id] = l;
      }
    }
  }

  void Quit(const std::vector<NodeId>& ids, const char* why) {
    for (NodeId id : ids) {
      NodeView v = c.Node(id);
      out() << v.partition << ":" << id << ": Quit (" << why << ")\n";
      last_line.erase(id);
    }
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

  void Expect(const std::vector<Token>& t) {
    const std::string usage = "expect NODE key=value ...";
    Need(t, 3, usage);
    NodeId id = ParseU32(t[1].text, t[1].col, "a node id");
    CheckNodes({id}, t[1].col);
    NodeView v = c.Node(id);
    bool up = v.run_state != NodeRunState::kDown;
    std::vector<std::string> diffs;
    for (size_t i = 2; i < t.size(); ++i) {
      size_t eq = t[i].text.find('=');
      if (eq == std::string::npos || eq == 0) {
        throw ScriptError{t[i].col, "expected key=value, got '" + t[i].text + "'"};
      }
      std::string key = Lower(t[i].text.substr(0, eq));
      std::string want = t[i].text.substr(eq + 1);
      size_t vcol = t[i].col + eq + 1;
      std::string got;
      bool match = false;
      auto num_field = [&](uint32_t value) {
        uint32_t w = ParseU32(want, vcol, "a number for " + key);
        got = up ? std::to_string(value) : "down";
        match = up && w == value;
      };
      if (key == "quorate") {
        bool w = Parse01(Token{want, vcol});
        got = !up ? "down" : (!v.reported ? "uninitialized" : (v.quorate ? "1" : "0"));
        match = up && v.reported && v.quorate == w;
      } else if (key == "members") {
        std::vector<NodeId> w;
        if (!want.empty()) {
          NodeGroup g = ParseGroup(Token{want, vcol});
          if (g.partition) throw ScriptError{vcol, "members takes a comma list of node ids"};
          w = g.ids;
        }
        std::sort(w.begin(), w.end());
        std::vector<NodeId> m = v.members;
        std::sort(m.begin(), m.end());
        got = up ? JoinIds(m, ',') : "down";
        match = up && v.reported && m == w;
      } else if (key == "ring") {
        size_t dot = want.find('.');
        if (dot == std::string::npos) throw ScriptError{vcol, "expected ring=REP.SEQ (hex) or REP.*"};
        uint32_t rep = ParseU32(std::string_view(want).substr(0, dot), vcol, "a hex node id", 16);
        std::string seq = want.substr(dot + 1);
        got = up && v.reported ? FormatRingId(v.ring) : (up ? "uninitialized" : "down");
        match = up && v.reported && v.ring.rep == rep;
        if (seq != "*") {
          uint64_t s = ParseU64(seq, vcol + dot + 1, "a hex ring sequence or *", 16);
          match = match && v.ring.seq == s;
        }
      } else if (key == "votes") {
        num_field(v.info.node_votes);
      } else if (key == "expected") {
        num_field(v.info.node_expected_votes);
      } else if (key == "highest") {
        num_field(v.info.highest_expected);
      } else if (key == "total") {
        num_field(v.info.total_votes);
      } else if (key == "quorum") {
        num_field(v.info.quorum);
      } else if (key == "qdevice_votes") {
        num_field(v.info.qdevice_votes);
      } else if (key == "flags") {
        std::string_view w = want;
        if (w.size() > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X')) w = w.substr(2);
        uint32_t f = ParseU32(w, vcol, "hex flags", 16);
        got = up ? Hex(v.info.flags) : "down";
        match = up && v.info.flags == f;
      } else if (key == "rc") {
        got = v.last_rc ? CsErrorName(*v.last_rc) : "none";
        match = got == want;
      } else if (key == "state") {
        got = v.run_state == NodeRunState::kDown ? "down"
              : v.run_state == NodeRunState::kPaused ? "paused" : "up";
        if (want != "up" && want != "down" && want != "paused") {
          throw ScriptError{vcol, "expected state=up|down|paused"};
        }
        match = got == want;
      } else {
        throw ScriptError{t[i].col, "unknown expect key '" + key +
                                        "' (expected quorate, members, ring, votes, expected, "
                                        "highest, total, quorum, flags, qdevice_votes, rc, state)"};
      }
      if (!match) diffs.push_back(key + ": wanted " + want + ", got " + got);
    }
    if (!diffs.empty()) {
      ++expect_failures;
      err() << file << ":" << line_no << ": expectation failed for node " << id << "\n";
      for (const auto& d : diffs) err() << "  " << d << "\n";
    }
  }

  // Returns false to stop (exit).
  bool Command(const std::vector<Token>& t) {
    std::string cmd = Lower(t[0].text);
    if (cmd == "exit" || cmd == "quit" || cmd == "q") return false;
    if (cmd == "show") {
      Show();
      return true;
    }
    if (cmd == "up") {
      Need(t, 2, "up [P:]ID[,ID...] ...");
      for (size_t i = 1; i < t.size(); ++i) {
        NodeGroup g = ParseGroup(t[i]);
        CheckNodes(g.ids, t[i].col);
        for (NodeId id : g.ids) {
          if (c.IsUp(id)) {
            err() << "ERR: nodeid " << id << " already exists in partition " << c.Node(id).partition << "\n";
            continue;
          }
          PartitionId p = g.partition.value_or(c.Node(id).partition);
          if (g.partition) Check(c.MoveToPartition(std::vector<NodeId>{id}, p), t[i].col);
          Place(id);
          Check(c.Up(std::vector<NodeId>{id}), t[i].col);
        }
      }
      Finish(true);
      return true;
    }
    if (cmd == "down" || cmd == "crash") {
      Need(t, 2, cmd + " ID[,ID...]");
      std::vector<NodeId> ids = RunningOnly(Nodes(t, 1));
      Quit(ids, cmd == "down" ? "on request" : "crashed");
      Check(c.Crash(ids), t[1].col);
      Finish(true);
      return true;
    }
    if (cmd == "move" || cmd == "split") {
      Need(t, 2, cmd + " [P:]ID[,ID...] ...");
      for (size_t i = 1; i < t.size(); ++i) {
        NodeGroup g = ParseGroup(t[i]);
        CheckNodes(g.ids, t[i].col);
        PartitionId p = g.partition.value_or(0);
        for (NodeId id : g.ids) {
          if (c.Node(id).partition != p) Place(id);
        }
        Check(c.MoveToPartition(g.ids, p), t[i].col);
      }
      Finish(true);
      return true;
    }
    if (cmd == "join") {
      if (t.size() < 3) throw ScriptError{t[0].col, "join needs at least two partition numbers"};
      PartitionId into = ParseU32(t[1].text, t[1].col, "a partition number");
      std::vector<PartitionId> others;
      for (size_t i = 2; i < t.size(); ++i) {
        PartitionId p = ParseU32(t[i].text, t[i].col, "a partition number");
        others.push_back(p);
      }
      for (PartitionId p : others) {
        std::vector<NodeId> moving;
        for (NodeId id : c.node_ids()) {
          if (c.Node(id).partition == p && p != into) moving.push_back(id);
        }
        std::sort(moving.begin(), moving.end(),
                  [this](NodeId a, NodeId b) { return Placement(a) < Placement(b); });
        for (NodeId id : moving) Place(id);
      }
      Check(c.JoinPartitions(into, others), t[1].col);
      Finish(true);
      return true;
    }
    if (cmd == "restart" || cmd == "pause" || cmd == "resume" || cmd == "leave") {
      Need(t, 2, cmd + " ID[,ID...]");
      std::vector<NodeId> ids = Nodes(t, 1);
      Status st;
      if (cmd == "restart") {
        for (NodeId id : ids) {
          if (!c.IsUp(id)) Place(id);
        }
        st = c.Restart(ids);
      } else if (cmd == "pause") {
        st = c.Pause(ids);
      } else if (cmd == "resume") {
        st = c.Resume(ids);
      } else {
        st = c.Leave(ids);
        if (st.ok()) {
          Status s2 = c.Settle();
          (void)s2;
          Quit(ids, "left");
        }
      }
      Check(st, t[1].col);
      Finish(true);
      return true;
    }
    if (cmd == "qdevice") {
      Need(t, 2, "qdevice on|off|vote|stop|master_wins ...");
      std::string sub = Lower(t[1].text);
      if (sub == "on" || sub == "off" || sub == "stop") {
        Need(t, 3, "qdevice " + sub + " [P:]ID[,ID...] ...");
        std::vector<NodeId> ids = RunningOnly(Nodes(t, 2));
        Status st = sub == "on" ? c.QdeviceOn(ids) : sub == "off" ? c.QdeviceOff(ids) : c.QdeviceStop(ids);
        Check(st, t[2].col);
      } else if (sub == "vote" || sub == "master_wins") {
        const std::string usage = "qdevice " + sub + " [P:]ID[,ID...] 0|1";
        Need(t, 4, usage);
        NoMore(t, 4, usage);
        std::vector<NodeId> ids = RunningOnly(Nodes(t, 2, 3));
        bool on = Parse01(t[3]);
        Check(sub == "vote" ? c.QdeviceVote(ids, on) : c.QdeviceMasterWins(ids, on), t[2].col);
      } else {
        throw ScriptError{t[1].col, "expected on, off, vote, stop or master_wins after 'qdevice', got '" +
                                        t[1].text + "'"};
      }
      Finish(true);
      return true;
    }
    if (cmd == "autofence") {
      Need(t, 2, "autofence on|off");
      autofence = ParseOnOff(t[1]);
      out() << "#autofence: " << (autofence ? "on" : "off") << '\n';
      return true;
    }
    if (cmd == "sync") {
      Need(t, 2, "sync on|off");
      sync = ParseOnOff(t[1]);
      out() << "#sync: " << (sync ? "on" : "off") << '\n';
      return true;
    }
    if (cmd == "assert") {
      Need(t, 2, "assert on|off");
      assert_on = ParseOnOff(t[1]);
      return true;
    }
    if (cmd == "timeout") {
      Need(t, 2, "timeout N");
      timeout_ms = ParseU64(t[1].text, t[1].col, "a number of milliseconds");
      return true;
    }
    if (cmd == "wait") {
      Need(t, 2, "wait DURATION");
      NoMore(t, 2, "wait DURATION");
      uint64_t ms = ParseDuration(t[1]);
      if (o.wait) {
        o.wait(ms);
      } else {
        c.RunFor(ms);
      }
      Finish(false);
      return true;
    }
    if (cmd == "seed") {
      Need(t, 2, "seed N");
      c.SetSeed(ParseU64(t[1].text, t[1].col, "a number"));
      return true;
    }
    if (cmd == "delay") {
      Need(t, 2, "delay DURATION [JITTER]");
      NoMore(t, 3, "delay DURATION [JITTER]");
      uint64_t d = ParseDuration(t[1]);
      uint64_t j = t.size() > 2 ? ParseDuration(t[2]) : 0;
      c.SetMessageDelay(d, j);
      return true;
    }
    if (cmd == "setexpected") {
      const std::string usage = "setexpected NODE N";
      Need(t, 3, usage);
      NoMore(t, 3, usage);
      NodeId node = ParseU32(t[1].text, t[1].col, "a node id");
      CheckNodes({node}, t[1].col);
      uint32_t n = ParseU32(t[2].text, t[2].col, "a number of votes");
      CsError rc = c.NodeSetExpected(node, n);
      out() << node << ": setexpected " << n << " -> " << CsErrorName(rc) << '\n';
      Finish(false);
      return true;
    }
    if (cmd == "setvotes") {
      const std::string usage = "setvotes NODE TARGET N";
      Need(t, 4, usage);
      NoMore(t, 4, usage);
      NodeId node = ParseU32(t[1].text, t[1].col, "a node id");
      CheckNodes({node}, t[1].col);
      NodeId target = ParseU32(t[2].text, t[2].col, "a node id");
      uint32_t n = ParseU32(t[3].text, t[3].col, "a number of votes");
      CsError rc = c.NodeSetVotes(node, target, n);
      out() << node << ": setvotes " << target << " " << n << " -> " << CsErrorName(rc) << '\n';
      Finish(false);
      return true;
    }
    if (cmd == "cancel_wait_for_all") {
      Need(t, 2, "cancel_wait_for_all NODE");
      NodeId node = ParseU32(t[1].text, t[1].col, "a node id");
      CheckNodes({node}, t[1].col);
      CsError rc = c.NodeCancelWaitForAll(node);
      out() << node << ": cancel_wait_for_all -> " << CsErrorName(rc) << '\n';
      Finish(false);
      return true;
    }
    if (cmd == "expect") {
      Expect(t);
      return true;
    }
    throw ScriptError{t[0].col, "unknown command '" + t[0].text + "' (see quorumsim -h)"};
  }

  // Starts the cluster as a script's start does: every configured node, settled and shown.
  bool StartAll() {
    for (NodeId id : c.node_ids()) Place(id);
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
  std::vector<Token> t = Tokenize(std::string(line));
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
