#include "sim/internal/expectations.h"

#include <algorithm>
#include <ostream>
#include <sstream>

namespace quorumsim::internal {

namespace {

std::string Hex(uint32_t v) {
  std::ostringstream ss;
  ss << "0x" << std::hex << v;
  return ss.str();
}

struct Outcome {
  std::string got;
  bool match = false;
};

// One key=value against the node. A down node has no engine state: every key but rc and
// state reports "down" and fails.
Outcome Compare(const NodeView& v, const std::string& key, const std::string& want, size_t vcol,
                size_t key_col) {
  const bool up = v.run_state != NodeRunState::kDown;
  auto number = [&](uint32_t value) {
    uint32_t w = ParseU32(want, vcol, "a number for " + key);
    return Outcome{up ? std::to_string(value) : "down", up && w == value};
  };
  if (key == "quorate") {
    bool w = Parse01(Token{want, vcol});
    return Outcome{!up ? "down" : (!v.reported ? "uninitialized" : (v.quorate ? "1" : "0")),
                   up && v.reported && v.quorate == w};
  }
  if (key == "members") {
    std::vector<NodeId> w;
    if (!want.empty()) {
      NodeGroup g = ParseGroup(Token{want, vcol});
      if (g.partition) throw ScriptError{vcol, "members takes a comma list of node ids"};
      w = g.ids;
    }
    std::sort(w.begin(), w.end());
    std::vector<NodeId> m = v.members;
    std::sort(m.begin(), m.end());
    return Outcome{up ? JoinIds(m, ',') : "down", up && v.reported && m == w};
  }
  if (key == "ring") {
    size_t dot = want.find('.');
    if (dot == std::string::npos) throw ScriptError{vcol, "expected ring=REP.SEQ (hex) or REP.*, got '" + want + "'"};
    uint32_t rep = ParseU32(std::string_view(want).substr(0, dot), vcol, "a hex node id", 16);
    std::string seq = want.substr(dot + 1);
    Outcome o{up && v.reported ? FormatRingId(v.ring) : (up ? "uninitialized" : "down"),
              up && v.reported && v.ring.rep == rep};
    if (seq != "*") {
      uint64_t s = ParseU64(seq, vcol + dot + 1, "a hex ring sequence or *", 16);
      o.match = o.match && v.ring.seq == s;
    }
    return o;
  }
  if (key == "votes") return number(v.info.node_votes);
  if (key == "expected") return number(v.info.node_expected_votes);
  if (key == "highest") return number(v.info.highest_expected);
  if (key == "total") return number(v.info.total_votes);
  if (key == "quorum") return number(v.info.quorum);
  if (key == "qdevice_votes") return number(v.info.qdevice_votes);
  if (key == "flags") {
    std::string_view w = want;
    if (w.size() > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X')) w = w.substr(2);
    uint32_t f = ParseU32(w, vcol, "hex flags", 16);
    return Outcome{up ? Hex(v.info.flags) : "down", up && v.info.flags == f};
  }
  if (key == "rc") {
    std::string got = v.last_rc ? CsErrorName(*v.last_rc) : "none";
    return Outcome{got, got == want};
  }
  if (key == "state") {
    std::string got = v.run_state == NodeRunState::kDown     ? "down"
                      : v.run_state == NodeRunState::kPaused ? "paused"
                                                             : "up";
    if (want != "up" && want != "down" && want != "paused") {
      throw ScriptError{vcol, "expected state=up|down|paused"};
    }
    return Outcome{got, got == want};
  }
  throw ScriptError{key_col, "unknown expect key '" + key +
                                 "' (expected quorate, members, ring, votes, expected, "
                                 "highest, total, quorum, flags, qdevice_votes, rc, state)"};
}

}  // namespace

std::vector<std::string> UnmetExpectations(const NodeView& node, std::span<const Token> key_values) {
  std::vector<std::string> unmet;
  for (const Token& kv : key_values) {
    size_t eq = kv.text.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw ScriptError{kv.col, "expected key=value, got '" + kv.text + "'"};
    }
    std::string key = Lower(kv.text.substr(0, eq));
    std::string want = kv.text.substr(eq + 1);
    Outcome o = Compare(node, key, want, kv.col + eq + 1, kv.col);
    if (!o.match) unmet.push_back(key + ": wanted " + want + ", got " + o.got);
  }
  return unmet;
}

void ReportUnmetExpectations(std::ostream& err, const std::string& file, int line, NodeId id,
                             const std::vector<std::string>& unmet) {
  err << file << ":" << line << ": expectation failed for node " << id << "\n";
  for (const std::string& u : unmet) err << "  " << u << "\n";
}

}  // namespace quorumsim::internal
